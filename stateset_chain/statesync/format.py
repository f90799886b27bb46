"""The snapshot format (format 1): chunks that are subtrees of the app-hash tree, and a manifest
whose subtree roots recompute the app hash.

A snapshot of height H holds every consensus key/value of the committed state at H (the keys in
the app hash; node-local query indexes are left out and rebuilt on restore). The app hash is the
root of a sparse Merkle tree over ``sha256(key)`` (store/smt.py, docs/merkle.md). The snapshot
cuts that tree at a **bucket depth** D: bucket ``b`` is the subtree of the keys whose hash starts
with the D bits of ``b``. The manifest lists every bucket's subtree root and item count, which
alone recompute the app hash, so an offer is checked against the trusted app hash before any chunk
is fetched; a chunk holds the items of consecutive buckets, so on arrival its items must rebuild
exactly those buckets' roots. A bad chunk is refused at once, whoever made the snapshot.
docs/statesync.md has the full description; the byte layouts:

**Item**: ``u32 len(key) | key | u32 len(value) | value`` (big endian).

**Chunk** (what LoadSnapshotChunk returns): ``zlib(items)`` (level ``ZLIB_LEVEL``), the items of
buckets ``first .. first + count - 1`` in ascending ``sha256(key)`` order (the tree's order).

**Manifest** (``Snapshot.metadata``; ``Snapshot.hash = sha256(metadata)``)::

    offset      size    field
    0           8       MAGIC  b"SSNAPv1\\0"
    8           8       u64 height
    16          32      app hash at that height
    48          8       u64 app version (the state layout, app.APP_VERSION)
    56          8       u64 item count
    64          4       u32 bucket depth D (0..16)
    68          4       u32 chunk count n
    72          36*2^D  per bucket, in path order: 32-byte subtree root | u32 item count
    ...         44*n    per chunk: 32-byte sha256(raw items) | u32 raw size
                        | u32 first bucket | u32 bucket count

D is the smallest depth whose buckets average at most ``BUCKET_TARGET`` raw bytes; buckets are
packed into chunks in order, a chunk closed once it reaches ``CHUNK_TARGET`` raw bytes. Both are a
function of the state alone, so every honest node lists the same snapshot for the same height.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from stateset_chain.crypto.hashes import sha256
from stateset_chain.store.smt import EMPTY, bit, inner_hash, leaf_hash

FORMAT = 1
MAGIC = b"SSNAPv1\x00"
CHUNK_TARGET = 10_000_000  # raw bytes per chunk (the Cosmos SDK's 10 MB)
BUCKET_TARGET = 1 << 20  # average raw bytes per bucket (sets the depth)
MAX_DEPTH = 16  # 65,536 buckets: a 2.4 MB manifest (CometBFT's snapshot messages: 4 MB)
# CometBFT refuses a chunk message over 16 MB; the decoder refuses more than this raw.
MAX_CHUNK_RAW = 15 * 1024 * 1024
ZLIB_LEVEL = 6

_HEAD = struct.Struct(">8sQ32sQQII")
_BUCKET = struct.Struct(">32sI")
_CHUNK = struct.Struct(">32sIII")
_LEN = struct.Struct(">I")


class BadManifest(ValueError):
    """The metadata of an offered snapshot is not a manifest of this format."""


class BadChunk(ValueError):
    """A chunk does not match its manifest entry (a bad or corrupt peer)."""


@dataclass(frozen=True)
class Bucket:
    root: bytes  # the subtree root of the bucket's items (EMPTY if none)
    items: int


@dataclass(frozen=True)
class ChunkEntry:
    hash: bytes  # sha256 of the raw (uncompressed) items
    raw_size: int
    first: int  # first bucket
    count: int  # buckets


@dataclass(frozen=True)
class Manifest:
    height: int
    app_hash: bytes
    app_version: int
    depth: int
    buckets: tuple[Bucket, ...]
    chunks: tuple[ChunkEntry, ...]

    @property
    def items(self) -> int:
        return sum(b.items for b in self.buckets)

    def chunk_items(self, index: int) -> int:
        c = self.chunks[index]
        return sum(b.items for b in self.buckets[c.first : c.first + c.count])

    def encode(self) -> bytes:
        out = [_HEAD.pack(MAGIC, self.height, self.app_hash, self.app_version, self.items,
                          self.depth, len(self.chunks))]
        out += [_BUCKET.pack(b.root, b.items) for b in self.buckets]
        out += [_CHUNK.pack(c.hash, c.raw_size, c.first, c.count) for c in self.chunks]
        return b"".join(out)

    @property
    def hash(self) -> bytes:
        """``Snapshot.hash``."""
        return sha256(self.encode())

    def root(self) -> bytes:
        """The app hash the buckets' roots make (must be the trusted one)."""
        return root_of_buckets(self.buckets)


