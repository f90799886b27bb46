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

**A streamed list in a file of its own.** CometBFT sends the whole ``app_state`` in one InitChain
request (1.3 GiB of JSON at a million orders), so a large list may instead live in a file beside
the genesis, named in its place by its SHA-256::

    "orders": {"params": {...}, "orders": {"path": "genesis.orders.orders.json",
                                            "sha256": "<64 lower-case hex digits>"}}

The file holds exactly the JSON array that would stand there (``export`` writes it so above
``FILE_THRESHOLD_BYTES``: ``write_list_file``). The path is relative to the directory of the
genesis file (``genesis_dir``: the node's ``config/``), plain (no ``..``, not absolute), so every
validator finds it at the same place. ``read_app_state`` reads the whole file once before any
module's genesis runs, checking its digest (a missing file: ``GenesisFileMissing``; another
digest: ``GenesisDigestMismatch``; a malformed reference or no ``genesis_dir``:
``GenesisFileReference``) and that yajl reads it; the list then parses one item at a time from
the file as it is iterated, hashing the bytes again, and a file that changed since is refused
at its end (``GenesisDigestMismatch``: InitChain fails, and what it wrote through is wiped when
the node restarts, as for any InitChain that did not reach its first commit). The items, and so
the state and app hash, are the ones the same list inline gives (what yajl does not read is read
by ``json.loads``, as above).
"""

from __future__ import annotations

import collections
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})


# A streamed list of at least this many bytes of JSON is exported to a file of its own.
FILE_THRESHOLD_BYTES = 64 << 20
_READ_SIZE = 1 << 20
_DIGEST = re.compile(r"[0-9a-f]{64}")
_REFERENCE_KEYS = frozenset({"path", "sha256"})


class GenesisFileError(Exception):
    """A file the genesis names for one of its lists cannot be used (not a user's tx error: the
    node refuses the genesis and stops, as for a malformed one)."""


class GenesisFileReference(GenesisFileError):
    """The reference is malformed (not a plain relative path and a SHA-256 in hex), or the app
    was not told where the genesis file is."""


class GenesisFileMissing(GenesisFileError):
    """No file at the path the genesis names."""


class GenesisDigestMismatch(GenesisFileError):
    """The file's SHA-256 is not the one the genesis names (or it changed while being read)."""


class StreamedList:
    """A list field of the genesis, parsed one item at a time from the document's bytes."""

    def __init__(self, raw: bytes, prefix: str) -> None:
        self._raw = raw
        self._prefix = prefix  # ijson's path of the items: "<module>.<field>.item"
        # Called before each item is handed out: the reader is done with the previous one (the
        # app writes a genesis too large for memory through to the store here).
        self.on_item: Callable[[], None] | None = None

    def _items(self) -> Iterator[Any]:
        # the document was read whole once (read_app_state): this pass meets no error
        return ijson.items(io.BytesIO(self._raw), self._prefix, use_float=True)  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Any]:
        for item in self._items():
            if self.on_item is not None:
                self.on_item()
            yield item


class FileList(StreamedList):
    """A list field of the genesis held in a file named by its SHA-256 (see the module
    docstring), parsed one item at a time from the file; its digest was checked and its JSON
    read once by ``read_app_state``, and each pass hashes the file again."""

    def __init__(self, path: Path, sha256: str) -> None:
        super().__init__(b"", "item")
        self.path, self.sha256 = path, sha256

    def _items(self) -> Iterator[Any]:
        with self.path.open("rb") as f:
            reader = _HashingReader(f)
            yield from ijson.items(reader, "item", use_float=True)
            reader.drain()
        if reader.hexdigest() != self.sha256:
            raise GenesisDigestMismatch(
                f"{self.path} changed while InitChain read it: its SHA-256 is now "
                f"{reader.hexdigest()}, the genesis names {self.sha256}"
            )


class _HashingReader:
    """A binary file's ``read``, hashing every byte read (SHA-256)."""

    def __init__(self, f: IO[bytes]) -> None:
        self._f = f
        self._hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._f.read(size)
        self._hash.update(data)
        return data

    def drain(self) -> None:
        while self.read(_READ_SIZE):
            pass

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def read_app_state(
    raw: bytes,
    streams: Mapping[str, Sequence[str]] | None = None,
    genesis_dir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """``raw``'s top-level object (``{}`` for empty bytes), with the ``streams`` lists as
    ``StreamedList``s (a streamed field holding anything but a list is returned as parsed); a
    streamed field holding a file reference (``{"path", "sha256"}``) becomes a ``FileList`` of
    that file under ``genesis_dir``, checked here (the module docstring)."""
    if not raw:
        return {}
    try:
        doc = _streaming(raw, streams or {})
    except (ijson.JSONError, _Repeated):
        doc = json.loads(raw)
    if not isinstance(doc, dict):
        raise ValueError("the genesis app_state is not a JSON object")
    for module, fields in (streams or {}).items():
        section = doc.get(module)
        for name in fields:
            value = section.get(name) if isinstance(section, dict) else None
            if isinstance(value, dict) and set(value) == _REFERENCE_KEYS:
                section[name] = _file_list(f"{module}.{name}", value, genesis_dir)  # type: ignore[index]
    return doc


def _file_list(where: str, ref: dict[str, Any], genesis_dir: str | os.PathLike[str] | None) -> Any:
    """The list a file reference names: a ``FileList`` once its digest and JSON are checked (or
    the file's ``json.loads`` value where yajl cannot read it, as for an inline document)."""
    name, digest = ref["path"], ref["sha256"]
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise GenesisFileReference(
            f"{where}: sha256 must be 64 lower-case hex digits, got {digest!r}"
        )
    if not isinstance(name, str) or not _plain_relative(name):
        raise GenesisFileReference(
            f"{where}: path must be a relative path without '..' (beside the genesis file), "
            f"got {name!r}"
        )
    if genesis_dir is None:
        raise GenesisFileReference(
            f"{where} names the file {name!r}, but the app was not told the genesis file's "
            "directory (statesetd start --genesis-dir)"
        )
    path = Path(genesis_dir) / name
    if not path.is_file():
        raise GenesisFileMissing(f"{where}: the genesis names {path}, which does not exist")
    with path.open("rb") as f:
        reader = _HashingReader(f)
        try:
            events = ijson.basic_parse(reader, use_float=True)
            first = next(events, None)
            collections.deque(events, maxlen=0)  # the whole file, in yajl's time
            readable = first is not None and first[0] == "start_array"
        except ijson.JSONError:
            readable = False
        reader.drain()
    if reader.hexdigest() != digest:
        raise GenesisDigestMismatch(
            f"{where}: {path} has SHA-256 {reader.hexdigest()}, the genesis names {digest}"
        )
    if not readable:  # not an array, or JSON yajl does not read: json.loads's value or error
        return json.loads(path.read_bytes())
    return FileList(path, digest)


def _plain_relative(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        bool(parts)
        and not name.startswith(("/", "\\"))
        and "\\" not in name
        and ":" not in parts[0]
        and all(p not in ("..", ".") for p in parts)
    )


def write_list_file(items: Iterator[Any] | Sequence[Any], path: Path) -> tuple[int, str]:
    """Writes ``items`` to ``path`` as one JSON array, one item at a time; returns its size in
    bytes and SHA-256 (hex), the reference's ``sha256``."""
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as out:
        for i, item in enumerate(items):
            chunk = (b"," if i else b"[") + json.dumps(item).encode()
            digest.update(chunk)
            size += out.write(chunk)
        end = b"]" if size else b"[]"
        digest.update(end)
        size += out.write(end)
    return size, digest.hexdigest()


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
