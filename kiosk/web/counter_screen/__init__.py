"""The small screen over a counter (`/counter`)."""

from __future__ import annotations

from kiosk.web.counter_screen.views import bp

__all__ = ["bp"]
