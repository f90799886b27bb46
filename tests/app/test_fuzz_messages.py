"""Structure-aware fuzzing of the whole app: every registered message type, hostile field values.

Each example builds a block of signed transactions whose messages are drawn field by field from the
message's protobuf descriptor, with values an attacker would pick (4,301-digit and 79-digit
amounts, signs, leading zeros, whitespace, unicode, empty strings, out-of-range ISO times, wrong
and foreign addresses, extreme integers and enums, nested and repeated values), mixed with raw
random bytes. The block goes through CheckTx, ProcessProposal and FinalizeBlock + Commit of the
real standard app (real ante chain, real secp256k1 signatures), and the test asserts:

- no exception ever leaves the app (CheckTx, ProcessProposal, FinalizeBlock, Commit);
- FinalizeBlock returns exactly one result per tx;
- no result is the panic code (sdk 111222): bad input gets a clear error of its own;
- the module invariants hold after every block (``check_invariants_every_block``: a broken
  invariant raises out of FinalizeBlock and fails the test).

The default run is bounded (``DEFAULT_EXAMPLES`` blocks per test, well under a minute);
``pytest --fuzz-examples N`` runs longer.
"""

from __future__ import annotations

import pytest
from google.protobuf.descriptor import FieldDescriptor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.app import PANIC_CODE
from stateset_chain.crypto.address import module_address
from tests.chain import Chain, address, wallet

from tendermint.abci import types_pb2 as abci

DEFAULT_EXAMPLES = 150
N_WALLETS = 4

_T = FieldDescriptor
_INT_RANGES = {
    _T.TYPE_INT32: (-(2**31), 2**31 - 1), _T.TYPE_SINT32: (-(2**31), 2**31 - 1),
    _T.TYPE_SFIXED32: (-(2**31), 2**31 - 1), _T.TYPE_UINT32: (0, 2**32 - 1),
    _T.TYPE_FIXED32: (0, 2**32 - 1), _T.TYPE_INT64: (-(2**63), 2**63 - 1),
    _T.TYPE_SINT64: (-(2**63), 2**63 - 1), _T.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    _T.TYPE_UINT64: (0, 2**64 - 1), _T.TYPE_FIXED64: (0, 2**64 - 1),
}

WALLETS = [wallet(i) for i in range(N_WALLETS)]
ADDRESSES = [address(w) for w in WALLETS]
HOSTILE_STRINGS = [
    "", "0", "1", "-1", "+1", "0123", "123\n", " 1", "1 ", "1e6", "1.5", "١٢٣", "9" * 79,
    "9" * 4301, str(2**64), str(2**64 - 1), str(2**256), str(2**256 - 1), "\x00", "é✓😀",
    "x" * 300, "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "2024-02-30",
    "2030-01-01T00:00:00Z", "ord_0123456789", "ord_", "uusdc", "ussusd", "usdc", "USDC",
    "stateset1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
    "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu",
    ADDRESSES[0].upper(), module_address("fee_collector"), module_address("orders_escrow"),
    "0x" + "ab" * 32, "standard", "express",
]


def hostile_string():
    return st.one_of(
        st.sampled_from(ADDRESSES),
        st.sampled_from(HOSTILE_STRINGS),
        st.text(max_size=20),
        st.integers(0, 10**30).map(str),
    )


def hostile_scalar(f):
    if f.type == _T.TYPE_STRING:
        return hostile_string()
    if f.type == _T.TYPE_BYTES:
        return st.one_of(st.binary(max_size=40), st.binary(min_size=32, max_size=32),
                         st.sampled_from([b"", b"\x00" * 32, b"\xff" * 33]))
    if f.type == _T.TYPE_BOOL:
        return st.booleans()
    if f.type == _T.TYPE_ENUM:
        numbers = [v.number for v in f.enum_type.values]
        return st.one_of(st.sampled_from(numbers), st.integers(-3, 50))
    if f.type in _INT_RANGES:
        lo, hi = _INT_RANGES[f.type]
        return st.one_of(st.sampled_from([lo, hi, 0, 1, -1 if lo < 0 else 2]),
                         st.integers(lo, hi))
    return st.just(0.0)  # float/double (none in this chain's messages)


@st.composite
def hostile_message(draw, cls, depth: int = 0):
    """An instance of ``cls`` whose fields are each left unset or given a hostile value."""
    msg = cls()
    for f in cls.DESCRIPTOR.fields:
        if not draw(st.booleans()) and depth > 0:
            continue
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            key_f = f.message_type.fields_by_name["key"]
            value_f = f.message_type.fields_by_name["value"]
            if value_f.message_type is None:
                entries = draw(st.dictionaries(hostile_scalar(key_f), hostile_scalar(value_f),
                                               max_size=3))
                getattr(msg, f.name).update(entries)
            continue
        if f.message_type is not None:
            if depth >= 2 or f.message_type.full_name.startswith("google.protobuf."):
                continue
            sub_cls = type(getattr(cls(), f.name)) if f.label != _T.LABEL_REPEATED else None
            if f.label == _T.LABEL_REPEATED:
                container = getattr(msg, f.name)
                for _ in range(draw(st.integers(0, 3))):
                    item = container.add()
                    item.CopyFrom(draw(hostile_message(type(item), depth + 1)))
            else:
                getattr(msg, f.name).CopyFrom(draw(hostile_message(sub_cls, depth + 1)))
            continue
        if f.label == _T.LABEL_REPEATED:
            getattr(msg, f.name).extend(draw(st.lists(hostile_scalar(f), max_size=3)))
        else:
            setattr(msg, f.name, draw(hostile_scalar(f)))
    return msg


