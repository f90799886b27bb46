"""A chain whose state touches every module, for the export and upgrade tests.

``busy_net()`` runs real signed txs through the standard app (``tests.crosschain.helpers.Net``:
the localnet's CCTP genesis and TEST-ONLY attesters) so that each module holds records of every
kind its genesis carries: accounts with public keys and sequences, balances of several denoms,
ssUSD issued, a registered encryption key, orders in several statuses (paid, shipped, refunded,
cancelled, paid from Ethereum), inventory with reservations, a subscription with a billed cycle,
conditional orders waiting (one pre-funded) and executed, a refund destination, parked unclaimed
funds, the CCTP used nonces and outbound burns of refunds, and a pending upgrade plan.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401
from stateset_chain.client import msg_register_encryption_key
from stateset_chain.crosschain.deposit import deposit_mint_recipient
from tests.chain import CHAIN_ID, GENESIS_TIME, address
from tests.crosschain.helpers import BOB_ETH, ETHEREUM, Net

from cosmos.upgrade.v1beta1 import tx_pb2 as utx
from cosmos.upgrade.v1beta1 import upgrade_pb2
from stateset.conditional.v1 import conditional_pb2 as cond
from stateset.conditional.v1 import tx_pb2 as ctx_tx
from stateset.inventory.v1 import tx_pb2 as inv_tx
from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as otx
from stateset.stablecoin.v1 import tx_pb2 as stx
from stateset.subscriptions.v1 import subscriptions_pb2 as subs
from stateset.subscriptions.v1 import tx_pb2 as sub_tx

UNIT = 1_000_000


def _order(customer: str, merchant: str, sku: str, qty: int = 1) -> otx.MsgCreateOrder:
    return otx.MsgCreateOrder(
        creator=customer, customer=customer, merchant=merchant, name=f"order of {sku}",
        currency="usdc",
        items=[orders_pb2.LineItem(sku=sku, name=sku, quantity=qty, unit_price="10")],
    )


def busy_net() -> Net:
    net = Net.start()
    c, m = address(net.customer), address(net.merchant)
    # privacy: a registered key (a fixed one: the test is deterministic)
    key = X25519PrivateKey.from_private_bytes(bytes(range(32))).public_key().public_bytes_raw()
    net.ok(net.merchant, [msg_register_encryption_key(m, key)])
    # stablecoin: ssUSD issued against USDC
    net.ok(net.customer, [stx.MsgIssueStablecoin(sender=c, amount=str(5 * UNIT))])
    # inventory: tracked SKUs, one reserved by an order
    net.ok(net.merchant, [
        inv_tx.MsgSetInventory(merchant=m, sku="MUG", quantity=10, low_stock_threshold=2),
        inv_tx.MsgSetInventory(merchant=m, sku="TEA", quantity=0),
        inv_tx.MsgAdjustInventory(merchant=m, sku="MUG", delta=5, reason="found a box"),
    ])
    mug = net.ok(net.customer, [_order(c, m, "MUG", qty=2)])
    mug_id = _response(mug, otx.MsgCreateOrderResponse).order_id
    net.pay_locally(mug_id, 20 * UNIT)
    net.ok(net.merchant, [otx.MsgFulfillOrder(signer=m, order_id=mug_id)])
    # orders: paid and refunded in part, cancelled, paid from Ethereum, and one left pending
    paid = net.create_order("7")
    net.pay_locally(paid, 7 * UNIT)
    net.refund(paid, 2 * UNIT)
    cancelled = net.create_order("3")
    net.ok(net.customer, [otx.MsgCancelOrder(signer=c, order_id=cancelled, reason="no")])
    remote = net.create_order("4")
    net.set_refund_destination(remote, ETHEREUM, BOB_ETH)
    net.pay_from_ethereum(remote, 4 * UNIT)
    net.refund(remote, UNIT)  # burned back to Bob on Ethereum (a cctp outbound message)
    net.create_order("9")  # pending
    # crosschain: a mint to the deposit address of an order that no longer takes payment: parked
    net.relay(UNIT, deposit_mint_recipient(cancelled, CHAIN_ID))
    # subscriptions: one subscription, its first cycle billed at creation's end-block
    net.ok(net.customer, [sub_tx.MsgCreateSubscription(
        customer=c, merchant=m, currency="usdc", interval=subs.Interval.INTERVAL_WEEKLY,
        items=[orders_pb2.LineItem(sku="COFFEE", name="Coffee", quantity=1, unit_price="12.5")],
    )])
    # conditional: waiting on stock (pre-funded), waiting on time, and one that executed
    later = Timestamp(seconds=GENESIS_TIME + 10 * 86400)
    tomorrow = Timestamp(seconds=GENESIS_TIME + 86400)
    net.ok(net.customer, [ctx_tx.MsgCreateConditionalOrder(
        order=_order(c, m, "TEA"), prefund=True, auto_execute=True, expires_at=later,
        conditions=[_in_stock(m, "TEA")],
    )])
    net.ok(net.customer, [ctx_tx.MsgCreateConditionalOrder(
        order=_order(c, m, "LAMP"), auto_execute=False, expires_at=later,
        conditions=[cond.Condition(time_after=cond.TimeAfter(time=tomorrow))],
    )])
    net.ok(net.customer, [ctx_tx.MsgCreateConditionalOrder(
        order=_order(c, m, "MUG"), auto_execute=True, expires_at=later,
        conditions=[_in_stock(m, "MUG")],
    )])
    # upgrade: a plan pending far ahead (no binary has a handler for it)
    a = address(net.admin)
    net.ok(net.admin, [utx.MsgSoftwareUpgrade(
        authority=a, plan=upgrade_pb2.Plan(name="v99", height=10_000, info="later"))])
    net.chain.block([])  # the end-block that runs what woke
    return net


def _in_stock(merchant: str, sku: str) -> cond.Condition:
    return cond.Condition(sku_in_stock=cond.SkuInStock(merchant=merchant, sku=sku, quantity=1))


def _response(result, cls):
    from tests.crosschain.helpers import response

    return response(result, cls)


# --- every query, asked of two apps -------------------------------------------------------------

_ADDRESS_FIELDS = {"address", "customer", "merchant", "owner", "creator"}


def _pools(app_state: dict) -> dict[str, list]:
    """Field values to ask with, by request field name, taken from an exported state."""
    import base64

    addresses = [a["address"] for a in app_state["auth"]["accounts"]][:6]
    orders = app_state["orders"]["orders"]
    ids = [s["id"] for s in app_state["subscriptions"].get("subscriptions", [])]
    ids += [c["id"] for c in app_state["conditional"].get("conditional_orders", [])]
    hashes = [base64.b64decode(u["message_hash"])
              for u in app_state["crosschain"].get("unclaimed", [])]
    pools: dict[str, list] = {name: addresses for name in _ADDRESS_FIELDS}
    pools.update(
        order_id=[o["id"] for o in orders] + ["ord_missing"],
        client_order_id=[o["client_order_id"] for o in orders if o.get("client_order_id")],
        id=ids + ["sub_missing"],
        denom=list(app_state["bank"]["denoms"]) + ["nothing"],
        sku=sorted({s["sku"] for s in app_state["inventory"].get("stocks", [])}),
        message_hash=hashes + [bytes(32)],
        domain_id=[0, 100, 7], source_domain=[0, 100], remote_domain=[0], nonce=[1, 2, 3, 99],
        status=[1, 2, 3, 4], limit=[1, 50],
    )
    return pools


def every_query(app, app_state: dict) -> list[tuple[str, bytes]]:
    """For every query route the app serves: the empty request, one request per value of each
    field that has a pool, and one with every such field set (the first values)."""
    pools = _pools(app_state)
    asked: list[tuple[str, bytes]] = []
    for path, route in sorted(app.queries.items()):
        cls = route.request_cls
        asked.append((path, b""))
        full = cls()
        for f in cls.DESCRIPTOR.fields:
            values = pools.get(f.name, [])
            if f.label == f.LABEL_REPEATED or f.message_type is not None or not values:
                continue
            for v in values:
                one = cls()
                setattr(one, f.name, v)
                asked.append((path, one.SerializeToString(deterministic=True)))
            setattr(full, f.name, values[0])
        asked.append((path, full.SerializeToString(deterministic=True)))
    return asked


def answers(query, asked: list[tuple[str, bytes]]) -> list[tuple]:
    """``query(path, data) -> ResponseQuery``'s (code, codespace, log, value) for each request."""
    out = []
    for path, data in asked:
        res = query(path, data)
        out.append((path, data, res.code, res.codespace, res.log, bytes(res.value)))
    return out
