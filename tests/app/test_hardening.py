"""Hardening (issue "no transaction, proposal or query can halt a validator"): one test per hole.

Each test was written before its fix and failed on the code before it:
- an amount of 4,301 digits raised ``ValueError`` out of FinalizeBlock (and CheckTx);
- an unexpected exception in stateless validation or the ante escaped the app;
- the bank's amount parser took ``"123\\n"`` and ``"0123"``;
- ProcessProposal accepted any block; PrepareProposal proposed undecodable txs;
- CheckTx decoded every message of an oversized tx before refusing its size, and validated the
  messages of an unknown signer;
- MsgShipOrder with an ETA outside 0001..9999 answered the panic code;
- the localnet genesis had no block gas limit;
- message responses were serialized without ``deterministic=True`` (a map field's bytes depended
  on insertion order).
"""

from __future__ import annotations

import json

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.app import PANIC_CODE
from stateset_chain.module import MsgRoute
from tests.chain import Chain, address

from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin
from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.privacy.v1.privacy_pb2 import SealedPersonalData
from tendermint.abci import types_pb2 as abci

HUGE = "9" * 4301
ORDER_ID = "ord_0123456789"


@pytest.fixture
def chain() -> Chain:
    return Chain.start()


def check(chain: Chain, tx: bytes) -> abci.ResponseCheckTx:
    return chain.app.check_tx(abci.RequestCheckTx(tx=tx))


def add_probe_route(
    chain: Chain, validate=lambda m: None, handler=lambda ctx, m, parsed: None
) -> None:
    """A test-only message route (``stateset.orders.v1.Order`` as the message, signed by its
    ``customer``) whose validation or handler misbehaves as the test needs."""
    route = MsgRoute(
        msg_cls=orders_pb2.Order, signers=lambda m: [m.customer], validate=validate,
        handler=handler,
    )
    chain.core.routes[route.type_url] = route


# -- critical: nothing in a tx's bytes raises out of FinalizeBlock ---------------------------


def test_a_4301_digit_refund_amount_gets_a_result_not_an_exception(chain):
    alice = chain.wallets[0]
    msg = orders_tx.MsgRefundOrder(signer=address(alice), order_id=ORDER_ID, amount=HUGE)
    tx = chain.sign(alice, [msg])
    assert check(chain, tx).codespace == "orders"
    then = chain.block([tx, chain.send(alice, address(chain.wallets[1]), 5, sequence=0)])
    refused, sent = then.tx_results
    assert (refused.codespace, refused.code) == ("orders", 12)  # InvalidAmount, no panic
    assert sent.code == 0, sent.log  # the block went on


def test_an_unexpected_exception_in_validation_is_the_sdk_panic_code_and_the_block_goes_on(chain):
    def validate(msg):
        raise ZeroDivisionError("a bug in a ValidateBasic")

    add_probe_route(chain, validate=validate)
    alice = chain.wallets[0]
    probe = chain.sign(alice, [orders_pb2.Order(customer=address(alice))], sequence=0)
    res = check(chain, probe)
    assert (res.codespace, res.code) == ("sdk", PANIC_CODE)
    then = chain.block([probe, chain.send(alice, address(chain.wallets[1]), 5, sequence=0)])
    panicked, sent = then.tx_results
    assert (panicked.codespace, panicked.code) == ("sdk", PANIC_CODE)
    assert sent.code == 0, sent.log


def test_an_unexpected_exception_in_the_ante_is_recovered(chain):
    def ante(ctx, tx):
        raise KeyError("a bug in an ante step")

    chain.core.pipeline = type(chain.core.pipeline)(
        decode=chain.core.pipeline.decode, ante=ante, limits=chain.core.pipeline.limits
    )
    tx = chain.send(chain.wallets[0], address(chain.wallets[1]), 5)
    assert check(chain, tx).code == PANIC_CODE
    assert chain.block([tx]).tx_results[0].code == PANIC_CODE


