"""Closed days added up once and kept (`report_day`, `report_group`, `report_count`), so a report over a year reads
a few thousand rows instead of its tickets. A day is closed from the day after tomorrow: its tickets no longer
change. A day kept against other service-level targets than today's counts as not kept, and is kept again."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from kiosk.data.models import Office, ReportCount, ReportDay, ReportGroup
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.statistics.figures import Figures, from_tickets
from kiosk.domain.statistics.measures import Targets
from kiosk.domain.statistics.periods import Period
from kiosk.domain.statistics.tally import FIELDS, Tally

OPEN_DAYS = 2  # today and yesterday are read live


def targets_key(targets: Targets) -> str:
    return ";".join([str(targets.default_s), *(f"{k}:{v}" for k, v in sorted(targets.by_service.items()))])


def kept_days(session: Session, office: Office, period: Period, targets: Targets) -> set[date]:
    return set(session.scalars(select(ReportDay.service_day).where(*_kept(office, period, targets))))


def days_to_keep(session: Session, office: Office, period: Period, targets: Targets, now: datetime) -> list[date]:
    """The period's closed days not kept yet (or kept against other targets)."""
    closed = service_day(office, now) - timedelta(days=OPEN_DAYS)
    kept = kept_days(session, office, period, targets)
    return [day for day in period.each_day() if day <= closed and day not in kept]


def keep(session: Session, office: Office, days: list[date], targets: Targets, now: datetime) -> None:
    """Add up these closed days from their tickets and keep them (what was kept of them before is replaced)."""
    for model in (ReportGroup, ReportCount, ReportDay):
        session.execute(delete(model).where(model.office_id == office.id, model.service_day.in_(days)))
    figures = from_tickets(session, office, set(days), targets, now)
    key = targets_key(targets)
    _insert(session, ReportDay, [{"office_id": office.id, "service_day": day, "targets": key,
                                  "appointments_kept": figures.get(day, Figures()).kept,
                                  "appointments_missed": figures.get(day, Figures()).missed} for day in days])
    _insert(session, ReportGroup, [
        {"office_id": office.id, "service_day": day, "split": split, "key": _text(key_value)}
        | {name: getattr(tally, name) for name in FIELDS}
        for day, each in figures.items() for (split, key_value), tally in each.groups.items()])
    _insert(session, ReportCount, [
        {"office_id": office.id, "service_day": day, "measure": measure, "value": value, "tickets": count}
        for day, each in figures.items()
        for measure, counts in (("wait", each.waits), ("arrived", _minutes(each.arrived)),
                                ("left", _minutes(each.left)))
        for value, count in counts.items()])


def read_kept(session: Session, office: Office, period: Period, targets: Targets) -> Figures:
    """What the kept days of the period add up to, added up in the database."""
    figures = Figures()
    kept = _kept(office, period, targets)
    joined = (ReportGroup.office_id == ReportDay.office_id) & (ReportGroup.service_day == ReportDay.service_day)
    sums = [func.sum(getattr(ReportGroup, name)) for name in FIELDS]
    query = select(ReportGroup.split, ReportGroup.key, *sums).join(ReportDay, joined).where(*kept)
    for split, key, *values in session.execute(query.group_by(ReportGroup.split, ReportGroup.key)):
        figures.group(split, _parsed(split, key)).add(Tally(*values))
    counted = (ReportCount.office_id == ReportDay.office_id) & (ReportCount.service_day == ReportDay.service_day)
    waits = select(ReportCount.value, func.sum(ReportCount.tickets)).join(ReportDay, counted).where(
        *kept, ReportCount.measure == "wait").group_by(ReportCount.value)
    figures.waits.update({seconds: count for seconds, count in session.execute(waits)})
    quarters = select(ReportCount.service_day, ReportCount.measure, ReportCount.value, ReportCount.tickets).join(
        ReportDay, counted).where(*kept, ReportCount.measure.in_(("arrived", "left")))
    for day, measure, minute, count in session.execute(quarters):
        getattr(figures, measure)[(day, minute)] += count
    appointments = select(func.sum(ReportDay.appointments_kept), func.sum(ReportDay.appointments_missed))
    kept_count, missed = session.execute(appointments.where(*kept)).one()
    figures.kept, figures.missed = kept_count or 0, missed or 0
    return figures


def _kept(office: Office, period: Period, targets: Targets) -> list[Any]:
    return [ReportDay.office_id == office.id, ReportDay.service_day.between(period.first, period.last),
            ReportDay.targets == targets_key(targets)]


def _insert(session: Session, model: type[ReportDay | ReportGroup | ReportCount], rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(cast(Table, model.__table__)), rows)


def _minutes(counts: dict[tuple[date, int], int]) -> dict[int, int]:
    return {minute: count for (_day, minute), count in counts.items()}


def _text(key: Any) -> str | None:
    return None if key is None else key.isoformat() if isinstance(key, date) else str(key)


def _parsed(split: str, key: str | None) -> Any:
    """A kept group's key as the tickets give it: an id, a day, or words."""
    if key is None:
        return None
    if split in ("service", "counter", "officer"):
        return int(key)
    return date.fromisoformat(key) if split == "day" else key
