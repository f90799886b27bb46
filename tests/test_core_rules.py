"""Each shared rule has one implementation, in the core (docs/architecture.md, "core"): these
scans fail when a copy of one reappears in a module, an edge or a tool."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import stateset_chain

PACKAGE = Path(stateset_chain.__file__).parent


def _sources() -> dict[str, str]:
    return {
        str(p.relative_to(PACKAGE)): p.read_text()
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.relative_to(PACKAGE).parts[0] != "pb"
    }


def _where(pattern: str) -> list[str]:
    regex = re.compile(pattern, re.MULTILINE)
    return [name for name, text in _sources().items() if regex.search(text)]


def test_one_varint_encoder():
    assert _where(r"^\s*def \w*varint\w*\(") == ["protowire.py"]
    assert _where(r"0x7F\) \| 0x80") == ["protowire.py"]


def test_one_address_check():
    assert _where(r"^\s*def \w*(require|canonical)\w*address\w*\(") == ["crypto/address.py"]
    assert _where(r"encode\((raw|address\.decode\(\w+\))\) [!=]=") == ["crypto/address.py"]
    assert _where(r"address\.encode\(address\.decode\(") == []


def test_one_amount_parser():
    """Modules bind their own error class to ``coins.parse_amount``; none parses by itself."""
    wrappers = [n for n in _where(r"^\s*def parse_amount\(") if n != "coins.py"]
    assert wrappers  # (the scan finds them)
    for name in wrappers:
        body = _sources()[name].split("def parse_amount(", 1)[1].split("\ndef ", 1)[0]
        assert "coins.parse_amount(" in body, name
    assert _where(r"_(AMOUNT|PRICE|UNITS) = re\.compile") == ["coins.py"]


def test_one_writer_of_currency_units_and_one_json_uint_reader():
    """Base units become currency text in ``coins.format_units`` only (the CLI, the read side's
    render and the Orders API call it); genesis reads JSON integers with ``coins.parse_uint``."""
    assert _where(r"^\s*def format_units\(") == ["coins.py"]
    assert _where(r"divmod\(.*\bUNIT\)") == ["coins.py"]
    assert _where(r"\.scaleb\(") == []
    assert _where(r"\*\*\s*\w*DECIMALS\b") == ["coins.py", "rates.py"]  # units and rates
    assert _where(r"isinstance\(\w+, bool\) and 0 <=") == ["coins.py"]


def test_one_pubkey_type_url():
    url = "/cosmos.crypto.secp256k1.PubKey"
    holders = []
    for name, text in _sources().items():
        constants = [n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Constant)]
        if any(c.value == url for c in constants):
            holders.append(name)
    assert holders == ["crypto/secp256k1.py"]


def test_one_max_gas_wanted():
    assert _where(r"^MAX_GAS_WANTED\s*=") == ["auth/tx.py"]
    assert _where(r"MAX_GAS_WANTED") == ["auth/tx.py"]


def test_one_time_module():
    """ISO 8601 / RFC 3339 text is read and written by ``timefmt`` only: no datetime parsing or
    strftime, no calendar of its own, no copy of the year range, in the chain, the read side,
    the API, the CLI or the gateway."""
    assert _where(r"^\s*def (parse|format)_iso8601\w*\(") == ["timefmt.py"]
    assert _where(r"Timestamp\(seconds=\w+, nanos=\w+\)\.ToJsonString") == ["timefmt.py"]
    assert _where(r"\.(fromisoformat|strftime|strptime|isoformat)\(|FromJsonString\(") == []
    assert _where(r"^\s*def (civil_from_days|days_from_civil)\(") == ["timefmt.py"]
    assert _where(r"253_?402_?300_?799") == ["timefmt.py"]  # 9999-12-31T23:59:59Z
    assert _where(r"datetime\.fromtimestamp\(") == ["webhooks/signing.py"]  # the library's type


def test_one_cache_type():
    """Every memo is a ``cache.BoundedCache`` (no functools caches, no cache class of its own)."""
    assert _where(r"functools\.(lru_cache|cache)\b") == []
    assert _where(r"^from functools import .*\b(lru_cache|cache)\b") == []
    assert _where(r"^class \w*Cache\b") == ["cache.py", "store/commit.py"]  # + the tree's NodeCache
    assert "class NodeCache" in _sources()["store/commit.py"]


def test_one_error_declaration_style():
    """Every error is a ``class Name(ModuleError, code=N, description=...)`` in its module's
    ``errors.py``: no factory registers classes, and ``sdk/18 InvalidRequest`` is raised only
    where the SDK raises it (no messages, gas above MaxGasWanted, a proof the store cannot give,
    an empty tx to simulate) and for an Order query whose fields contradict each other."""
    assert _where(r"(?<![.\w])register\(\w+\)") == ["errors.py"]
    assert _where(r"= type\(\w*, \(\w*Error") == []
    raisers = _where(r"raise InvalidRequest\(")
    assert raisers == ["app.py", "auth/tx.py", "orders/queries.py"], raisers
    pagination = _where(r"raise InvalidPagination\(")
    assert pagination == ["querying.py"], pagination


def test_one_rate_parser():
    """Rates (the oracle's 10^18 fixed point) are parsed and written by ``rates.py`` only."""
    assert _where(r"^\s*def (parse|format)_rate\(") == ["rates.py"]
    assert _where(r"^_RATE\w* = re\.compile") == ["rates.py"]
    assert _where(r"^RATE_SCALE\s*=") == ["rates.py"]
