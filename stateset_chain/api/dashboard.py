"""The merchant dashboard: one static page (``/dashboard``) over the public read endpoints.

No build step: ``static/dashboard.html`` with a small script that calls ``/v1/orders`` (table
and filters), ``/v1/orders/{id}`` (timeline) and ``/v1/analytics/orders`` (revenue in USD and
order count per day, drawn as inline SVG, with the table's filters).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

STATIC = Path(__file__).resolve().parent / "static"

router = APIRouter()


@router.get("/dashboard", include_in_schema=False)
def dashboard() -> FileResponse:
    return FileResponse(STATIC / "dashboard.html", media_type="text/html")


@router.get("/dashboard/dashboard.js", include_in_schema=False)
def dashboard_js() -> FileResponse:
    return FileResponse(STATIC / "dashboard.js", media_type="text/javascript")


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/dashboard")
