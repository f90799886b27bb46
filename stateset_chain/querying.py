"""What every module's list queries share: the page rules and their one error.

A list query takes a ``limit`` (0: the query's default) and a cursor (an id, an address or an
opaque key to start after). A limit above the query's maximum, an offset deeper than it skips and
a cursor longer than any key part are refused the same way in every module,
``query/4 InvalidPagination`` (``errors.py``), so a client handles them once: it asks for a
smaller page or pages with the cursor it was given. A cursor that names something (an order id)
is checked by its module's own rule and error, as its messages check it.
"""

from __future__ import annotations

from stateset_chain.errors import InvalidPagination

MAX_CURSOR_BYTES = 255  # a length-prefixed key part (store/collections.py): no longer key exists


def page_limit(limit: int, default: int, maximum: int) -> int:
    """The page size a request asks for (0: ``default``); above ``maximum`` it is refused."""
    if limit > maximum:
        raise InvalidPagination(f"limit {limit} is above {maximum}")
    return limit or default


def require_offset(offset: int, maximum: int, cursor_field: str) -> int:
    """An offset of at most ``maximum`` matches (each skipped match costs a read)."""
    if offset > maximum:
        raise InvalidPagination(
            f"offset {offset} is above {maximum}; page further with {cursor_field}"
        )
    return offset


def require_cursor(cursor: str | bytes, field: str, maximum: int = MAX_CURSOR_BYTES) -> None:
    """A cursor no longer than any key it could name."""
    size = len(cursor.encode() if isinstance(cursor, str) else cursor)
    if size > maximum:
        raise InvalidPagination(f"{field} is {size} bytes, at most {maximum}")
