"""The merchant dashboard in headless Chromium (Debian's package, driven by Playwright): the
orders table and its filters, an order's timeline, the revenue/orders chart (which follows the
table's merchant, status and currency filters, revenue in USD), and a screenshot whose pixels
show the chart's bars and line."""

from __future__ import annotations

import shutil
import struct
import zlib
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from stateset_chain.api.app import ApiConfig
from tests.api import factory
from tests.api.conftest import ApiServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium not installed (scripts/setup.sh installs it)"
)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) into rows of pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * channels, [], bytes(width * channels)
    for y in range(height):
        f, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = bytes(line)
    return width, channels, rows


def count_color(shot: bytes, rgb: tuple[int, int, int], tolerance: int = 12) -> int:
    width, channels, rows = png_pixels(shot)
    n = 0
    for row in rows:
        for x in range(width):
            px = row[x * channels : x * channels + 3]
            if all(abs(px[i] - rgb[i]) <= tolerance for i in range(3)):
                n += 1
    return n


@pytest.fixture
def dashboard(db_url, conn):
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    orders = []
    for seq in range(1, 31):
        status = ("PAID", "SHIPPED", "DELIVERED", "CREATED")[seq % 4]
        orders.append(
            factory.paid_order(
                seq,
                f"stateset1customer{seq % 3:02d}xxxxxxxx",
                "m1",
                status,
                seq * 7_500_000,
                now - timedelta(days=seq % 12, hours=seq),
                currency="EUR" if seq % 3 == 0 else "usd",
            )
        )
        factory.insert(conn, orders[-1])
    s = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rate=0))
    s.orders = orders  # type: ignore[attr-defined]
    yield s
    s.stop()


def per_day(orders) -> dict[str, tuple[int, str]]:
    """Brute force of the chart's bars: UTC day -> (orders, revenue in USD with 2 decimals)."""
    days: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in orders:
        day = days[o.created_at.astimezone(UTC).date().isoformat()]
        day[0] += 1
        day[1] += o.amount_paid - o.amount_refunded
    return {d: (n, f"{Decimal(r) / 10**6:.2f}") for d, (n, r) in days.items()}


def chart_for(page, filters: str) -> None:
    """Until the chart drawn is the one of these filters (the page's data-chart, JSON)."""
    page.wait_for_function(f"document.body.dataset.chart === {filters!r}", timeout=20_000)


def test_dashboard_table_filters_timeline_and_chart(dashboard, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(dashboard.url + "/dashboard")
            page.wait_for_selector("body[data-ready='1']", timeout=20_000)
            assert page.locator("#orders tr").count() == 20
            assert page.inner_text("#count") == "30"
            assert page.locator("#orders tr").first.get_attribute("data-id") == "ord_0000000030"

            page.select_option("select[name=status]", "SHIPPED")
            page.click("#filters button[type=submit]")
            page.wait_for_function("document.querySelector('#count').textContent === '8'")
            statuses = page.locator("#orders tr .status").all_inner_texts()
            assert statuses and set(statuses) == {"SHIPPED"}

            page.locator("#orders tr").first.click()
            page.wait_for_selector("#timeline li")
            timeline = page.locator("#timeline li").all_inner_texts()
            assert [t.split(" ")[0] for t in timeline] == ["CREATED", "SHIPPED"]

            bars = page.locator("#chart rect.bar")
            assert bars.count() == 30
            heights = [float(bars.nth(i).get_attribute("height") or 0) for i in range(30)]
            assert sum(1 for h in heights if h > 0) >= 5
            chart_for(page, '{"status":"SHIPPED"}')
            assert "Total: 8 orders" in page.inner_text("#summary")

            # the currency filter: the table and the chart both narrow to the EUR orders, and
            # the chart's revenue is in USD (the paid stablecoin's units, docs/api.md)
            eur = [o for o in dashboard.orders if o.currency == "EUR"]
            page.select_option("select[name=status]", "")
            page.fill("input[name=currency]", "eur")
            page.click("#filters button[type=submit]")
            chart_for(page, '{"currency":"eur"}')
            page.wait_for_function(f"document.querySelector('#count').textContent === '{len(eur)}'")
            totals = page.locator("#orders tr td.num").all_inner_texts()
            assert len(totals) == len(eur) and all(t.endswith(" EUR") for t in totals)
            revenue = sum(o.amount_paid - o.amount_refunded for o in eur)
            assert page.inner_text("#summary").startswith(
                f"Total: {len(eur)} orders, revenue {Decimal(revenue) / 10**6:.2f} USD"
            )
            assert page.inner_text("#chart-unit") == "USD"
            assert "currency eur" in page.inner_text("#chart-filters")
            titles = page.locator("#chart rect.bar title").all_text_contents()
            drawn = {}
            for t in titles:
                day, rest = t.split(": ", 1)
                rev, _, count = rest.partition(" USD revenue, ")
                if int(count.split()[0]):
                    drawn[day] = (int(count.split()[0]), rev)
            assert drawn == per_day(eur), "the chart does not show the EUR orders' days"
            assert per_day(eur) != per_day(dashboard.orders)

            # an amount filter (within the currency) narrows the chart as it narrows the table
            page.fill("input[name=amount_min]", "100")
            page.click("#filters button[type=submit]")
            chart_for(page, '{"currency":"eur","amount_min":"100"}')
            dear = [o for o in eur if o.total >= 100_000_000]
            assert 0 < len(dear) < len(eur)
            assert page.inner_text("#summary").startswith(f"Total: {len(dear)} orders")
            assert "amount min 100" in page.inner_text("#chart-filters")

            shot = page.locator("#chart").screenshot()
            (tmp_path / "chart.png").write_bytes(shot)
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()
    assert count_color(shot, (0x3B, 0x82, 0xF6)) > 500, "no revenue bars in the screenshot"
    assert count_color(shot, (0xF5, 0x9E, 0x0B), tolerance=40) > 50, "no order-count line"
    assert count_color((tmp_path / "dashboard.png").read_bytes(), (0x1D, 0x23, 0x30)) > 1000
