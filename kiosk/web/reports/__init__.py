"""The reports on the supervisor's desk (`/admin/reports`): the office's figures over any period, charts, exports."""

from __future__ import annotations

from kiosk.web.reports import views  # noqa: F401  (pages register on bp)
from kiosk.web.reports.blueprint import bp

__all__ = ["bp"]
