"""Complaint cases on a fixed clock: due a working day later in the office's time zone (a weekend skipped), seen
by supervisors but never by the officer rated, assigned, called back only on a number left for it, closed once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Event, Office, StaffUser, Ticket
from kiosk.domain.ratings import cases, ratings
from kiosk.domain.ratings.cases import Viewer
from kiosk.domain.ratings.errors import (
    CaseClosedError,
    CaseNotFoundError,
    NoPhoneError,
    NoteProblemError,
    UnknownAssigneeError,
)
from kiosk.domain.ratings.ratings import Details
from kiosk.domain.ratings.settings import RatingSettings
from tests.support.domain import committing

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# The example office: Monday to Friday, and Saturday mornings.
OFFICE = Office(timezone="Asia/Ho_Chi_Minh", hours={**{day: "07:30-17:00" for day in ("mon", "tue", "wed", "thu",
                                                                                       "fri")}, "sat": "07:30-11:30"})


def test_a_case_is_due_one_working_day_later_in_the_offices_zone() -> None:
    due = {
        "2026-11-23T10:00": "2026-11-24T10:00",  # Monday → Tuesday
        "2026-11-27T15:30": "2026-11-28T15:30",  # Friday → Saturday (the office opens Saturday mornings)
        "2026-11-28T10:00": "2026-11-30T10:00",  # Saturday → Monday: Sunday is no working day
        "2026-11-27T23:30": "2026-11-28T23:30",  # late on Friday in Hanoi (16:30 UTC, still Friday there)
    }
    for opened, expected in due.items():
        at = datetime.fromisoformat(opened).replace(tzinfo=HANOI).astimezone(UTC)
        assert cases.due_at(OFFICE, at, 1).astimezone(HANOI) == datetime.fromisoformat(expected).replace(tzinfo=HANOI)


def test_a_weekday_office_skips_the_whole_weekend() -> None:
    weekdays = Office(timezone="Asia/Ho_Chi_Minh", hours={day: "07:30-17:00" for day in ("mon", "tue", "wed", "thu",
                                                                                           "fri")})
    friday = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # 15:00 in Hanoi
    assert cases.due_at(weekdays, friday, 1) == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert cases.due_at(weekdays, friday, 2) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_a_case_from_assignment_to_outcome(session: Session, office: Office, rating_settings: RatingSettings,
                                           morning: datetime, served: Callable[..., Ticket],
                                           make_staff: Callable[[str, str], StaffUser]) -> None:
    boss, other = make_staff("boss", "supervisor"), make_staff("deputy", "supervisor")
    ticket = served()
    with committing(session):
        rating = ratings.rate(session, ticket, "dissatisfied", "pad", morning, rating_settings)
    viewer = Viewer(boss.id, "staff:boss")
    [case] = cases.cases(session, office, viewer)
    assert case.due_at == morning + timedelta(days=1) and not cases.overdue(case, morning + timedelta(hours=23))
    assert [user.username for user in cases.handlers(session, office, case)] == ["boss", "deputy"]
    with committing(session), pytest.raises(UnknownAssigneeError):
        cases.assign(session, office, case.id, rating.officer_id, viewer, morning)  # never to the officer rated
    with committing(session):
        cases.assign(session, office, case.id, other.id, viewer, morning)
    with committing(session), pytest.raises(NoPhoneError):
        cases.record_call_back(session, office, case.id, "Called", viewer, morning)
    with committing(session):
        ratings.add_details(session, rating, Details(call_back=True, phone="0912345678"), morning, rating_settings)
        cases.record_call_back(session, office, case.id, "Gọi lại, đã xin lỗi.", viewer, morning + timedelta(hours=2))
    late = morning + timedelta(days=1, minutes=1)
    assert cases.overdue(case, late)
    with committing(session), pytest.raises(NoteProblemError):
        cases.close(session, office, case.id, "   ", viewer, late)
    with committing(session):
        cases.close(session, office, case.id, "Hồ sơ được xử lý lại.", viewer, late)
    assert case.status == "closed" and not cases.overdue(case, late)
    with committing(session), pytest.raises(CaseClosedError):
        cases.close(session, office, case.id, "Again", viewer, late)
    steps = session.scalars(select(Event).where(Event.kind.like("case.%")).order_by(Event.id)).all()
    assert [(e.kind, e.actor) for e in steps] == [
        ("case.opened", "citizen"), ("case.assigned", "staff:boss"), ("case.called_back", "staff:boss"),
        ("case.closed", "staff:boss")]
    assert steps[-1].payload == {"case_id": case.id, "late": True}


def test_nobody_sees_or_handles_a_case_about_their_own_service(
        session: Session, office: Office, rating_settings: RatingSettings, morning: datetime,
        served: Callable[..., Ticket], make_staff: Callable[[str, str], StaffUser]) -> None:
    ticket = served()
    officer = session.scalars(select(StaffUser).where(StaffUser.username == "officer1")).one()
    officer.role = "supervisor"  # a supervisor who also serves at a counter
    with committing(session):
        ratings.rate(session, ticket, "dissatisfied", "pad", morning, rating_settings)
    own = Viewer(officer.id, "staff:officer1")
    assert cases.cases(session, office, own) == []
    [case] = cases.cases(session, office, Viewer(make_staff("boss", "supervisor").id, "staff:boss"))
    with committing(session), pytest.raises(CaseNotFoundError):
        cases.close(session, office, case.id, "Nothing wrong", own, morning)