def signer_fields(route) -> list[str]:
    """The top-level string fields ``route.signers`` reads (found by probing with markers)."""
    probe = route.msg_cls()
    strings = [f.name for f in route.msg_cls.DESCRIPTOR.fields
               if f.type == _T.TYPE_STRING and f.label != _T.LABEL_REPEATED]
    for name in strings:
        setattr(probe, name, f"marker:{name}")
    found = set(route.signers(probe))
    return [name for name in strings if f"marker:{name}" in found]


@st.composite
def signed_by(draw, route, signer: str):
    """A hostile message of ``route`` that, most of the time, names ``signer`` as its signer (so
    it passes the ante and reaches validation and the handler)."""
    msg = draw(hostile_message(route.msg_cls))
    if draw(st.integers(0, 9)):
        for name in signer_fields(route):
            setattr(msg, name, signer)
    return msg


@pytest.fixture(scope="module")
def chain() -> Chain:
    return Chain.start(n_wallets=N_WALLETS)


@pytest.fixture(scope="module")
def examples(request) -> int:
    return request.config.getoption("--fuzz-examples") or DEFAULT_EXAMPLES


def signed(chain: Chain, msgs, signer_index: int, gas: int) -> bytes:
    w = chain.wallets[signer_index]
    sequence = chain.query_account(address(w)).sequence  # committed: one tx per wallet per block
    return chain.sign(w, msgs, sequence=sequence, gas=gas)


def run_block(chain: Chain, txs: list[bytes]) -> None:
    for tx in txs:
        res = chain.app.check_tx(abci.RequestCheckTx(tx=tx))
        assert res.code != PANIC_CODE, f"CheckTx panicked: {res.log}"
    chain.app.process_proposal(abci.RequestProcessProposal(txs=txs, height=chain.height + 1))
    res = chain.finalize(txs)
    assert len(res.tx_results) == len(txs)
    panics = [r.log for r in res.tx_results if r.code == PANIC_CODE]
    assert not panics, panics
    chain.commit()


def test_every_message_type_with_hostile_fields_gets_a_clear_result(chain, examples):
    routes = sorted(chain.core.routes.values(), key=lambda r: r.type_url)

    @st.composite
    def tx_of(draw, signer_index: int):
        picked = draw(st.lists(st.sampled_from(routes), min_size=1, max_size=3))
        msgs = [draw(signed_by(r, ADDRESSES[signer_index])) for r in picked]
        gas = draw(st.sampled_from([200_000, 2_000_000, 1, 0]))
        return signed(chain, msgs, signer_index, gas)

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        n = data.draw(st.integers(1, N_WALLETS))
        txs = [data.draw(tx_of(i)) for i in range(n)]
        if data.draw(st.booleans()):
            txs.insert(data.draw(st.integers(0, len(txs))), data.draw(st.binary(max_size=200)))
        run_block(chain, txs)

    run()


def test_each_message_type_alone_with_hostile_fields(chain, examples):
    """Every type at least a few times: one type per example, a wallet-signed tx."""
    routes = sorted(chain.core.routes.values(), key=lambda r: r.type_url)
    for route in routes:
        fuzz_one_type(chain, route, max(3, examples // 10))


def fuzz_one_type(chain: Chain, route, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data(), who=st.integers(0, N_WALLETS - 1))
    def run(data, who):
        msg = data.draw(signed_by(route, ADDRESSES[who]))
        run_block(chain, [signed(chain, [msg], who, 2_000_000)])

    run()


def test_a_valid_message_signed_by_its_signer_runs_alongside_hostile_ones(examples):
    """A funded wallet's ordinary send still succeeds in a block full of hostile txs.

    On a chain of its own: the shared one has run the authority's hostile messages, which may
    legitimately schedule an upgrade (the chain halts at its height), sanction a wallet or
    limit its sends."""
    from stateset_chain.client import msg_send
    from stateset_chain.coins import USDC, Coin

    chain = Chain.start(n_wallets=N_WALLETS)

    @settings(max_examples=max(5, examples // 5), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(junk=st.lists(st.binary(max_size=300), min_size=1, max_size=5))
    def run(junk):
        w = chain.wallets[1]
        send = signed(chain, [msg_send(address(w), ADDRESSES[2], [Coin(USDC, 1)])], 1, 200_000)
        txs = [*junk, send]
        res = chain.finalize(txs)
        assert len(res.tx_results) == len(txs)
        assert res.tx_results[-1].code == 0, res.tx_results[-1].log
        assert all(r.code != 0 for r in res.tx_results[:-1])
        chain.commit()

    run()
