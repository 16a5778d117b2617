"""The lobby kiosk (`/kiosk`)."""

from __future__ import annotations

from kiosk.web.kiosk import views, wizard  # noqa: F401  (screens register on bp)
from kiosk.web.kiosk.blueprint import bp

__all__ = ["bp"]
