"""BoundedCache, the one cache type: two generations, never more than its capacity, and the
entries used since the last turnover survive it."""

from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.cache import BoundedCache


def test_two_generations_keep_recent_entries():
    c: BoundedCache[bytes, bytes] = BoundedCache(4)
    for k in [b"a", b"b", b"c"]:  # a, b fill young; c turns them old
        assert c.put(k, k) == k
    assert c.get(b"a") == b"a"  # from old, moved back to young
    c.put(b"d", b"d")
    c.put(b"e", b"e")  # turns over again: b has been dropped
    assert c.get(b"b") is None and b"b" not in c
    assert c[b"e"] == b"e" and b"e" in c
    c.drop(b"a")
    assert c.get(b"a") is None


def test_clear_empties_both_generations():
    c: BoundedCache[int, int] = BoundedCache(4)
    for n in range(3):
        c.put(n, n)
    c.clear()
    assert len(c) == 0 and all(c.get(n) is None for n in range(3))


@given(st.integers(1, 16), st.lists(st.integers(0, 40), max_size=200))
def test_never_above_capacity_and_never_a_wrong_value(capacity, keys):
    """Whatever is used, the cache holds at most its capacity, answers every key it holds with
    the value stored under it, and always holds the key just put."""
    c: BoundedCache[int, str] = BoundedCache(capacity)
    for k in keys:
        got = c.get(k)
        assert got is None or got == str(k)
        if got is None:
            c.put(k, str(k))
        assert c.get(k) == str(k)
        assert len(c) <= capacity
