"""No hidden back-calls: the wiring builds keepers and lists modules; it sets nothing on a keeper
after building it. Every dependency is a constructor argument, or a registry the provider owns
that the dependent module attaches to in its own constructor (bank/blocked.py, orders/hooks.py,
cctp/hooks.py), so the edge is visible in the module that has it."""

from __future__ import annotations

import ast
import pathlib
from collections.abc import Iterator

import pytest

import stateset_chain
from stateset_chain.crosschain.deposit import DEPOSIT_ADDRESS, deposit_address_bytes
from stateset_chain.crosschain.refunder import CctpRefunder
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.inventory.state import InventoryKeeper
from stateset_chain.orders.ids import make_order_id
from stateset_chain.wiring import standard_keepers

WIRING = pathlib.Path(stateset_chain.__file__).parent / "wiring.py"
ALLOWED: set[str] = set()


def test_the_wiring_assigns_no_attribute_of_a_built_keeper():
    tree = ast.parse(WIRING.read_text())
    assigned = set()
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else [])
        for t in targets:
            if isinstance(t, ast.Attribute | ast.Subscript):
                assigned.add(ast.unparse(t))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("append", "extend", "register", "attach"):
                assigned.add(ast.unparse(node.func))
    assert assigned <= ALLOWED, sorted(assigned - ALLOWED)


def test_the_keepers_attach_themselves_as_they_are_built():
    k = standard_keepers()
    # inventory reserves stock; inventory then conditional follow status changes, in that order
    assert k.orders.hooks.stock is k.inventory
    assert k.orders.hooks.status == [k.inventory, k.conditional]
    assert isinstance(k.orders.hooks.refunder, CctpRefunder)
    assert k.orders.encryption_keys is k.privacy
    assert k.conditional.inventory is k.inventory
    raw = deposit_address_bytes(make_order_id("stateset-test-1", 7), "stateset-test-1")
    assert k.cctp.hook_takes(raw) and k.cctp.on_blocked_mint is not None
    assert k.bank.blocked_addresses.reason(raw) == DEPOSIT_ADDRESS
    assert k.bank.blocked_addresses.reason(bytes(20)) is None


def test_a_second_hook_of_a_kind_is_refused():
    k = standard_keepers()
    with pytest.raises(ValueError, match="already has a stock keeper"):
        InventoryKeeper(k.orders)
    with pytest.raises(ValueError, match="already has a mint hook"):
        CrosschainKeeper(k.bank, k.orders, k.cctp)


# A module reaches another only through the Protocols of its own expected.py (wired keepers, see
# wiring.py) or another module's expected.py; the shared core (coins, crypto, rates, timefmt, ...)
# is everyone's. Nothing else of another module may be imported (its state, msgs, keys, queries,
# genesis, hooks, lifecycle, ...), with these exceptions, each a stateless format whose one
# definition lives with the module that owns it (docs/architecture.md, "Module dependencies"):
#   orders.ids       the order id grammar: deposit addresses, conditions and subscription cycles
#                    name orders by it (``is_order_id``, ``require_order_id``)
#   orders.errors    the orders' error classes: a carried order message refused by the orders'
#                    own rule reports the orders' (codespace, code) (MissingField, NoItems), and
#                    crosschain tells apart the refusals of a payment it attempted
#   privacy.errors   likewise for a sealed envelope's key checks (subscriptions' re-seal trigger)
#   privacy.envelope the sealed-envelope format orders validate personal data against
#   cctp.codec       the CCTP wire format: a deposit address as the bytes32 a burn message carries
# A new entry is a new edge: add it here with its reason, and to docs/architecture.md.
JUSTIFIED = {
    "conditional": {"orders.errors", "orders.ids"},
    "crosschain": {"cctp.codec", "orders.errors", "orders.ids"},
    "inventory": {"orders.ids"},
    "orders": {"privacy.envelope", "privacy.errors"},
    "subscriptions": {"orders.errors", "orders.ids", "privacy.errors"},
}
# The kinds of part an exception may be: formats and error classes, never a keeper, a message
# file or anything that reads or writes state.
STATELESS_PARTS = {"ids", "errors", "envelope", "codec"}


def modules_of(package: pathlib.Path) -> set[str]:
    """The package's modules: the folders with a SPEC.md (the store's is the core's)."""
    return {p.name for p in package.iterdir() if (p / "SPEC.md").exists()} - {"store"}


def imported(path: pathlib.Path) -> Iterator[list[str]]:
    """Every name ``path`` imports, dotted parts (``from a.b import c``: a.b.c)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        for target in targets:
            yield target.split(".")


def cross_module_imports(package: pathlib.Path) -> dict[str, set[str]]:
    """``{module: {"other.part", ...}}``: every import (expected.py files included) of another
    module's part other than its ``expected``."""
    modules = modules_of(package)
    found: dict[str, set[str]] = {}
    for name in sorted(modules):
        for path in sorted((package / name).rglob("*.py")):
            for parts in imported(path):
                if parts[0] != "stateset_chain" or len(parts) < 2 or parts[1] not in modules:
                    continue
                if parts[1] == name or parts[2:3] == ["expected"]:
                    continue
                found.setdefault(name, set()).add(".".join(parts[1:3]))
    return found


def test_modules_reach_each_other_only_through_expected_protocols_and_justified_formats():
    assert cross_module_imports(WIRING.parent) == JUSTIFIED


def test_no_exception_is_a_keeper_a_message_or_state():
    for targets in JUSTIFIED.values():
        assert {t.split(".")[1] for t in targets} <= STATELESS_PARTS


def test_the_check_sees_an_import_of_another_modules_state_or_messages(tmp_path):
    """The scan reports what it must refuse (so the pinned set above can fail)."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "SPEC.md").write_text("")
    (tmp_path / "a" / "expected.py").write_text("from stateset_chain.b.state import Keeper\n")
    (tmp_path / "a" / "handler.py").write_text(
        "import stateset_chain.b.msgs.pay\nfrom stateset_chain.b import expected\n"
        "from stateset_chain.b.expected import Hook\nfrom stateset_chain.a import state\n"
    )
    assert cross_module_imports(tmp_path) == {"a": {"b.state", "b.msgs"}}


# The state machine's core and the shared rules every module uses: they import no module (only
# wiring.py assembles modules into an app; the edges - CLI, client, indexer, API - are no core).
CORE_FILES = (
    "app.py", "app_types.py", "cache.py", "coins.py", "context.py", "delivery.py", "errors.py",
    "events.py", "gas.py", "module.py", "pipeline.py", "protowire.py", "rates.py", "timefmt.py",
)
CORE_PACKAGES = ("abci", "crypto", "fast", "store")


def test_the_core_imports_no_module():
    package = WIRING.parent
    modules = modules_of(package)
    paths = [package / f for f in CORE_FILES]
    paths += [p for d in CORE_PACKAGES for p in sorted((package / d).rglob("*.py"))]
    found = set()
    for path in paths:
        for parts in imported(path):
            if parts[0] == "stateset_chain" and len(parts) > 1 and parts[1] in modules:
                found.add(f"{path.relative_to(package)}: {'.'.join(parts)}")
    assert found == set()
