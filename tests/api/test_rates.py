"""Exchange rates on the read side: the oracle's genesis rates and RateAccepted events, indexed
by the views (``rates``, ``rate_history``) and served by ``/v1/rates``; history paging against a
brute force over the same events."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stateset_chain.events import typed_attributes
from stateset_chain.indexer.ingest import genesis_events
from stateset_chain.indexer.views import RawEvent, ViewBatch, event_id
from stateset_chain.readside import db
from stateset_chain.timefmt import timestamp

from stateset.oracle.v1 import events_pb2 as oracle_events
from stateset.oracle.v1.oracle_pb2 import AcceptedRate, RateSource

T0 = 1_767_225_600 * 10**9  # 2026-01-01T00:00:00Z
GENESIS = {
    "genesis_time": "2026-01-01T00:00:00Z", "initial_height": "1",
    "app_state": {"oracle": {"rates": [{"currency": "EUR", "rate": "1.08"},
                                       {"currency": "JPY", "rate": "0.0067"}]}},
}


def accepted(height: int, index: int, currency: str, rate: str, previous: str,
             source=RateSource.RATE_SOURCE_MEDIAN) -> RawEvent:
    t = T0 + height * 5 * 10**9
    msg = oracle_events.RateAccepted(
        rate=AcceptedRate(currency=currency, rate=rate, height=height, time=timestamp(t),
                          submissions=3, source=source),
        previous=previous)
    return RawEvent(height, -1, index, msg.DESCRIPTOR.full_name, list(typed_attributes(msg)), t)


def history_events() -> list[RawEvent]:
    """EUR moves every 2 blocks, JPY every 3, from their genesis rates; one override."""
    out, last = [], {"EUR": "1.08", "JPY": "0.0067"}
    for h in range(2, 40):
        i = 0
        for currency, every, base in (("EUR", 2, 108), ("JPY", 3, 67)):
            if h % every:
                continue
            rate = f"{'1.' if currency == 'EUR' else '0.00'}{base + h}"
            source = (RateSource.RATE_SOURCE_OVERRIDE if h == 21
                      else RateSource.RATE_SOURCE_MEDIAN)
            out.append(accepted(h, i, currency, rate, last[currency], source))
            last[currency] = rate
            i += 1
    return out


@pytest.fixture(scope="module")
def seeded(pg_cluster):
    from stateset_chain.api.app import ApiConfig
    from stateset_chain.readside.db import migrate
    from tests.api.conftest import ApiServer

    url = pg_cluster.create_database("api_rates")
    migrate(url)
    events = history_events()
    with db.connect(url) as conn, conn.transaction():
        batch = ViewBatch(conn)
        batch.apply_all([*genesis_events(GENESIS), *events[:20]])
        batch.flush()
    with db.connect(url) as conn, conn.transaction():  # a second batch: upserts the rates
        batch = ViewBatch(conn)
        batch.apply_all(events[20:])
        batch.flush()
    server = ApiServer(ApiConfig(db_url=url, run_worker=False, rate=0))
    yield server, events
    server.stop()


def brute_history(events: list[RawEvent], currency: str) -> list[dict]:
    """Every accepted rate of the currency, newest first: the genesis one last."""
    out = [{"id": "evt_0_b_" + str(["EUR", "JPY"].index(currency)),
            "rate": GENESIS["app_state"]["oracle"]["rates"][["EUR", "JPY"].index(currency)]
            ["rate"], "source": "GENESIS", "height": 1, "previous": None}]
    for ev in events:
        r = ev.fields()
        if r["rate"]["currency"] == currency:
            out.append({"id": event_id(ev.height, ev.tx_index, ev.index),
                        "rate": r["rate"]["rate"],
                        "source": r["rate"]["source"].removeprefix("RATE_SOURCE_"),
                        "height": ev.height, "previous": r.get("previous") or None})
    return out[::-1]


def test_rates_are_the_latest_accepted_ones(seeded):
    api, events = seeded
    body = api.get("/v1/rates").json()
    latest = {c: brute_history(events, c)[0] for c in ("EUR", "JPY")}
    assert [(r["currency"], r["pair"], r["rate"], r["source"], r["height"])
            for r in body["data"]] == [
        (c, f"{c}/USD", latest[c]["rate"], latest[c]["source"], latest[c]["height"])
        for c in ("EUR", "JPY")]
    assert body["total_count"] == 2
    eur = api.get("/v1/rates/eur").json()
    assert eur == body["data"][0]
    assert eur["time"] == "2026-01-01T00:03:10.000Z"  # height 38: T0 + 38 * 5 s
    missing = api.get("/v1/rates/GBP")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "resource_missing"


def test_genesis_rates_take_the_genesis_time_and_height(seeded):
    api, _ = seeded
    oldest = api.get("/v1/rates/JPY/history", params={"limit": 100}).json()["data"][-1]
    assert oldest == {"id": "evt_0_b_1", "object": "rate_history_entry", "currency": "JPY",
                      "pair": "JPY/USD", "rate": "0.0067", "height": 1,
                      "time": "2026-01-01T00:00:00.000Z", "submissions": 0,
                      "source": "GENESIS", "previous": None}


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(currency=st.sampled_from(["EUR", "JPY", "eur"]), limit=st.integers(1, 12),
       start=st.integers(0, 10), forward=st.booleans(), offset=st.integers(0, 15))
def test_history_pages_match_brute_force(seeded, currency, limit, start, forward, offset):
    api, events = seeded
    want = brute_history(events, currency.upper())
    path = f"/v1/rates/{currency}/history"
    page = api.get(path, params={"limit": limit, "offset": offset}).json()
    assert [e["id"] for e in page["data"]] == [e["id"] for e in want[offset:offset + limit]]
    assert [(e["rate"], e["source"], e["height"], e["previous"]) for e in page["data"]] == [
        (e["rate"], e["source"], e["height"], e["previous"]) for e in want[offset:offset + limit]]
    assert page["total_count"] == len(want)
    assert page["has_more"] == (offset + limit < len(want))
    cursor = want[min(start, len(want) - 1)]
    at = want.index(cursor)
    key = "starting_after" if forward else "ending_before"
    page = api.get(path, params={"limit": limit, key: cursor["id"]}).json()
    expect = want[at + 1:at + 1 + limit] if forward else want[max(0, at - limit):at]
    assert [e["id"] for e in page["data"]] == [e["id"] for e in expect]


def test_history_filters_by_time_and_refuses_unknown_cursors(seeded):
    api, events = seeded
    after = api.get("/v1/rates/EUR/history",
                    params={"created_after": "2026-01-01T00:02:00Z", "limit": 100}).json()
    assert [e["height"] for e in after["data"]] == [h for h in range(38, 24, -2)]
    bad = api.get("/v1/rates/EUR/history", params={"starting_after": "evt_x"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "starting_after"
    gone = api.get("/v1/rates/EUR/history", params={"ending_before": "evt_3_b_0"})
    assert gone.status_code == 400  # JPY's entry: not an entry of EUR's history
    assert gone.json()["error"]["param"] == "ending_before"
