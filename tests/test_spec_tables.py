"""Each module's SPEC.md agrees with its code, so the spec cannot drift: the module has the common
shape (stateset_chain/module.py), its "Errors" tables list exactly its registered errors with
their codes, it names exactly the messages its Msg service routes and each message's signer
field, and it lists exactly the typed events its events.proto declares."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from google.protobuf.descriptor import FieldDescriptor

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import registered_errors

PACKAGE = Path(__file__).resolve().parents[1] / "stateset_chain"
MODULES = [
    "auth",
    "bank",
    "stablecoin",
    "privacy",
    "orders",
    "inventory",
    "subscriptions",
    "conditional",
    "cctp",
    "crosschain",
    "upgrade",
    "compliance",
    "oracle",
]
SHAPE = [
    "keys.py",
    "state.py",
    "queries.py",
    "events.py",
    "errors.py",
    "genesis.py",
    "invariants.py",
    "expected.py",
    "module.py",
    "SPEC.md",
]
NO_MESSAGES = {"auth"}  # its work is the tx pipeline (auth/module.py)


def spec(module: str) -> str:
    return (PACKAGE / module / "SPEC.md").read_text()


def sections(text: str, word: str) -> str:
    """The text under every ``##``/``###`` heading that contains ``word``."""
    out, keep = [], False
    for line in text.splitlines():
        if line.startswith("#"):
            keep = word.lower() in line.lower()
            continue
        if keep:
            out.append(line)
    return "\n".join(out)


def table_pairs(text: str) -> set[tuple[int, str]]:
    """(code, class) pairs from Markdown table rows: a cell holding a number followed by a cell
    holding a class name (rows may hold several pairs side by side)."""
    pairs = set()
    for line in text.splitlines():
        if not line.lstrip().startswith("|"):
            continue
        cells = [c.strip().strip("`").strip() for c in line.strip().strip("|").split("|")]
        for a, b in zip(cells, cells[1:], strict=False):
            if a.isdigit() and re.fullmatch(r"[A-Z]\w+", b):
                pairs.add((int(a), b))
    return pairs


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_the_common_shape(module):
    missing = [f for f in SHAPE if not (PACKAGE / module / f).exists()]
    if module not in NO_MESSAGES and not (PACKAGE / module / "msgs" / "__init__.py").exists():
        missing.append("msgs/")
    assert missing == []
    assert not (PACKAGE / module / "handlers.py").exists() or module == "bank"


@pytest.mark.parametrize("module", MODULES)
def test_the_errors_tables_list_exactly_the_registered_errors(module):
    importlib.import_module(f"stateset_chain.{module}.errors")
    registered = {
        (code, cls.__name__)
        for (codespace, code), cls in registered_errors().items()
        if codespace == module
    }
    documented = table_pairs(sections(spec(module), "Errors"))
    assert documented == registered, (
        f"in SPEC.md, not registered: {sorted(documented - registered)}; "
        f"registered, not in SPEC.md: {sorted(registered - documented)}"
    )


def _routes(module: str):
    msgs = importlib.import_module(f"stateset_chain.{module}.msgs")
    return list(msgs.ALL)


TX_PROTOS = {"bank": "cosmos.bank.v1beta1.tx_pb2", "upgrade": "cosmos.upgrade.v1beta1.tx_pb2"}


def _tx_messages(module: str) -> set[str]:
    tx = importlib.import_module(TX_PROTOS.get(module, f"stateset.{module}.v1.tx_pb2"))
    return {n for n in tx.DESCRIPTOR.message_types_by_name if not n.endswith("Response")}


@pytest.mark.parametrize("module", [m for m in MODULES if m not in NO_MESSAGES])
def test_the_spec_names_exactly_the_routed_messages(module):
    routed = {f.MSG.DESCRIPTOR.name for f in _routes(module)}
    text = spec(module)
    mentioned = {m for m in _tx_messages(module) if re.search(rf"\b{m}\b", text)}
    assert routed <= _tx_messages(module)
    assert mentioned == routed, (
        f"routed, not in SPEC.md: {sorted(routed - mentioned)}; "
        f"in SPEC.md, not routed: {sorted(mentioned - routed)}"
    )


