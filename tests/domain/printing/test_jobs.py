"""Print jobs in the database: claimed once, a ticket whose citizen was called meanwhile not printed, what never
printed expired at the end of its service day, and what the kiosk and the desk are told meanwhile."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Device, Event, Office, PrintJob, Ticket
from kiosk.domain.office.day import device_states
from kiosk.domain.office.devices import create_device
from kiosk.domain.printing import jobs
from kiosk.domain.queue import calls
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.tickets import cancel
from tests.support.domain import committing, issue

LEASE = timedelta(seconds=50)
PRINTER = "tcp://192.0.2.10:9100"


def queued(session: Session, office: Office, settings: QueueSettings, now: datetime) -> tuple[PrintJob, Device]:
    kiosk = create_device(session, office, "kiosk", "kiosk-lobby", now, printer_url=PRINTER).device
    ticket = issue(session, office, settings, now)
    with committing(session):
        return jobs.enqueue(session, ticket, PRINTER, now, kiosk.id), kiosk


def attempt_fails(session: Session, job: PrintJob, now: datetime, retry_in: timedelta) -> None:
    with committing(session):
        assert jobs.claim(session, job.id, now, LEASE) is not None
        jobs.finish(session, job.id, "pending", "printer offline", now + retry_in, ("offline", "printer offline"),
                    now)
    session.expire_all()  # read back as the next request would


def test_a_job_is_claimed_once_and_its_printer_knows_it_is_due(session, office, settings, morning) -> None:
    job, _kiosk = queued(session, office, settings, morning)
    assert jobs.due_printers(session, morning) == [PRINTER]
    assert jobs.due_job_ids(session, morning, PRINTER) == [job.id] and jobs.due_job_ids(session, morning, "x") == []
    with committing(session):
        assert jobs.claim(session, job.id, morning, LEASE) is not None
        assert jobs.claim(session, job.id, morning, LEASE) is None  # another process's try finds it taken
    assert jobs.due_printers(session, morning) == []
    assert jobs.due_printers(session, morning + LEASE) == [PRINTER]  # a process that died mid-job: taken over


def test_while_the_printer_is_off_the_ticket_says_retrying_and_the_desk_says_since_when(
    session, office, settings, morning
) -> None:
    job, kiosk = queued(session, office, settings, morning)
    assert jobs.print_status(session, job.ticket_id) == "pending"
    attempt_fails(session, job, morning, timedelta(seconds=5))
    assert jobs.print_status(session, job.ticket_id) == "retrying"
    later = morning + timedelta(minutes=3)
    attempt_fails(session, job, later, timedelta(seconds=30))
    session.refresh(kiosk)
    assert kiosk.printer_state == "offline" and kiosk.printer_state_since == morning  # the first failure, not the last
    [state] = [s for s in device_states(session, office, later) if s.device.id == kiosk.id]
    assert state.waiting_prints == 1


def test_a_ticket_called_before_its_printer_came_back_is_not_printed(session, office, settings, morning) -> None:
    job, _kiosk = queued(session, office, settings, morning)
    attempt_fails(session, job, morning, timedelta(seconds=5))
    with committing(session):
        calls.call_next(session, calls.get_counter(session, office, 1), morning + timedelta(seconds=2), settings)
    with committing(session):
        assert jobs.claim(session, job.id, morning + timedelta(seconds=5), LEASE) is None
    session.refresh(job)
    assert job.status == "skipped" and jobs.due_printers(session, morning + timedelta(minutes=1)) == []


def test_a_reprint_of_a_called_ticket_is_printed(session, office, settings, morning) -> None:
    job, _kiosk = queued(session, office, settings, morning)
    with committing(session):
        called = calls.call_next(session, calls.get_counter(session, office, 1), morning, settings)
    assert called is not None
    with committing(session):
        again = jobs.reprint(session, called, morning + timedelta(minutes=1), actor="staff:supervisor")
    with committing(session):
        assert jobs.claim(session, again.id, morning + timedelta(minutes=1), LEASE) is not None


def test_what_never_printed_expires_at_the_end_of_its_day_counted_in_the_log(session, office, settings, morning):
    job, _kiosk = queued(session, office, settings, morning)
    attempt_fails(session, job, morning, timedelta(seconds=30))
    evening = morning + timedelta(hours=14)  # 23:00 in Hanoi: still the ticket's day
    with committing(session):
        assert jobs.expire_past_days(session, evening) == 0
    next_morning = morning + timedelta(hours=22)
    with committing(session):
        assert jobs.expire_past_days(session, next_morning) == 1
    session.refresh(job)
    assert job.status == "expired" and jobs.due_printers(session, next_morning) == []
    expired = session.scalars(select(Event).where(Event.kind == "print.expired")).one()
    assert expired.payload == {"count": 1}


def test_a_ticket_is_printed_again_only_while_it_waits_and_only_so_often(session, office, settings, morning):
    job, _kiosk = queued(session, office, settings, morning)
    ticket = session.get_one(Ticket, job.ticket_id)
    for minute in range(1, jobs.MAX_REPRINTS + 1):
        with committing(session):
            jobs.reprint(session, ticket, morning + timedelta(minutes=minute))
    with pytest.raises(jobs.ReprintRefusedError) as too_often:
        jobs.reprint(session, ticket, morning + timedelta(minutes=9))
    assert too_often.value.reason == "too_often"
    session.rollback()
    cancelled = issue(session, office, settings, morning)
    with committing(session):
        cancel(session, cancelled.token, morning, "citizen")
    with pytest.raises(jobs.ReprintRefusedError) as not_waiting:
        jobs.reprint(session, cancelled, morning, printer_url="tcp://127.0.0.1:9")
    assert not_waiting.value.reason == "not_waiting"
    session.rollback()
    yesterdays = issue(session, office, settings, morning - timedelta(days=1))
    session.commit()
    with pytest.raises(jobs.ReprintRefusedError):
        jobs.reprint(session, yesterdays, morning, printer_url="tcp://127.0.0.1:9")
