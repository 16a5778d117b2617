"""Complaints that close: a rating below "satisfied" opens a case, due a working day later (by default); a
supervisor assigns it, records the call-back when the citizen left a number for it, and closes it with an outcome.
Every step is in the audit log; nobody sees or handles a case about their own service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from kiosk.config import WEEKDAYS
from kiosk.data.models import STAFF_ROLES, Office, Rating, RatingCase, StaffUser
from kiosk.domain.declarations.checks import clean_text
from kiosk.domain.events.log import record_event
from kiosk.domain.ratings.errors import (
    CaseClosedError,
    CaseNotFoundError,
    NoPhoneError,
    NoteProblemError,
    UnknownAssigneeError,
)
from kiosk.domain.ratings.settings import LONGEST_NOTE, RatingSettings

HANDLERS = STAFF_ROLES[1:]  # supervisors and admins answer complaints
CLOSED_SHOWN = 20  # closed cases the desk lists below the open ones


@dataclass(frozen=True)
class Viewer:
    """Who looks at or acts on cases: their own service's ratings are hidden from them."""

    user_id: int
    actor: str


def due_at(office: Office, opened: datetime, working_days: int) -> datetime:
    """The same time of day, `working_days` working days later (a day with office hours), in the office's zone."""
    zone = ZoneInfo(office.timezone)
    local = opened.astimezone(zone)
    day = local.date()
    for _ in range(working_days):
        day = next_working_day(office, day)
    return datetime.combine(day, local.time(), zone)


def next_working_day(office: Office, day: date) -> date:
    open_days = {WEEKDAYS.index(name) for name in office.hours} or set(range(7))
    day += timedelta(days=1)
    while day.weekday() not in open_days:
        day += timedelta(days=1)
    return day


def open_case(session: Session, office: Office, rating: Rating, now: datetime, settings: RatingSettings) -> RatingCase:
    case = RatingCase(office_id=office.id, rating=rating, status="open", opened_at=now,
                      due_at=due_at(office, now, settings.case_due_working_days))
    session.add(case)
    session.flush()
    record_event(session, office.id, "case.opened", {"case_id": case.id, "due_at": case.due_at.isoformat()}, now,
                 "citizen")
    return case


def cases(session: Session, office: Office, viewer: Viewer) -> list[RatingCase]:
    """Open cases, soonest due first, then the latest closed ones; none about the viewer's own service."""
    mine = _not_about(viewer)
    query = select(RatingCase).join(Rating).where(RatingCase.office_id == office.id, mine)
    still_open = session.scalars(query.where(RatingCase.status != "closed").order_by(RatingCase.due_at))
    closed = session.scalars(query.where(RatingCase.status == "closed")
                             .order_by(RatingCase.closed_at.desc()).limit(CLOSED_SHOWN))
    return [*still_open, *closed]


def overdue(case: RatingCase, now: datetime) -> bool:
    return case.status != "closed" and case.due_at < now


def handlers(session: Session, office: Office, case: RatingCase) -> list[StaffUser]:
    """Whom the case may go to: the office's active supervisors and admins, except the officer rated."""
    query = select(StaffUser).where(StaffUser.office_id == office.id, StaffUser.active,
                                    StaffUser.role.in_(HANDLERS))
    return [user for user in session.scalars(query.order_by(StaffUser.full_name))
            if user.id != case.rating.officer_id]


def find_case(session: Session, office: Office, case_id: int, viewer: Viewer) -> RatingCase:
    case = session.scalar(select(RatingCase).join(Rating).where(
        RatingCase.id == case_id, RatingCase.office_id == office.id, _not_about(viewer)).with_for_update())
    if case is None:
        raise CaseNotFoundError(str(case_id))
    return case


def assign(session: Session, office: Office, case_id: int, assignee_id: int | None, viewer: Viewer,
           now: datetime) -> RatingCase:
    case = _open_case(session, office, case_id, viewer)
    assignee = next((user for user in handlers(session, office, case) if user.id == assignee_id), None)
    if assignee is None:
        raise UnknownAssigneeError(str(assignee_id))
    case.assignee, case.status = assignee, "assigned"
    session.flush()
    record_event(session, office.id, "case.assigned", {"case_id": case.id, "assignee": assignee.username}, now,
                 viewer.actor)
    return case


def record_call_back(session: Session, office: Office, case_id: int, note: str, viewer: Viewer,
                     now: datetime) -> RatingCase:
    """The citizen was called back on the number they left for it; what was said, for the supervisors."""
    case = _open_case(session, office, case_id, viewer)
    if not case.rating.phone:
        raise NoPhoneError(str(case_id))
    case.call_note, case.called_back_at = _note(note), now
    session.flush()
    record_event(session, office.id, "case.called_back", {"case_id": case.id}, now, viewer.actor)
    return case


def close(session: Session, office: Office, case_id: int, outcome: str, viewer: Viewer, now: datetime) -> RatingCase:
    """The case is answered: its outcome written, in time or late (the figures count both)."""
    case = _open_case(session, office, case_id, viewer)
    case.outcome, case.closed_at, case.status = _note(outcome), now, "closed"
    session.flush()
    record_event(session, office.id, "case.closed", {"case_id": case.id, "late": case.due_at < now}, now,
                 viewer.actor)
    return case


def _open_case(session: Session, office: Office, case_id: int, viewer: Viewer) -> RatingCase:
    case = find_case(session, office, case_id, viewer)
    if case.status == "closed":
        raise CaseClosedError(str(case_id))
    return case


def _note(typed: str) -> str:
    text = clean_text(typed)
    if not text or len(text) > LONGEST_NOTE:
        raise NoteProblemError(str(LONGEST_NOTE))
    return text


def _not_about(viewer: Viewer) -> ColumnElement[bool]:
    return (Rating.officer_id.is_(None)) | (Rating.officer_id != viewer.user_id)