def _probe(cls):
    """A message whose every string field (one level of sub-messages included) holds its own
    path, so that ``signers(msg)`` names the fields it reads."""
    msg = cls()
    for field in cls.DESCRIPTOR.fields:
        if field.label == FieldDescriptor.LABEL_REPEATED:
            continue
        if field.type == FieldDescriptor.TYPE_STRING:
            setattr(msg, field.name, field.name)
        elif field.type == FieldDescriptor.TYPE_MESSAGE:
            inner = getattr(msg, field.name)
            for sub in field.message_type.fields:
                if sub.type == FieldDescriptor.TYPE_STRING and sub.label != sub.LABEL_REPEATED:
                    setattr(inner, sub.name, f"{field.name}.{sub.name}")
    return msg


def signer_cells(text: str) -> dict[str, list[str]]:
    """Per message name, the cells under a "signer" column of every table row naming it."""
    found: dict[str, list[str]] = {}
    lines = text.splitlines()
    header: list[str] | None = None
    for i, line in enumerate(lines):
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if i + 1 < len(lines) and re.fullmatch(r"\|[\s:|-]+\|", lines[i + 1].strip()):
            header = [c.lower() for c in cells]
            continue
        columns = [i for i, h in enumerate(header or []) if "signer" in h]
        if not columns:
            continue
        column = columns[-1]
        for name in re.findall(r"Msg[A-Z]\w+", cells[0]):
            if column < len(cells):
                found.setdefault(name, []).append(cells[column])
    return found


@pytest.mark.parametrize("module", [m for m in MODULES if m not in NO_MESSAGES])
def test_the_spec_names_each_message_signer(module):
    """The field a message's ``signers`` reads is named in SPEC.md: in the "signer" column of a
    table row of the message, or on a line about signers or the message's own heading."""
    text = spec(module)
    lines = text.splitlines()
    cells = signer_cells(text)
    for f in _routes(module):
        name = f.MSG.DESCRIPTOR.name
        (path,) = f.signers(_probe(f.MSG))
        field = path.rsplit(".", 1)[-1]
        candidates = cells.get(name, []) + [
            line for line in lines
            if "signer" in line.lower() or (line.startswith("#") and name in line)
        ]
        assert any(re.search(rf"\b{re.escape(field)}\b", c) for c in candidates), (
            f"{name}: SPEC.md does not name its signer field {path!r}"
        )


@pytest.mark.parametrize("module", [m for m in MODULES if m != "auth"])
def test_the_events_section_lists_exactly_the_declared_events(module):
    events = importlib.import_module(f"stateset_chain.{module}.events")
    declared = {cls.DESCRIPTOR.name for cls in events.ALL}
    proto = importlib.import_module(f"stateset.{module}.v1.events_pb2")
    assert declared == set(proto.DESCRIPTOR.message_types_by_name)
    mentioned = {n for n in declared if re.search(rf"\b{n}\b", spec(module))}
    assert mentioned == declared, f"not in SPEC.md: {sorted(declared - mentioned)}"
    text = sections(spec(module), "Events")
    # a typed event named first in an Events table row must be one of ours (or the bank's,
    # whose CoinsTransferred accompanies every movement)
    bank_events = importlib.import_module("stateset_chain.bank.events")
    bank = {cls.DESCRIPTOR.name for cls in bank_events.ALL}
    for line in text.splitlines():
        first = re.match(r"\|\s*`([A-Z][A-Za-z]+)", line)
        if first and not first.group(1).startswith("Msg"):
            assert first.group(1) in declared | bank, f"{first.group(1)} is not an event of ours"