def decode_manifest(data: bytes) -> Manifest:
    if len(data) < _HEAD.size:
        raise BadManifest(f"manifest too short ({len(data)} bytes)")
    magic, height, app_hash, app_version, items, depth, n = _HEAD.unpack_from(data)
    if magic != MAGIC:
        raise BadManifest("not a format-1 manifest (bad magic)")
    if depth > MAX_DEPTH:
        raise BadManifest(f"bucket depth {depth} is more than {MAX_DEPTH}")
    width = 1 << depth
    if n == 0 or n > width:
        raise BadManifest(f"{n} chunks for {width} buckets")
    if len(data) != _HEAD.size + width * _BUCKET.size + n * _CHUNK.size:
        raise BadManifest(f"manifest of {width} buckets and {n} chunks has {len(data)} bytes")
    pos = _HEAD.size
    buckets = tuple(Bucket(*_BUCKET.unpack_from(data, pos + i * _BUCKET.size))
                    for i in range(width))
    pos += width * _BUCKET.size
    chunks = tuple(ChunkEntry(*_CHUNK.unpack_from(data, pos + i * _CHUNK.size)) for i in range(n))
    manifest = Manifest(height, app_hash, app_version, depth, buckets, chunks)
    if manifest.items != items:
        raise BadManifest("bucket item counts do not add up to the manifest's")
    if any(b.items == 0 and b.root != EMPTY for b in buckets):
        raise BadManifest("an empty bucket with a root")
    expected_first = 0
    for i, c in enumerate(chunks):
        if c.first != expected_first or c.count == 0:
            raise BadManifest(f"chunk {i} does not start where chunk {i - 1} ended")
        expected_first += c.count
        if not 0 < c.raw_size <= MAX_CHUNK_RAW or manifest.chunk_items(i) == 0:
            raise BadManifest(f"chunk {i}: raw size {c.raw_size}, no items")
    if expected_first != width:
        raise BadManifest("the chunks do not cover every bucket")
    return manifest


# -- the tree's arithmetic (the same as store/smt.py's, over a bucket's leaves) -------------------


def subtree_root(depth: int, leaves: Sequence[tuple[bytes, bytes]], lo: int = 0,
                 hi: int | None = None) -> bytes:
    """The root of the subtree at ``depth`` holding exactly ``leaves[lo:hi]`` (``(key_hash,
    value_hash)`` sorted by key hash, all under that subtree's path): empty -> 32 zero bytes, one
    leaf -> its leaf hash (a lone leaf sits at the shallowest unique depth), else the inner hash of
    the two halves split on the bit at ``depth``."""
    hi = len(leaves) if hi is None else hi
    if lo == hi:
        return EMPTY
    if hi - lo == 1:
        return leaf_hash(*leaves[lo])
    split = lo
    while split < hi and not bit(leaves[split][0], depth):
        split += 1
    return inner_hash(subtree_root(depth + 1, leaves, lo, split),
                      subtree_root(depth + 1, leaves, split, hi))


