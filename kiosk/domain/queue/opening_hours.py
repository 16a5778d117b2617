"""Whether the office issues tickets now: its configured hours in its own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.data.models import Office

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def office_is_open(office: Office, now: datetime) -> bool:
    """Within today's configured hours, or always when the office does not enforce them."""
    if not office.enforce_hours:
        return True
    local = now.astimezone(ZoneInfo(office.timezone))
    span = office.hours.get(WEEKDAYS[local.weekday()])
    if not span:
        return False
    opens, closes = span.split("-")
    return opens <= local.strftime("%H:%M") < closes
