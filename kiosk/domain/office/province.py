"""The province at a glance: every office on the same servers, each with its day as its own desk shows it (the
figures of `day`), for a province account's overview.

Plain Python over a Session and a `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.data.models import Counter, Office
from kiosk.domain.office.day import DayFigures, day_figures, device_states
from printers.status import PrinterStatus


@dataclass(frozen=True)
class OfficeDay:
    office: Office
    figures: DayFigures
    counters_open: int
    printer_trouble: int  # kiosks whose printer cannot print (offline, out of paper, cover open)


def offices(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).order_by(Office.code)))


def office_day(session: Session, office: Office, now: datetime) -> OfficeDay:
    """One office's column of the overview."""
    counters_open = session.scalar(
        select(func.count()).select_from(Counter).where(Counter.office_id == office.id, Counter.state == "open")
    ) or 0
    trouble = sum(1 for state in device_states(session, office, now)
                  if state.device.role == "kiosk" and not PrinterStatus(state.device.printer_state).ready)
    return OfficeDay(office, day_figures(session, office, now), counters_open, trouble)
