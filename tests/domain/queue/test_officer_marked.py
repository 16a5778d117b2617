"""The officer's figures rest on the ticket knowing who handled it: the signed-in officer pressing at the counter,
never a device token acting for nobody, and nobody once the ticket is back in a queue."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from kiosk.data.models import Office, StaffUser
from kiosk.domain.queue.at_counter import CounterRequest, act
from tests.support.domain import committing, issue


def officer(session: Session, office: Office, username: str) -> int:
    with committing(session):
        user = StaffUser(office_id=office.id, username=username, full_name=username, password_hash="!",
                         role="officer", active=True)
        session.add(user)
    return user.id


def test_the_officer_pressing_is_kept_on_the_ticket(session, office, settings, morning) -> None:
    an, binh = officer(session, office, "an"), officer(session, office, "binh")
    ticket = issue(session, office, settings, morning)
    later = issue(session, office, settings, morning)

    def press(action: str, who: int | None, minutes: int, **kw: object) -> None:
        with committing(session):
            act(session, office, 1, CounterRequest(action, "test", officer_id=who, **kw),  # type: ignore[arg-type]
                morning + timedelta(minutes=minutes), settings)

    press("call_next", None, 1)  # a hardware button's token: nobody in particular
    assert ticket.officer_id is None
    press("start", an, 2)
    press("complete", an, 5)
    assert ticket.officer_id == an
    press("call_next", binh, 6)
    press("no_show", binh, 8, requeue=True)  # back in the queue: nobody handles it now
    assert later.officer_id is None and later.counter_id is None
    press("call_next", None, 9)
    press("start", binh, 10)
    press("transfer", binh, 12, service="passport-lost")
    assert later.officer_id is None and ticket.officer_id == an
