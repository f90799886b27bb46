"""What a committed transaction did, in words: the CLI's ``summary`` lines.

A tx result's ``data`` is a ``TxMsgData`` whose ``msg_responses`` are the messages' responses
(``Any``, in message order). Each is decoded by its type URL and described together with its
message: ``created order ord_x: total 43.50ssUSD (43500000ussusd)``, ``paid 43.50ssUSD on order
ord_x: payment pay_y, order PAID``. A response the table does not know is shown as its JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from google.protobuf import json_format, symbol_database
from google.protobuf.message import Message

import stateset_chain.pb  # noqa: F401
from stateset_chain.client import format_display, parse_coin
from stateset_chain.coins import Coin

from cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci


def decode_responses(data: bytes) -> list[Message]:
    """The responses in a tx result's ``data``, decoded (an unknown type stays an ``Any``)."""
    out: list[Message] = []
    for packed in sdk_abci.TxMsgData.FromString(data).msg_responses:
        name = packed.type_url.rsplit("/", 1)[-1]
        try:
            cls = symbol_database.Default().GetSymbol(name)
        except KeyError:
            out.append(packed)
            continue
        message = cls()
        packed.Unpack(message)
        out.append(message)
    return out


def response_json(response: Message) -> dict[str, Any]:
    body = json_format.MessageToDict(
        response, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return {"@type": "/" + response.DESCRIPTOR.full_name, **body}


def summarize(
    msgs: Sequence[Message], responses: Sequence[Message],
    denom_of: Callable[[str], str] | None = None,
) -> list[str]:
    """One line per thing the messages did. ``denom_of(order_id)``: an order's denom, for the
    responses that give base units without one (refunds); without it they say "base units"."""
    lines: list[str] = []
    for msg, response in zip(msgs, responses, strict=False):
        name = type(msg).DESCRIPTOR.full_name
        if name in _REFUNDS:
            lines += _REFUNDS[name](msg, response, denom_of)
            continue
        describe = _DESCRIBERS.get(name)
        if describe is not None:
            lines += describe(msg, response)
    return lines


def money(amount: int | str, denom: str) -> str:
    """``43.50ssUSD (43500000ussusd)``."""
    coin = Coin(denom, int(amount))
    display = format_display(coin)
    return display if display == str(coin) else f"{display} ({coin})"


def _status(value: int, response: Message) -> str:
    enum = response.DESCRIPTOR.fields_by_name["status"].enum_type
    name = enum.values_by_number[value].name if value in enum.values_by_number else str(value)
    return name.removeprefix("ORDER_STATUS_")


def _created(msg, r) -> list[str]:
    if r.amount_due and msg is not None:
        # a fiat-priced order (only those have amount_due): its total in the currency, and what
        # it costs in the pay denom at this block's rate
        from stateset_chain.coins import format_units

        return [f"created order {r.order_id}: total {format_units(r.total)} "
                f"{msg.currency.upper()}, {money(r.amount_due, r.denom)} at the current rate"]
    return [f"created order {r.order_id}: total {money(r.total, r.denom)}"]


def _batch_created(msg, r) -> list[str]:
    return [line for o in r.orders for line in _created(None, o)]


def _paid(order_id: str, amount, r) -> str:
    coin = parse_coin(f"{amount.amount}{amount.denom}")
    return (
        f"paid {money(coin.amount, coin.denom)} on order {order_id}: payment {r.payment_id}, "
        f"order {_status(r.status, r)}"
    )


def _pay(msg, r) -> list[str]:
    return [_paid(msg.order_id, msg.amount, r)]


def _batch_pay(msg, r) -> list[str]:
    pairs = zip(msg.payments, r.payments, strict=False)
    return [_paid(p.order_id, p.amount, pr) for p, pr in pairs]


def _refunded(amount: int, order_id: str, denom_of: Callable[[str], str] | None) -> str:
    if denom_of is None:
        return f"{amount} base units"
    return money(amount, denom_of(order_id))


def _refund(msg, r, denom_of) -> list[str]:
    return [
        f"refunded {_refunded(r.refunded, msg.order_id, denom_of)} on order {msg.order_id}: "
        f"refund {r.refund_id}, order {_status(r.status, r)}"
    ]


def _resolved(msg, r, denom_of) -> list[str]:
    line = f"order {msg.order_id} is now {_status(r.status, r)}"
    if r.refunded:
        line += f": refunded {_refunded(r.refunded, msg.order_id, denom_of)}"
    if r.settled:
        line += f", settled {_refunded(r.settled, msg.order_id, denom_of)}"
    return [line]


_REFUNDS: dict[str, Callable[[Any, Any, Any], list[str]]] = {
    "stateset.orders.v1.MsgRefundOrder": _refund,
    "stateset.orders.v1.MsgResolveDispute": _resolved,
}


def _status_change(msg, r) -> list[str]:
    return [f"order {msg.order_id} is now {_status(r.status, r)}"]


def _send(msg, r) -> list[str]:
    coins = ",".join(money(c.amount, c.denom) for c in msg.amount)
    return [f"sent {coins} from {msg.from_address} to {msg.to_address}"]


def _rates_submitted(msg, response) -> list[str]:
    pairs = ", ".join(f"{r.currency}/USD {r.rate}" for r in msg.rates)
    return [f"submitted {pairs} (aggregated at the end of the block)"]


_DESCRIBERS: dict[str, Callable[[Any, Any], list[str]]] = {
    "stateset.oracle.v1.MsgSubmitRates": _rates_submitted,
    "stateset.orders.v1.MsgCreateOrder": _created,
    "stateset.orders.v1.MsgBatchCreateOrders": _batch_created,
    "stateset.orders.v1.MsgPayOrder": _pay,
    "stateset.orders.v1.MsgBatchPayOrders": _batch_pay,
    "cosmos.bank.v1beta1.MsgSend": _send,
    **{
        f"stateset.orders.v1.Msg{name}": _status_change
        for name in ("FulfillOrder", "ShipOrder", "DeliverOrder", "CancelOrder", "HoldOrder",
                     "ReleaseOrder", "ReturnOrder", "DisputeOrder")
    },
}
