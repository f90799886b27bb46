"""A signed MsgSend's whole event list as an SDK chain writes it: the fee's bank events and the
ante's ``tx`` events (no msg_index), then ``message`` (action, sender, module, msg_index) and the
message's bank events (each with msg_index); every attribute indexed."""

from __future__ import annotations

from stateset_chain.crypto.address import module_address
from tests.chain import Chain, address

FEE_COLLECTOR = module_address("fee_collector")


def test_signed_send_events_in_the_sdks_order():
    chain = Chain.start()
    alice, bob = chain.wallets[0], chain.wallets[1]
    a, b = address(alice), address(bob)
    [r] = chain.block([chain.send(alice, b, 1_000)]).tx_results
    assert r.code == 0, r.log
    fee = f"{200_000 * 25 // 1000}uusdc"
    events = [(e.type, [(x.key, x.value) for x in e.attributes]) for e in r.events]
    by_type = [t for t, _ in events]
    assert by_type[:4] == ["coin_spent", "coin_received", "transfer",
                           "stateset.bank.v1.CoinsTransferred"]
    assert events[0][1] == [("spender", a), ("amount", fee)]
    assert events[1][1] == [("receiver", FEE_COLLECTOR), ("amount", fee)]
    assert events[2][1] == [("recipient", FEE_COLLECTOR), ("sender", a), ("amount", fee)]
    start = by_type.index("message")
    assert set(by_type[4:start]) == {"tx"}
    assert events[start:start + 4] == [
        ("message", [("action", "/cosmos.bank.v1beta1.MsgSend"), ("sender", a),
                     ("module", "bank"), ("msg_index", "0")]),
        ("coin_spent", [("spender", a), ("amount", "1000uusdc"), ("msg_index", "0")]),
        ("coin_received", [("receiver", b), ("amount", "1000uusdc"), ("msg_index", "0")]),
        ("transfer", [("recipient", b), ("sender", a), ("amount", "1000uusdc"),
                      ("msg_index", "0")]),
    ]
    assert by_type[start + 4:] == ["stateset.bank.v1.CoinsTransferred"]
    assert all(x.index for e in r.events for x in e.attributes)
