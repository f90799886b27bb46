"""Exchange rates: ``/v1/rates`` (the accepted rate of each currency) and
``/v1/rates/{currency}/history`` (every accepted rate, newest first), from the indexer's
``rates`` and ``rate_history`` (the oracle module's ``RateAccepted`` events and genesis rates).

A rate is the USD price of one unit of the currency (``"EUR/USD 1.0842"``: 1 EUR = 1.0842 USD)
as the chain's canonical decimal text (at most 18 decimals, never a float), with the height and
block time at which it was accepted, the fresh submissions its median used and its source
(``MEDIAN``, ``CONFIRMED_DEVIATION``, ``OVERRIDE``, ``GENESIS``). Staleness is the client's to
judge from ``time`` (the chain refuses a rate older than the oracle's ``staleness_seconds``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from stateset_chain.api import errors, params
from stateset_chain.api.app import aconnection
from stateset_chain.api.fmt import iso
from stateset_chain.api.paging import Where, apage
from stateset_chain.indexer.views import event_id

router = APIRouter(prefix="/v1")

_COLUMNS = "currency, rate, height, time, submissions, source"


def render_rate(currency: str, rate: str, height: int, time, submissions: int,
                source: str) -> dict:
    return {
        "object": "rate",
        "currency": currency,
        "pair": f"{currency}/USD",
        "rate": rate,
        "height": int(height),
        "time": iso(time),
        "submissions": int(submissions),
        "source": source.removeprefix("RATE_SOURCE_"),
    }


@router.get("/rates", summary="The accepted exchange rate of each currency (USD per unit)")
async def list_rates(request: Request) -> dict:
    async with aconnection(request) as conn:
        cur = await conn.execute(f"SELECT {_COLUMNS} FROM rates ORDER BY currency")
        rows = await cur.fetchall()
    data = [render_rate(*r) for r in rows]
    return {"object": "list", "data": data, "total_count": len(data), "has_more": False}


@router.get("/rates/{currency}", summary="The accepted exchange rate of one currency")
async def get_rate(request: Request, currency: str) -> dict:
    async with aconnection(request) as conn:
        cur = await conn.execute(f"SELECT {_COLUMNS} FROM rates WHERE currency = upper(%s)",
                                 (currency,))
        row = await cur.fetchone()
    if row is None:
        raise errors.ResourceMissing(f"no accepted rate for {currency}", param="currency")
    return render_rate(*row)


def _history_key(entry_id: str) -> tuple[int, int, int] | None:
    """``evt_<height>_<tx|b>_<index>`` -> (height, tx index, event index), or None."""
    parts = entry_id.split("_")
    if len(parts) != 4 or parts[0] != "evt":
        return None
    try:
        return int(parts[1]), (-1 if parts[2] == "b" else int(parts[2])), int(parts[3])
    except ValueError:
        return None


@router.get("/rates/{currency}/history",
            summary="Every accepted rate of a currency (newest first), with cursors")
async def rate_history(
    request: Request,
    currency: str,
    created_after: str | None = None,
    created_before: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
    starting_after: str | None = None,
    ending_before: str | None = None,
) -> dict:
    where = Where([], [])
    where.add("currency = upper(%s)", currency)
    where.add_if("time > %s", params.timestamp(created_after, "created_after"))
    where.add_if("time < %s", params.timestamp(created_before, "created_before"))
    n, skip = params.limit(limit), params.offset(offset)
    cursor_id = params.cursors(skip, starting_after, ending_before)
    cursor = None
    if cursor_id is not None:
        key = _history_key(cursor_id)
        if key is None:
            param = "starting_after" if starting_after is not None else "ending_before"
            raise errors.ParameterInvalid(f"no rate history entry {cursor_id}", param=param)
        cursor = ("SELECT height, tx_index, event_index FROM rate_history "
                  "WHERE (height, tx_index, event_index) = (%s::bigint, %s::int, %s::int) "
                  "AND currency = upper(%s)", (*key, currency))
    async with aconnection(request) as conn:
        rows, total, has_more, found = await apage(
            conn, table="rate_history",
            columns="height, tx_index, event_index, previous, currency, rate, rate_height, "
                    "time, submissions, source",
            key=("height", "tx_index", "event_index"), where=where, limit=n, offset=skip,
            cursor=cursor, backwards=ending_before is not None,
        )
    if not found:
        param = "starting_after" if starting_after is not None else "ending_before"
        raise errors.ParameterInvalid(f"no rate history entry {cursor_id}", param=param)
    data = []
    for h, t, i, previous, *rate in rows:
        entry = {"id": event_id(h, t, i), **render_rate(*rate), "previous": previous or None}
        entry["object"] = "rate_history_entry"
        data.append(entry)
    return {"object": "list", "data": data, "total_count": total, "has_more": has_more}
