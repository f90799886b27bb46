"""Messages delivered as the app delivers a tx's messages, for module harnesses without signed txs.

A harness that tests one module's messages (``tests/orders``, ``tests/cctp``) has no ante chain to
run (no keys, fees or sequences), so it starts where the app is once the ante has passed: every
message statelessly validated (``delivery.validate_msgs``, what the app's ante runs), then
``stateset_chain.delivery.run_msgs``, the app's own code, with what each validation parsed, on
one branch written only if every message succeeds. A failure raises the failing message's
``ChainError`` itself, for ``pytest.raises``. Tests of the whole path (signatures, fees, results)
use ``tests.chain.Chain``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stateset_chain.context import BlockInfo
from stateset_chain.delivery import Delivered, MessageFailed, run_msgs, validate_msgs
from stateset_chain.gas import GasMeter
from stateset_chain.module import MsgRoute, msg_route
from stateset_chain.store.kv import KVStore


def deliver(
    store: KVStore, block: BlockInfo, msgs: Sequence[Any], routes: Mapping[type, MsgRoute],
    meter: GasMeter | None = None,
) -> Delivered:
    """Runs ``msgs`` as one tx's messages on ``store`` (``routes``: by message class); writes
    their changes only if all succeed, else raises the first failure's ChainError."""
    msg_routes = [routes[type(msg)] for msg in msgs]
    parsed = validate_msgs(msgs, msg_routes)
    try:
        delivered = run_msgs(store, block, msgs, msg_routes, parsed, meter=meter)
    except MessageFailed as failed:
        raise failed.error from None
    delivered.branch.write()
    return delivered


def handle(msg_file: Any, keeper: Any, ctx: Any, msg: Any) -> Any:
    """One message file's handler on ``ctx`` as its route runs it: the message validated, the
    handler given what the validation parsed (for unit tests of one handler's guards)."""
    route = msg_route(keeper, msg_file)
    return route.handler(ctx, msg, route.validate(msg))