def root_of_buckets(buckets: Sequence[Bucket]) -> bytes:
    """The tree's root from its subtrees at one depth, in path order: two siblings join into
    nothing (both empty), the lone leaf of the two (it moves up), or their inner hash."""
    level = [(b.root, b.items) for b in buckets]
    while len(level) > 1:
        level = [_join(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0][0]


def _join(left: tuple[bytes, int], right: tuple[bytes, int]) -> tuple[bytes, int]:
    n = left[1] + right[1]
    if n == 0:
        return EMPTY, 0
    if n == 1:
        return left if left[1] else right
    return inner_hash(left[0], right[0]), n


def bucket_of(key_hash: bytes, depth: int) -> int:
    return int.from_bytes(key_hash[:2], "big") >> (MAX_DEPTH - depth)


def depth_for(raw_size: int) -> int:
    """The smallest bucket depth whose buckets average at most ``BUCKET_TARGET`` bytes."""
    depth = 0
    while depth < MAX_DEPTH and raw_size > BUCKET_TARGET << depth:
        depth += 1
    return depth


def pack_chunks(sizes: Sequence[int], counts: Sequence[int]) -> list[tuple[int, int]]:
    """``(first bucket, bucket count)`` per chunk: buckets in order, a chunk closed once it holds
    ``CHUNK_TARGET`` raw bytes, or before a bucket that would take it past ``MAX_CHUNK_RAW``;
    trailing buckets without items join the last chunk. ``ValueError`` if one bucket alone is
    larger than a chunk may be."""
    chunks: list[tuple[int, int]] = []
    first, size, items = 0, 0, 0
    for b, (s, n) in enumerate(zip(sizes, counts, strict=True)):
        if s > MAX_CHUNK_RAW:
            raise ValueError(f"bucket {b} holds {s} bytes: more than a chunk may")
        if items and size + s > MAX_CHUNK_RAW:
            chunks.append((first, b - first))
            first, size, items = b, 0, 0
        size += s
        items += n
        if size >= CHUNK_TARGET:
            chunks.append((first, b + 1 - first))
            first, size, items = b + 1, 0, 0
    end = len(sizes)
    if first < end:
        if items or not chunks:
            chunks.append((first, end - first))
        else:
            last_first, last_count = chunks.pop()
            chunks.append((last_first, last_count + end - first))
    return chunks


# -- items and chunks ------------------------------------------------------------------------------


def encode_item(key: bytes, value: bytes) -> bytes:
    return _LEN.pack(len(key)) + key + _LEN.pack(len(value)) + value


def compress(raw: bytes) -> bytes:
    return zlib.compress(raw, ZLIB_LEVEL)


def open_chunk(wire: bytes, manifest: Manifest, index: int) -> list[tuple[bytes, bytes]]:
    """The items of chunk ``index`` as received, or ``BadChunk`` unless they are exactly the
    items of its buckets: its raw size and sha256, then every bucket's item count and root."""
    entry = manifest.chunks[index]
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
    leaves = [(sha256(k), sha256(v)) for k, v in items]
    for before, after in zip(leaves, leaves[1:], strict=False):
        if before[0] >= after[0]:
            raise BadChunk("items are not in ascending key-hash order")
    pos = 0
    for b in range(entry.first, entry.first + entry.count):
        start = pos
        while pos < len(leaves) and bucket_of(leaves[pos][0], manifest.depth) == b:
            pos += 1
        expected = manifest.buckets[b]
        if pos - start != expected.items:
            raise BadChunk(f"bucket {b}: {pos - start} items, the manifest says {expected.items}")
        if subtree_root(manifest.depth, leaves, start, pos) != expected.root:
            raise BadChunk(f"bucket {b}: its items do not make the manifest's subtree root")
    if pos != len(leaves):
        raise BadChunk("items outside the chunk's buckets")
    return items


def decode_items(raw: bytes) -> list[tuple[bytes, bytes]]:
    items: list[tuple[bytes, bytes]] = []
    pos, end = 0, len(raw)
    while pos < end:
        key, pos = _field(raw, pos)
        value, pos = _field(raw, pos)
        if not key:
            raise BadChunk("an empty key")
        items.append((key, value))
    return items


def _field(raw: bytes, pos: int) -> tuple[bytes, int]:
    if pos + _LEN.size > len(raw):
        raise BadChunk("truncated item")
    (n,) = _LEN.unpack_from(raw, pos)
    pos += _LEN.size
    if pos + n > len(raw):
        raise BadChunk("truncated item")
    return raw[pos : pos + n], pos + n
