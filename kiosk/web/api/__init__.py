"""JSON API v1: hardware ticket buttons, the portal bridge, tests. Every error is JSON {error}."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from kiosk.web.api import counters, errors, openapi, print_jobs, stream, tickets  # noqa: E402,F401  (routes register on bp)