# -- one amount parser ----------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["123\n", "0123", " 1", "+1", "-1", "1_000", "١٢", HUGE,
                                    "9" * 79, str(2**256)])
def test_the_bank_refuses_a_non_canonical_or_oversized_amount(chain, amount):
    alice, bob = chain.wallets[0], chain.wallets[1]
    msg = bank_tx.MsgSend(from_address=address(alice), to_address=address(bob),
                          amount=[PbCoin(denom="uusdc", amount=amount)])
    res = check(chain, chain.sign(alice, [msg], sequence=0))
    assert (res.codespace, res.code) == ("sdk", 10), res.log  # InvalidCoins


# -- ProcessProposal / PrepareProposal ------------------------------------------------------


def test_process_proposal_rejects_undecodable_oversized_and_over_gas_txs(chain):
    app = chain.app
    good = chain.send(chain.wallets[0], address(chain.wallets[1]), 5)
    accept, reject = abci.ResponseProcessProposal.ACCEPT, abci.ResponseProcessProposal.REJECT

    def status(txs):
        return app.process_proposal(abci.RequestProcessProposal(txs=txs, height=2)).status

    assert status([good]) == accept
    assert status([good, b"\xff\x00garbage"]) == reject
    assert status([b"\x0a" + b"\xff" * 70_000]) == reject  # over max_tx_bytes
    carol, bob = address(chain.wallets[2]), address(chain.wallets[1])
    one = [PbCoin(denom="uusdc", amount="1")]
    heavy = chain.sign(chain.wallets[2], [
        bank_tx.MsgSend(from_address=carol, to_address=bob, amount=one)
    ], gas=chain.core.block_max_gas + 1)
    assert status([heavy]) == reject
    halves = [chain.sign(w, [bank_tx.MsgSend(from_address=address(w), to_address=address(w),
                                             amount=[PbCoin(denom="uusdc", amount="1")])],
                         gas=chain.core.block_max_gas // 2 + 1) for w in chain.wallets[2:4]]
    assert status(halves[:1]) == accept
    assert status(halves) == reject  # together over the block's gas
    prepared = app.prepare_proposal(abci.RequestPrepareProposal(
        txs=[good, b"\xff\x00garbage", heavy, *halves], max_tx_bytes=1 << 20, height=2))
    assert list(prepared.txs) == [good, halves[0]]
    assert status(list(prepared.txs)) == accept


def test_the_block_gas_limit_is_read_from_init_chain_and_survives_a_restart():
    chain = Chain.start()
    assert chain.core.block_max_gas > 0
    from stateset_chain.wiring import standard_app

    again = standard_app(chain.core.store)
    assert again.block_max_gas == chain.core.block_max_gas


# -- CheckTx does cheap checks first --------------------------------------------------------


def test_check_tx_refuses_an_oversized_tx_before_decoding_its_messages(chain):
    alice = chain.wallets[0]
    # 800 messages of an unknown type: decoding them would fail with UnknownRequest (sdk 6)
    bogus = orders_pb2.Order(customer=address(alice), name="x" * 1000)
    tx = chain.sign(alice, [bogus] * 800, sequence=0)
    assert len(tx) > 65536
    res = check(chain, tx)
    assert (res.codespace, res.code) == ("sdk", 21), res.log  # TxTooLarge


def test_check_tx_refuses_too_many_messages_before_decoding_them(chain):
    alice = chain.wallets[0]
    bogus = orders_pb2.Order(customer=address(alice))
    res = check(chain, chain.sign(alice, [bogus] * 300, sequence=0))
    assert (res.codespace, res.code) == ("auth", 5), res.log  # TooManyMessages


def test_check_tx_refuses_a_gas_limit_over_the_block_gas_limit(chain):
    tx = chain.send(chain.wallets[0], address(chain.wallets[1]), 5,
                    gas=chain.core.block_max_gas + 1)
    res = check(chain, tx)
    assert (res.codespace, res.code) == ("sdk", 41), res.log  # InvalidGasLimit


def test_an_unknown_signer_is_refused_before_its_messages_are_validated(chain):
    from tests.chain import wallet

    stranger = wallet(99)
    msg = orders_tx.MsgRefundOrder(signer=address(stranger), order_id=ORDER_ID, amount=HUGE)
    res = check(chain, chain.sign(stranger, [msg], sequence=0, account_number=0))
    assert (res.codespace, res.code) == ("sdk", 9), res.log  # UnknownAddress


# -- timestamps out of range ----------------------------------------------------------------


@pytest.mark.parametrize("eta", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_an_eta_outside_the_timestamp_range_is_an_invalid_timestamp(chain, eta):
    alice = chain.wallets[0]
    msg = orders_tx.MsgShipOrder(signer=address(alice), order_id=ORDER_ID, carrier="ups",
                                 estimated_delivery=eta,
                                 tracking=SealedPersonalData(version=1))
    tx = chain.sign(alice, [msg])
    res = check(chain, tx)
    assert (res.codespace, res.code) == ("orders", 29), res.log
    r = chain.block([tx]).tx_results[0]
    assert (r.codespace, r.code) == ("orders", 29), r.log


# -- block gas limit in the localnet genesis ------------------------------------------------


def test_the_localnet_genesis_sets_a_block_gas_limit():
    from stateset_chain.localnet import DEFAULT_BLOCK_MAX_GAS, build_genesis

    genesis = build_genesis({"consensus_params": {"block": {"max_bytes": "22020096",
                                                            "max_gas": "-1"}}}, {}, "c")
    assert int(genesis["consensus_params"]["block"]["max_gas"]) == DEFAULT_BLOCK_MAX_GAS > 0
    json.dumps(genesis)


# -- deterministic bytes --------------------------------------------------------------------


def test_message_responses_are_deterministic_bytes_whatever_the_map_insertion_order(chain):
    keys = [f"k{i:02d}" for i in range(40)]

    def handler(ctx, msg, parsed):
        response = orders_pb2.Order(id="x")
        for k in keys if msg.name == "forward" else reversed(keys):
            response.metadata[k] = "v"
        return response

    add_probe_route(chain, handler=handler)
    alice = chain.wallets[0]
    txs = [chain.sign(alice, [orders_pb2.Order(customer=address(alice), name=name)])
           for name in ("forward", "backward")]
    forward, backward = chain.block(txs).tx_results
    assert forward.code == 0 and backward.code == 0, (forward.log, backward.log)
    assert forward.data == backward.data


# Code that only talks to clients (wallet helpers, the CLI, the gRPC gateway, benchmarks) may
# serialize as it likes; everything else can reach consensus (state, results, events, proofs).
_OFF_CONSENSUS = ("bench/", "cli/", "client.py", "gateway.py", "pb/")


def test_every_serialization_in_consensus_code_is_deterministic():
    """A map field (orders' metadata today, any future one) serializes in insertion or hash
    order unless ``deterministic=True``: every ``SerializeToString`` of the package's consensus
    code must pass it, so a new map field cannot reach the app hash or the results hash in a
    node-dependent order."""
    import pathlib
    import re

    import stateset_chain

    root = pathlib.Path(stateset_chain.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(_OFF_CONSENSUS):
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for call in re.finditer(r"\.Serialize(?:Partial)?ToString\(([^)]*)\)", line):
                if "deterministic=True" not in call.group(1):
                    offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []


def test_the_map_fields_of_registered_types_are_known_and_covered():
    """Every message type the app routes, every type of the files they come from (responses) and
    of their modules' ``events.proto``, scanned for map fields, nested included: today only the
    orders' ``metadata``. A new one must be added here knowingly (and is then covered by the two
    deterministic-encoding tests above)."""
    from stateset_chain.store.commit import CommitStore
    from stateset_chain.wiring import standard_app

    app = standard_app(CommitStore.in_memory())
    seen: set[str] = set()
    maps: set[str] = set()

    def scan(descriptor) -> None:
        if descriptor.full_name in seen:
            return
        seen.add(descriptor.full_name)
        for f in descriptor.fields:
            if f.message_type is None:
                continue
            if f.message_type.GetOptions().map_entry:
                maps.add(f"{descriptor.full_name}.{f.name}")
            scan(f.message_type)

    for route in app.routes.values():
        file = route.msg_cls.DESCRIPTOR.file
        names = [file.name, file.name.rsplit("/", 1)[0] + "/events.proto"]
        for name in names:
            try:
                found = file.pool.FindFileByName(name)
            except KeyError:
                continue
            for descriptor in found.message_types_by_name.values():
                scan(descriptor)
    assert len(seen) > 50
    assert maps == {"stateset.orders.v1.MsgCreateOrder.metadata",
                    "stateset.orders.v1.Order.metadata"}


def test_init_chain_gives_a_genesis_without_a_block_gas_limit_the_default():
    from stateset_chain.abci.adapter import AbciApp
    from stateset_chain.app import DEFAULT_BLOCK_MAX_GAS
    from stateset_chain.store.commit import CommitStore
    from stateset_chain.wiring import standard_app
    from tests.chain import CHAIN_ID, genesis_bytes, timestamp, wallet

    def init(max_gas: int):
        app = standard_app(CommitStore.in_memory())
        req = abci.RequestInitChain(chain_id=CHAIN_ID, app_state_bytes=genesis_bytes([wallet(0)]),
                                    initial_height=1, time=timestamp(0))
        req.consensus_params.block.max_bytes = 22020096
        req.consensus_params.block.max_gas = max_gas
        return app, AbciApp(app).init_chain(req)

    app, res = init(-1)
    assert app.block_max_gas == DEFAULT_BLOCK_MAX_GAS
    assert res.consensus_params.block.max_gas == DEFAULT_BLOCK_MAX_GAS
    assert res.consensus_params.block.max_bytes == 22020096  # CometBFT copies both fields
    app, res = init(5_000_000)  # a genesis that sets one keeps it
    assert app.block_max_gas == 5_000_000 and not res.HasField("consensus_params")


def test_a_panic_after_a_message_ran_keeps_none_of_its_writes(chain):
    """A handler that moves coins and then fails unexpectedly (here: a response that cannot be
    packed) leaves the balances as they were; only the ante's fee and sequence are kept."""
    from stateset_chain.coins import USDC, Coin

    bank = None
    for route in chain.core.routes.values():
        if route.type_url == "/cosmos.bank.v1beta1.MsgSend":
            bank = route
    assert bank is not None

    def handler(ctx, msg, parsed):
        send = bank_tx.MsgSend(from_address=msg.customer, to_address=msg.merchant,
                               amount=[Coin(USDC, 1_000).to_proto()])
        bank.handler(ctx, send, bank.validate(send))
        return object()  # not a protobuf message: packing it raises AttributeError

    add_probe_route(chain, handler=handler)
    alice, bob = chain.wallets[0], chain.wallets[1]
    before = chain.balance(address(bob), USDC)
    tx = chain.sign(alice, [orders_pb2.Order(customer=address(alice), merchant=address(bob))])
    r = chain.block([tx]).tx_results[0]
    assert (r.codespace, r.code) == ("sdk", PANIC_CODE)
    assert chain.balance(address(bob), USDC) == before
    assert chain.query_account(address(alice)).sequence == 1  # the ante's writes are kept


def test_prepare_proposal_keeps_the_mempool_order_within_max_tx_bytes(chain):
    from stateset_chain.abci.application import tx_proto_size

    txs = [chain.send(chain.wallets[0], address(chain.wallets[1]), n) for n in range(1, 5)]
    room = sum(tx_proto_size(t) for t in txs[:2])
    prepared = chain.app.prepare_proposal(abci.RequestPrepareProposal(
        txs=[txs[0], b"junk", txs[1], txs[2], txs[3]], max_tx_bytes=room, height=2))
    assert list(prepared.txs) == txs[:2]  # the junk is dropped and costs no room
