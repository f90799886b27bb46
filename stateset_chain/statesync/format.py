"""The snapshot format (format 1): a manifest and independently verifiable chunks.

A snapshot of height H holds every consensus key/value of the committed state at H (the keys in
the app hash; node-local query indexes are left out and rebuilt on restore), in key byte order,
split into chunks. docs/statesync.md has the full description; the byte layouts are:

**Chunk** (what LoadSnapshotChunk returns): ``zlib(items)``, level ``ZLIB_LEVEL``, where
``items`` is a run of whole items, each ``u32 len(key) | key | u32 len(value) | value`` (big
endian). A chunk is closed after the item that brings its raw size to ``CHUNK_TARGET`` or more,
so a chunk never splits an item and decodes on its own.

**Manifest** (``Snapshot.metadata``; ``Snapshot.hash = sha256(metadata)``)::

    offset  size  field
    0       8     MAGIC  b"SSNAPv1\\0"
    8       8     u64 height
    16      32    app hash at that height
    48      8     u64 app version (the state layout, app.APP_VERSION)
    56      8     u64 item count (all chunks)
    64      4     u32 chunk count n
    68      40*n  per chunk: 32-byte sha256(raw items) | u32 raw size | u32 item count

Each chunk is checked on arrival against its manifest entry: the decompressed size is capped at
the entry's raw size (no decompression bomb), then its SHA-256 and item count must match. The
hashes are of the *uncompressed* items, so the snapshot's identity does not depend on the zlib
build that compressed it: every honest node of the same state lists the same snapshot.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from stateset_chain.crypto.hashes import sha256

FORMAT = 1
MAGIC = b"SSNAPv1\x00"
CHUNK_TARGET = 10_000_000  # raw bytes per chunk (the Cosmos SDK's 10 MB)
# CometBFT refuses a chunk message over 16 MB; an item is at most a tx's worth of bytes, far
# below the margin between the target and this cap.
MAX_CHUNK_RAW = 15 * 1024 * 1024
MAX_ITEM = MAX_CHUNK_RAW - CHUNK_TARGET
# CometBFT's snapshot messages (ListSnapshots answers, offers) are at most 4 MB; at 40 bytes a
# chunk that is ~100,000 chunks, about 1 TB of state.
MAX_CHUNKS = 90_000
ZLIB_LEVEL = 6

_HEAD = struct.Struct(">8sQ32sQQI")
_ENTRY = struct.Struct(">32sII")
_LEN = struct.Struct(">I")


class BadManifest(ValueError):
    """The metadata of an offered snapshot is not a manifest of this format."""


class BadChunk(ValueError):
    """A chunk does not match its manifest entry (a bad or corrupt peer)."""


@dataclass(frozen=True)
class ChunkEntry:
    hash: bytes  # sha256 of the raw (uncompressed) items
    raw_size: int
    items: int


@dataclass(frozen=True)
class Manifest:
    height: int
    app_hash: bytes
    app_version: int
    items: int
    chunks: tuple[ChunkEntry, ...]

    def encode(self) -> bytes:
        head = _HEAD.pack(
            MAGIC, self.height, self.app_hash, self.app_version, self.items, len(self.chunks)
        )
        return head + b"".join(_ENTRY.pack(c.hash, c.raw_size, c.items) for c in self.chunks)

    @property
    def hash(self) -> bytes:
        """``Snapshot.hash``: binds the manifest (and so every chunk hash) to the offer."""
        return sha256(self.encode())


def decode_manifest(data: bytes) -> Manifest:
    if len(data) < _HEAD.size:
        raise BadManifest(f"manifest too short ({len(data)} bytes)")
    magic, height, app_hash, app_version, items, n = _HEAD.unpack_from(data)
    if magic != MAGIC:
        raise BadManifest("not a format-1 manifest (bad magic)")
    if n > MAX_CHUNKS:
        raise BadManifest(f"{n} chunks is more than {MAX_CHUNKS}")
    if len(data) != _HEAD.size + n * _ENTRY.size:
        raise BadManifest(f"manifest of {n} chunks has {len(data)} bytes")
    chunks = tuple(
        ChunkEntry(*_ENTRY.unpack_from(data, _HEAD.size + i * _ENTRY.size)) for i in range(n)
    )
    for i, c in enumerate(chunks):
        if not 0 < c.raw_size <= MAX_CHUNK_RAW or c.items == 0:
            raise BadManifest(f"chunk {i}: raw size {c.raw_size}, {c.items} items")
    if sum(c.items for c in chunks) != items:
        raise BadManifest("chunk item counts do not add up to the manifest's")
    return Manifest(height, app_hash, app_version, items, chunks)


def encode_item(key: bytes, value: bytes) -> bytes:
    return _LEN.pack(len(key)) + key + _LEN.pack(len(value)) + value


def split_chunks(items: Iterable[tuple[bytes, bytes]]) -> Iterator[tuple[bytes, int]]:
    """``(raw items, item count)`` per chunk, from ``items`` in key order."""
    parts: list[bytes] = []
    size = count = 0
    for key, value in items:
        item = encode_item(key, value)
        if len(item) > MAX_ITEM:
            raise ValueError(f"state item {key[:32].hex()}... of {len(item)} bytes is too large")
        parts.append(item)
        size += len(item)
        count += 1
        if size >= CHUNK_TARGET:
            yield b"".join(parts), count
            parts, size, count = [], 0, 0
    if parts:
        yield b"".join(parts), count


def compress(raw: bytes) -> bytes:
    return zlib.compress(raw, ZLIB_LEVEL)


def open_chunk(wire: bytes, entry: ChunkEntry) -> list[tuple[bytes, bytes]]:
    """The items of a received chunk, or ``BadChunk`` unless it matches ``entry`` exactly."""
    inflate = zlib.decompressobj()
    try:
        raw = inflate.decompress(wire, entry.raw_size + 1)  # never more than the entry says
    except zlib.error as e:
        raise BadChunk(f"not a zlib stream: {e}") from None
    if len(raw) != entry.raw_size or not inflate.eof or inflate.unused_data:
        raise BadChunk(f"inflates to {len(raw)}+ bytes, the manifest says {entry.raw_size}")
    if sha256(raw) != entry.hash:
        raise BadChunk("sha256 of the chunk differs from the manifest's")
    items = decode_items(raw)
    if len(items) != entry.items:
        raise BadChunk(f"{len(items)} items, the manifest says {entry.items}")
    return items


def decode_items(raw: bytes) -> list[tuple[bytes, bytes]]:
    items: list[tuple[bytes, bytes]] = []
    pos, end = 0, len(raw)
    last = b""
    while pos < end:
        key, pos = _field(raw, pos)
        value, pos = _field(raw, pos)
        if not key or key <= last:
            raise BadChunk("keys are not strictly ascending")
        items.append((key, value))
        last = key
    return items


def _field(raw: bytes, pos: int) -> tuple[bytes, int]:
    if pos + _LEN.size > len(raw):
        raise BadChunk("truncated item")
    (n,) = _LEN.unpack_from(raw, pos)
    pos += _LEN.size
    if pos + n > len(raw):
        raise BadChunk("truncated item")
    return raw[pos : pos + n], pos + n
