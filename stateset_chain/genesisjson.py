"""The genesis ``app_state`` JSON, read without holding it as one tree of Python objects.

CometBFT hands InitChain the ``app_state`` as one byte string. ``json.loads`` of it builds a dict
tree ~10x its size; with a million orders (~1.4 KB of JSON each) that alone was more memory than a
node has. ``read_app_state(raw, streams)`` builds each module's section as ``json.loads`` would,
except the list fields named in ``streams`` (``{module: (field, ...)}``, from
``Module.genesis_streams``): each of those becomes a ``StreamedList``, which parses its items one
at a time from ``raw`` when iterated (a new pass over the bytes each time), so a module's genesis
decodes, checks and writes one item before the next is read. The parsing is ijson's C backend
(yajl): one pass that builds everything but the streamed lists, then one pass per iteration of a
streamed list.

Same values as ``json.loads``: integers exact, non-integers as ``float``, strings unescaped. A
document yajl does not read (malformed JSON, an integer beyond 64 bits) or one that repeats a
key on the way to a streamed list (``json.loads`` keeps the last value; a streamed list would
read them all) is read by ``json.loads`` whole instead, so the result, or the ``ValueError``,
is always ``json.loads``'s.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import ijson
from ijson.common import ObjectBuilder

_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})


class StreamedList:
    """A list field of the genesis, parsed one item at a time from the document's bytes."""

    def __init__(self, raw: bytes, prefix: str) -> None:
        self._raw = raw
        self._prefix = prefix  # ijson's path of the items: "<module>.<field>.item"
        # Called before each item is handed out: the reader is done with the previous one (the
        # app writes a genesis too large for memory through to the store here).
        self.on_item: Callable[[], None] | None = None

    def __iter__(self) -> Iterator[Any]:
        # the document was read whole once (read_app_state): this pass meets no error
        for item in ijson.items(io.BytesIO(self._raw), self._prefix, use_float=True):
            if self.on_item is not None:
                self.on_item()
            yield item


def read_app_state(
    raw: bytes, streams: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    """``raw``'s top-level object (``{}`` for empty bytes), with the ``streams`` lists as
    ``StreamedList``s (a streamed field holding anything but a list is returned as parsed)."""
    if not raw:
        return {}
    try:
        doc = _streaming(raw, streams or {})
    except (ijson.JSONError, _Repeated):
        doc = json.loads(raw)
    if not isinstance(doc, dict):
        raise ValueError("the genesis app_state is not a JSON object")
    return doc


class _Repeated(Exception):
    """A key on the way to a streamed list appears twice."""


def _streaming(raw: bytes, streams: Mapping[str, Sequence[str]]) -> Any:
    events = ijson.basic_parse(io.BytesIO(raw), use_float=True)
    builder = ObjectBuilder()
    streamed: list[tuple[str, str]] = []
    seen: set[tuple[int, str, str]] = set()
    depth = 0
    path: list[Any] = []  # the map key at each open level (None inside an array)
    for event, value in events:
        if (
            event == "start_array" and depth == 2 and path[0] in streams
            and path[1] in streams[path[0]]
        ):
            _skip_array(events)
            builder.event("start_array", None)
            builder.event("end_array", None)
            streamed.append((path[0], path[1]))
            continue
        builder.event(event, value)
        if event == "map_key":
            # a repeated key's last value wins in json.loads, but a streamed list would read
            # every one of them: such a document is read by json.loads
            on_way = (depth == 1 and value in streams) or (
                depth == 2 and path[0] in streams and value in streams[path[0]])
            if on_way:
                where = (depth, path[0] if depth == 2 else "", value)
                if where in seen:
                    raise _Repeated(value)
                seen.add(where)
            path[-1] = value
        elif event in _OPEN:
            depth += 1
            path.append(None)
        elif event in _CLOSE:
            depth -= 1
            path.pop()
    doc = builder.value
    if not isinstance(doc, dict):
        return doc
    for module, name in streamed:
        section = doc.get(module)
        if isinstance(section, dict) and section.get(name) == []:
            section[name] = StreamedList(raw, f"{module}.{name}.item")
    return doc


def _skip_array(events: Iterator[tuple[str, Any]]) -> None:
    """Consumes the events of an array whose ``start_array`` was just read."""
    depth = 1
    for event, _ in events:
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
            if depth == 0:
                return
