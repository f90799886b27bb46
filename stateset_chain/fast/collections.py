"""The fast ``Map`` of ``stateset_chain/store/collections.py`` (the reference).

``get``, ``has`` and ``set`` run for nearly every store access of every transaction, and the
reference finds each store key through ``_k`` (a method call, then the key cache's lookup). Here
the key cache is looked up inline (a hit is one dict lookup in C), so an access costs one Python
call of this class and one of the store under it. The same store keys, the same reads and writes
in the same order (tests/fast/test_collections.py runs both side by side).
"""

from __future__ import annotations

from stateset_chain.store import collections as reference
from stateset_chain.store.kv import KVStore

REPLACES = ("Map",)


class Map(reference.Map):
    def _key(self, key) -> bytes:
        if self._cached_keys:
            try:
                k = self._keys[key]  # a BoundedCache: None on a miss
            except TypeError:  # an unhashable key (a bytearray): encoded every time
                return self.prefix + self._encode_key(key)
            if k is None:
                k = self._keys.put(key, self.prefix + self._encode_key(key))
            return k
        return self.prefix + self._encode_key(key)

    store_key = _key  # the read-ahead's key: the same cache, one call fewer

    def get(self, store: KVStore, key):
        if self._cached_keys:
            try:
                k = self._keys[key]
            except TypeError:
                k = self._key(key)
            if k is None:
                k = self._key(key)
        else:
            k = self.prefix + self._encode_key(key)
        raw = store.get(k)
        return None if raw is None else self._decode_value(raw)

    def has(self, store: KVStore, key) -> bool:
        if self._cached_keys:
            try:
                k = self._keys[key]
            except TypeError:
                k = self._key(key)
            if k is None:
                k = self._key(key)
        else:
            k = self.prefix + self._encode_key(key)
        return store.get(k) is not None

    def set(self, store: KVStore, key, value) -> None:
        if self._cached_keys:
            try:
                k = self._keys[key]
            except TypeError:
                k = self._key(key)
            if k is None:
                k = self._key(key)
        else:
            k = self.prefix + self._encode_key(key)
        store.set(k, self._encode_value(value))
