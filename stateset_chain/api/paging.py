"""Keyset pagination, newest first, both ways (the Stripe convention).

A list is ordered by a unique key, descending. ``starting_after=X`` returns the ``limit`` items
after X in that order (older), ``has_more`` telling whether older ones remain; ``ending_before=X``
returns the ``limit`` items just before X (newer), in the same descending order, ``has_more``
telling whether newer ones remain. Without a cursor: the first page (after ``offset`` items).
``total_count`` counts every item that matches the filters, whatever the page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Where:
    """SQL conditions joined with AND, and their parameters."""

    clauses: list[str]
    args: list

    def add(self, clause: str, *args) -> None:
        self.clauses.append(clause)
        self.args.extend(args)

    def add_if(self, clause: str, value) -> None:
        """``add(clause, value)`` when the filter was given (``value`` not None)."""
        if value is not None:
            self.add(clause, value)

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "TRUE"


def _page_sql(table: str, columns: str, key: tuple[str, ...], conds: Where, limit: int,
              offset: int, backwards: bool) -> tuple[str, list]:
    """The page's statement: ``limit + 1`` rows past ``offset`` (one more tells ``has_more``),
    in key order away from the cursor."""
    order = ", ".join(f"{k} {'ASC' if backwards else 'DESC'}" for k in key)
    return (f"SELECT {columns} FROM {table} WHERE {conds.sql()} ORDER BY {order} "
            f"LIMIT %s OFFSET %s", [*conds.args, limit + 1, offset])


def _past_cursor(where: Where, key: tuple[str, ...], backwards: bool, at: str,
                 args) -> Where:
    """``where`` and the rows on the page's side of the cursor, whose key values ``at`` (SQL
    with ``args``) gives."""
    conds = Where(list(where.clauses), list(where.args))
    conds.add(f"({', '.join(key)}) {'>' if backwards else '<'} ({at})", *args)
    return conds


def _trimmed(rows: list, limit: int, backwards: bool) -> tuple[list, bool]:
    """(the page newest first, has_more) from the ``limit + 1`` rows fetched."""
    has_more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    return rows, has_more


def page(
    conn,
    *,
    table: str,
    columns: str,
    key: tuple[str, ...],
    where: Where,
    limit: int,
    offset: int,
    cursor_key,
    backwards: bool,
):
    """(rows, total_count, has_more). ``key`` names the ordering columns (unique together);
    ``cursor_key`` is their values at the cursor (None: no cursor)."""
    total = conn.execute(
        f"SELECT count(*) FROM {table} WHERE {where.sql()}", where.args
    ).fetchone()[0]
    conds = where
    if cursor_key is not None:
        conds = _past_cursor(where, key, backwards, ", ".join(["%s"] * len(key)), cursor_key)
    rows, has_more = _trimmed(
        conn.execute(*_page_sql(table, columns, key, conds, limit, offset, backwards)).fetchall(),
        limit, backwards)
    return rows, int(total), has_more


async def apage(
    conn,
    *,
    table: str,
    columns: str,
    key: tuple[str, ...],
    where: Where,
    limit: int,
    offset: int,
    cursor: tuple[str, tuple] | None,
    backwards: bool,
    count: tuple[str, list] | None = None,
):
    """``page`` on an async connection in ONE round trip: the cursor's lookup, the count and
    the page go out together in a pipeline. ``cursor`` is (the SQL that selects the key's
    values at the cursor; its parameters) or None; ``count`` is a
    cheaper statement giving the same total (``order_counts``), else ``count(*)`` over the
    filter. Returns (rows, total_count, has_more, cursor_found)."""
    conds = where if cursor is None else _past_cursor(where, key, backwards, *cursor)
    total_sql, total_args = count or (f"SELECT count(*) FROM {table} WHERE {where.sql()}",
                                      where.args)
    async with conn.pipeline():
        found_cur = await conn.execute(cursor[0], cursor[1]) if cursor is not None else None
        total_cur = await conn.execute(total_sql, total_args)
        rows_cur = await conn.execute(
            *_page_sql(table, columns, key, conds, limit, offset, backwards))
    found = (await found_cur.fetchone()) is not None if found_cur is not None else True
    total = (await total_cur.fetchone())[0]
    rows, has_more = _trimmed(await rows_cur.fetchall(), limit, backwards)
    return rows, int(total), has_more, found
