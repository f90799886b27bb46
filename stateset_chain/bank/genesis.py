"""Bank genesis JSON, and its inverse.

    {"balances": [{"address": "stateset1...", "coins": [{"denom": "uusdc", "amount": "1000"}]}],
     "denoms": ["uusdc", "ussusd"],
     "denom_metadata": [{"base": "uusdc", "display": "usdc", "symbol": "USDC",   # optional
                         "denom_units": [{"denom": "uusdc", "exponent": 0},
                                         {"denom": "usdc", "exponent": 6}], ...}],
     "supply": [{"denom": "uusdc", "amount": "1000"}]}       # optional

``denoms`` lists the denoms MsgSend accepts (a denom also becomes known when it is minted or held
in genesis). ``denom_metadata`` (``cosmos.bank.v1beta1.Metadata`` in proto3 JSON, one per base
denom, sorted by base) is what wallets show; each base must be a known denom and its
``display`` one of its units. Supply is computed from the balances; if ``supply`` is given it
must match. Every address with a balance gets an account (``ensure_account``). Export is
deterministic: balances in address-byte order (the store's order), coins and denoms sorted.
"""

from __future__ import annotations

from google.protobuf import json_format

from stateset_chain.bank.errors import InvalidGenesis
from stateset_chain.bank.state import BankKeeper
from stateset_chain.coins import MAX_AMOUNT, Coin, parse_amount
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.crypto.address import require_address
from stateset_chain.errors import ChainError

from cosmos.bank.v1beta1 import bank_pb2


def init_genesis(keeper: BankKeeper, ctx: Context, data: dict) -> None:
    try:
        _init(keeper, ctx, data)
    except ChainError as e:
        if isinstance(e, InvalidGenesis):
            raise
        raise InvalidGenesis(e.log) from e
    except (KeyError, TypeError, AttributeError) as e:
        raise InvalidGenesis(f"malformed bank genesis: {e!r}") from e


def _init(keeper: BankKeeper, ctx: Context, data: dict) -> None:
    store = ctx.store
    for denom in data.get("denoms", []):
        keeper.add_denom(store, Coin(denom, 0).denom)
    totals: dict[str, int] = {}
    seen: set[bytes] = set()
    for entry in data.get("balances", []):
        addr = entry["address"]
        require_address(addr, "genesis address")
        raw = address.decode(addr)
        if raw in seen:
            raise InvalidGenesis(f"duplicate balance for {addr}")
        seen.add(raw)
        for c in coins_from_json(entry["coins"]):
            keeper.balances.set(store, (raw, c.denom), c.amount)
            keeper.add_denom(store, c.denom)
            totals[c.denom] = totals.get(c.denom, 0) + c.amount
        keeper.accounts.ensure_account(store, addr)
    for denom in sorted(totals):
        if totals[denom] > MAX_AMOUNT:
            raise InvalidGenesis(f"supply of {denom} overflows")
        keeper.supplies.set(store, denom, totals[denom])
    _init_metadata(keeper, ctx, data.get("denom_metadata", []))
    if "supply" in data:
        given = coins_from_json(data["supply"])
        computed = [Coin(d, totals[d]) for d in sorted(totals)]
        if given != computed:
            raise InvalidGenesis(f"supply {given} does not match the sum of balances {computed}")


def _init_metadata(keeper: BankKeeper, ctx: Context, items: list[dict]) -> None:
    bases = []
    for item in items:
        try:
            meta = json_format.ParseDict(item, bank_pb2.Metadata())
        except json_format.ParseError as e:
            raise InvalidGenesis(f"malformed denom metadata: {e}") from None
        if meta.base not in keeper.known_denoms(ctx.store):
            raise InvalidGenesis(f"denom metadata for {meta.base!r}, which is not a known denom")
        units = [u.denom for u in meta.denom_units]
        if meta.base not in units or meta.display not in units:
            raise InvalidGenesis(f"denom metadata of {meta.base}: base and display must be units")
        bases.append(meta.base)
        keeper.denom_metadata.set(ctx.store, meta.base, meta)
    if bases != sorted(set(bases)):
        raise InvalidGenesis(f"denom metadata must be sorted by base without duplicates: {bases}")


def export_genesis(keeper: BankKeeper, ctx: Context) -> dict:
    by_address: dict[bytes, list[dict]] = {}
    order: list[bytes] = []
    for (raw, denom), amount in keeper.balances.iterate(ctx.store):
        if raw not in by_address:
            by_address[raw] = []
            order.append(raw)
        by_address[raw].append({"denom": denom, "amount": str(amount)})
    return {
        "balances": [
            {"address": address.encode(r), "coins": sorted(by_address[r], key=_by_denom)}
            for r in order
        ],
        "denoms": keeper.known_denoms(ctx.store),
        "denom_metadata": [  # by base (whatever the layout: v1 ordered keys by length)
            json_format.MessageToDict(m, preserving_proto_field_name=True)
            for _, m in sorted(keeper.denom_metadata.iterate(ctx.store), key=_first)
        ],
        "supply": [coin_to_json(c) for c in keeper.total_supply(ctx.store)],
    }


def _first(pair: tuple) -> str:
    return pair[0]


def _by_denom(coin: dict) -> str:
    return coin["denom"]


def coins_from_json(items: list[dict]) -> list[Coin]:
    """Positive coins, sorted by denom without duplicates, from ``[{"denom", "amount"}]``."""
    coins = [Coin(i["denom"], _amount(i["amount"])) for i in items]
    denoms = [c.denom for c in coins]
    if denoms != sorted(set(denoms)):
        raise InvalidGenesis(f"coins must be sorted by denom without duplicates: {denoms}")
    if any(c.amount == 0 for c in coins):
        raise InvalidGenesis("genesis coins must be positive")
    return coins


def coin_to_json(c: Coin) -> dict:
    return {"denom": c.denom, "amount": str(c.amount)}


def _amount(text) -> int:
    return parse_amount(text, InvalidGenesis, allow_zero=True)
