"""BoundedCache: a dict that never holds more than its capacity (it starts over when full)."""

from stateset_chain.cache import BoundedCache


def test_a_full_cache_starts_over_and_keeps_the_new_entry():
    cache: BoundedCache[int, str] = BoundedCache(3)
    for n in range(3):
        assert cache.put(n, str(n)) == str(n)
    assert dict(cache) == {0: "0", 1: "1", 2: "2"}
    cache.put(3, "3")
    assert dict(cache) == {3: "3"}
    assert cache.get(0) is None and cache.get(3) == "3"
