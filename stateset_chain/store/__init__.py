"""The state store: the only package that touches raw bytes and LevelDB.

- ``kv``          the ``KVStore`` interface, an in-memory store, ``Branch`` (overlay).
- ``leveldb``     the plyvel-backed store.
- ``smt``         the Merkle tree whose root is the app hash, with membership/non-membership proofs.
- ``commit``      ``CommitStore``: state + tree + (height, app hash), durable in one atomic write.
- ``collections`` typed ``Item``/``Map``/``Sequence``/``KeySet`` over key and value codecs.
"""

from stateset_chain.store.kv import Branch, KVStore, MemoryKV

__all__ = ["Branch", "KVStore", "MemoryKV"]
