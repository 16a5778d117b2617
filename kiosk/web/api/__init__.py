"""JSON API v1: hardware ticket buttons, the portal bridge, tests. Every error is JSON {error}."""

from __future__ import annotations

from kiosk.web.api import (  # noqa: F401  (routes register on bp)
    appointments,
    counters,
    declarations,
    errors,
    openapi,
    print_jobs,
    ratings,
    reports,
    stream,
    tickets,
)
from kiosk.web.api.blueprint import bp

__all__ = ["bp"]
