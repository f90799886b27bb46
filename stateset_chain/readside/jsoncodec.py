"""JSON on the read side: orjson, where the indexer and the API spend much of their time.

The indexer parses every typed event's attributes and writes every order document, outbox
payload and JSONB column; the API parses ``orders.doc`` and writes every answer. orjson does both
several times faster than the standard library. What it reads is proto JSON (the chain's events
and the documents built from them), where every 64-bit integer is a string, so its one
difference that matters, reading an integer beyond 64 bits as a float, cannot arise; what it
cannot write (an integer beyond 64 bits, say a PostgreSQL ``numeric`` sum) falls back to the
standard library, which writes the same JSON text.

``use_on(conn)`` makes a psycopg connection dump and load JSON/JSONB with these functions.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from psycopg.types.json import set_json_dumps, set_json_loads

loads = orjson.loads


def dumps(obj: Any) -> bytes:
    """Compact JSON as UTF-8 bytes (what ``json.dumps(obj, separators=(",", ":"),
    ensure_ascii=False)`` writes, encoded)."""
    try:
        return orjson.dumps(obj)
    except TypeError:  # an int beyond 64 bits, or a type orjson does not know
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def use_on(conn) -> None:
    """Dump and load JSON and JSONB on ``conn`` (sync or async psycopg) with orjson."""
    set_json_dumps(dumps, context=conn)
    set_json_loads(loads, context=conn)
