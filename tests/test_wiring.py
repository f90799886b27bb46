"""No hidden back-calls: the wiring builds keepers and lists modules; it sets nothing on a keeper
after building it. Every dependency is a constructor argument, or a registry the provider owns
that the dependent module attaches to in its own constructor (bank/blocked.py, orders/hooks.py,
cctp/hooks.py), so the edge is visible in the module that has it."""

from __future__ import annotations

import ast
import pathlib

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


# Besides the Protocols of its expected.py (wired keepers), a module imports of another only these
# stateless parts: id formats, wire codecs and their result types (and cctp's hook type), error
# classes, the order lifecycle's status names, the sealed-envelope format, the oracle's currency
# code grammar, and the orders' stateless checks of an order message (subscriptions and
# conditional orders build orders; their state goes through the keeper). A new entry is a new
# edge: docs/architecture.md, "Module dependencies".
STATELESS_IMPORTS = {
    "conditional": {"oracle.params", "orders.ids", "orders.msgs"},
    "crosschain": {"cctp.codec", "cctp.results", "cctp.state", "orders.errors", "orders.ids"},
    "inventory": {"orders.lifecycle", "orders.msgs"},
    "orders": {"privacy.envelope", "privacy.errors"},
    "subscriptions": {"orders.errors", "orders.ids", "orders.msgs", "privacy.errors"},
}


def _cross_module_imports() -> dict[str, set[str]]:
    package = WIRING.parent
    modules = {p.name for p in package.iterdir() if (p / "SPEC.md").exists()} - {"store"}
    found: dict[str, set[str]] = {}
    for name in sorted(modules):
        for path in sorted((package / name).rglob("*.py")):
            if path.name == "expected.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    targets = [f"{node.module}.{alias.name}" for alias in node.names]
                elif isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                else:
                    continue
                for target in targets:
                    parts = target.split(".")
                    if parts[0] == "stateset_chain" and len(parts) > 1 and parts[1] in modules \
                            and parts[1] != name:
                        found.setdefault(name, set()).add(".".join(parts[1:3]))
    return found


def test_modules_reach_each_other_only_through_expected_protocols_and_stateless_parts():
    assert _cross_module_imports() == STATELESS_IMPORTS
