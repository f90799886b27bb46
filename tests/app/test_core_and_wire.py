"""The state machine apart from its wire: the core (``app.App``) imports no ABCI type and can be
driven in its own terms; the ABCI adapter's fast result bytes equal protobuf's encoding of the
same results, and both roads give the same app hash."""

from __future__ import annotations

import ast
import pathlib

import stateset_chain
import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.results import encode_tx_result, tx_result_proto
from stateset_chain.app import PANIC_CODE
from stateset_chain.app_types import Block, Genesis, TxResult
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app
from tests.chain import BLOCK_SECONDS, CHAIN_ID, GENESIS_TIME, Chain, address, genesis_bytes

from stateset.orders.v1 import tx_pb2 as orders_tx

PACKAGE = pathlib.Path(stateset_chain.__file__).parent
CORE_FILES = (
    "app.py", "app_types.py", "pipeline.py", "delivery.py", "context.py", "module.py", "wiring.py",
    "events.py",
)


def _imports(path: pathlib.Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_imports_neither_the_abci_edge_nor_its_wire_types():
    for name in CORE_FILES:
        wire = {m for m in _imports(PACKAGE / name)
                if m.startswith(("tendermint", "stateset_chain.abci"))}
        assert not wire, f"{name} imports {sorted(wire)}"


def test_the_app_does_not_import_its_wiring():
    """``wiring`` builds the app; the app never imports ``wiring`` back (no cycle)."""
    assert "stateset_chain.wiring" not in _imports(PACKAGE / "app.py")


def _txs(chain: Chain) -> list[bytes]:
    w = chain.wallets
    return [
        chain.send(w[0], address(w[1]), 1_000),
        chain.send(w[2], address(w[0]), 10**15),  # more than the balance: fails in its message
        b"\x0a\x03not a tx",  # fails to decode
        chain.create_order(w[1], w[3], 1),
        chain.sign(w[3], [orders_tx.MsgCancelOrder(signer=address(w[3]), order_id="ord_none")]),
    ]


def test_the_core_runs_blocks_in_its_own_terms_with_the_adapters_app_hash():
    via_abci = Chain.start()
    txs = _txs(via_abci)
    wire = via_abci.block(txs)

    core = standard_app(CommitStore.in_memory())
    core.check_invariants_every_block = True
    core.init_chain(Genesis(
        chain_id=CHAIN_ID, initial_height=1, time_ns=GENESIS_TIME * 10**9,
        app_state=genesis_bytes(via_abci.wallets),
    ))
    for height, block_txs in ((1, []), (2, txs)):
        time_ns = (GENESIS_TIME + BLOCK_SECONDS * height) * 10**9
        result = core.finalize_block(Block(height=height, time_ns=time_ns, txs=block_txs))
        core.commit()
    assert all(isinstance(r, TxResult) for r in result.tx_results)
    assert result.app_hash == wire.app_hash
    assert [r.code for r in result.tx_results] == [r.code for r in wire.tx_results]
    assert result.tx_results[0].ok and not result.tx_results[1].ok


def test_the_fast_result_bytes_are_protobufs_encoding_of_every_kind_of_result():
    chain = Chain.start()
    core = chain.core
    txs = _txs(chain)
    time_ns = (GENESIS_TIME + BLOCK_SECONDS * (chain.height + 1)) * 10**9
    block = core.finalize_block(Block(height=chain.height + 1, time_ns=time_ns, txs=txs))
    codes = {r.code != 0 for r in block.tx_results}
    assert codes == {True, False}  # both the hand-written path and the protobuf path
    for result in block.tx_results:
        reference = tx_result_proto(result).SerializeToString(deterministic=True)
        assert encode_tx_result(result) == reference
    panic = TxResult(code=PANIC_CODE, codespace="sdk", log="panic", gas_wanted=5, gas_used=3,
                     events=block.tx_results[0].events[:1])
    assert encode_tx_result(panic) == tx_result_proto(panic).SerializeToString(deterministic=True)
