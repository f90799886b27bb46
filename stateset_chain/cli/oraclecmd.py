"""The oracle's feeder command, shorter than the generated one's JSON:

    statesetd tx oracle submit-rates FROM EUR=1.0842 GBP=1.27 [--rates JSON]

Each ``CURRENCY=RATE`` is one rate (USD per unit of the currency); a rate is written as the
chain wants it (``1.20`` and ``01.2`` become ``1.2``: the canonical decimal of ``rates.py``), and
checked by the chain's own parser before anything is signed. The generated ``--rates`` JSON
still works; pairs are added after it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from stateset_chain.cli import protocmd
from stateset_chain.client import ClientError
from stateset_chain.rates import parse_rate

from stateset.oracle.v1 import tx_pb2 as oracle_tx

Broadcast = Callable[[argparse.Namespace, Callable[[str], list]], int]


def canonical_rate(text: str, field: str = "rate") -> str:
    """``text`` as the canonical rate text (leading and trailing zeros dropped), or ClientError."""
    t = text.strip()
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    whole, dot, frac = t.partition(".")
    t = (whole.lstrip("0") or "0") + (dot + frac if frac else "")
    parse_rate(t, ClientError, field=field)
    return t


def parse_pair(text: str) -> dict[str, str]:
    currency, eq, rate = text.partition("=")
    if not eq or not currency.strip() or not rate.strip():
        raise ClientError(f"{text!r} is not CURRENCY=RATE (e.g. EUR=1.0842)")
    code = currency.strip().upper()
    return {"currency": code, "rate": canonical_rate(rate, f"rate of {code}")}


def add_submit_rates_pairs(group, broadcast: Broadcast) -> None:
    """Hooks the generated ``submit-rates`` command: ``CURRENCY=RATE`` arguments."""
    p = group.choices["submit-rates"]
    p.add_argument("pairs", nargs="*", metavar="CURRENCY=RATE",
                   help="a rate in USD per unit, e.g. EUR=1.0842 (several allowed)")
    p.set_defaults(func=lambda args: _submit_rates(args, broadcast))


def _submit_rates(args: argparse.Namespace, broadcast: Broadcast) -> int:
    data = protocmd.message_data(oracle_tx.MsgSubmitRates, args, skip="feeder")
    rates = list(data.get("rates", [])) + [parse_pair(p) for p in args.pairs]
    if not rates:
        raise ClientError("give at least one CURRENCY=RATE (or --rates)")
    msg = protocmd.parse_message(oracle_tx.MsgSubmitRates, {**data, "rates": rates})

    def build(sender: str) -> list:
        msg.feeder = sender
        return [msg]

    return broadcast(args, build)
