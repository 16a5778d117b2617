"""The ratings' figures for the desk and the reports: satisfaction share and response rate by counter, officer,
service or day, repeat visits, and the complaint cases still open or overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.data.models import Counter, Event, Office, Rating, RatingCase, Service, StaffUser, Ticket

Grouping = Literal["counter", "officer", "service", "day"]
GROUPINGS: tuple[Grouping, ...] = ("counter", "officer", "service", "day")


@dataclass
class RatingRow:
    """One counter's, officer's, service's or day's ratings."""

    key: str  # the counter's number, the officer's username, the service's code, the ISO day
    done: int = 0  # tickets finished, the ratings' possible number
    rated: int = 0
    satisfied: int = 0
    second_visit: int = 0  # "this is my second time for this matter"
    third_visit: int = 0  # "third time or more"

    @property
    def response_rate(self) -> float | None:
        return self.rated / self.done if self.done else None

    @property
    def satisfied_share(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


@dataclass(frozen=True)
class CaseCounts:
    open: int
    overdue: int
    closed_in_time: int
    closed_late: int


def rating_figures(session: Session, office: Office, first: date, last: date, by: Grouping,
                   hidden_officer: str | None = None) -> list[RatingRow]:
    """Rows in the grouping's order, over the office's days first..last. `hidden_officer`: the viewer's username,
    whose own row is left out (nobody sees their own ratings)."""
    rows: dict[str, RatingRow] = {}
    for key, count in _done(session, office, first, last, by):
        rows.setdefault(key, RatingRow(key)).done += count
    ratings = session.execute(select(Rating, _column(by)).where(
        Rating.office_id == office.id, Rating.service_day >= first, Rating.service_day <= last
    ).outerjoin(Counter, Counter.id == Rating.counter_id).outerjoin(StaffUser, StaffUser.id == Rating.officer_id)
        .join(Service, Service.id == Rating.service_id))
    for rating, value in ratings:
        row = rows.setdefault(_key(value), RatingRow(_key(value)))
        row.rated += 1
        row.satisfied += rating.satisfied
        row.second_visit += rating.visits == 2
        row.third_visit += (rating.visits or 0) >= 3
    shown = [row for row in rows.values() if not (by == "officer" and row.key == hidden_officer)]
    return sorted(shown, key=lambda row: _order(by, row.key))


def case_counts(session: Session, office: Office, now: datetime) -> CaseCounts:
    query = select(RatingCase.status, RatingCase.due_at, RatingCase.closed_at).where(RatingCase.office_id == office.id)
    counts = {"open": 0, "overdue": 0, "in_time": 0, "late": 0}
    for status, due, closed in session.execute(query):
        if status != "closed" or closed is None:
            counts["open"] += 1
            counts["overdue"] += due < now
        else:
            counts["in_time" if closed <= due else "late"] += 1
    return CaseCounts(counts["open"], counts["overdue"], counts["in_time"], counts["late"])


def _column(by: Grouping) -> Any:
    return {"counter": Counter.number, "officer": StaffUser.username, "service": Service.code,
            "day": Rating.service_day}[by]


def _key(value: object) -> str:
    """A group's key as text; "—" for ratings of no counter or officer (finished through the API)."""
    if value is None:
        return "—"
    return value.isoformat() if isinstance(value, date) else str(value)


def _done(session: Session, office: Office, first: date, last: date, by: Grouping) -> list[tuple[str, int]]:
    """Tickets finished per group: from the tickets, or for officers from who finished them (the log's actor)."""
    if by == "officer":
        zone = ZoneInfo(office.timezone)
        start = datetime.combine(first, time(0), zone)
        end = datetime.combine(last + timedelta(days=1), time(0), zone)
        actors = session.execute(select(Event.actor, func.count()).where(
            Event.office_id == office.id, Event.kind == "ticket.done", Event.created_at >= start,
            Event.created_at < end).group_by(Event.actor))
        return [(actor.removeprefix("staff:") if actor and actor.startswith("staff:") else "—", count)
                for actor, count in actors]
    column = {"counter": Counter.number, "service": Service.code, "day": Ticket.service_day}[by]
    done = session.execute(select(column, func.count()).select_from(Ticket)
                           .outerjoin(Counter, Counter.id == Ticket.counter_id)
                           .join(Service, Service.id == Ticket.service_id)
                           .where(Ticket.office_id == office.id, Ticket.status == "done",
                                  Ticket.service_day >= first, Ticket.service_day <= last).group_by(column))
    return [(_key(value), count) for value, count in done]


def _order(by: Grouping, key: str) -> tuple[int, str]:
    if by == "counter" and key.isdigit():
        return (0, f"{int(key):06d}")
    return (1 if key == "—" else 0, key)
