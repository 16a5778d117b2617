"""Print jobs for tickets: queued in the ticket's own transaction, claimed and finished by the spooler
(`printers.Spooler`, one thread per process, see `kiosk.runtime.spooler`), reprinted on demand. A ticket never
depends on its paper. Plain Python over a Session; the caller owns the transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import BindParameter, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from kiosk.data.models import (
    WAITING_STATUSES,
    Device,
    Office,
    PrinterState,
    PrintJob,
    PrintStatus,
    Ticket,
    TicketStatus,
)
from kiosk.domain.events.log import record_event
from kiosk.domain.queue.numbering import service_day

CANDIDATES = 5
# Read for every ticket printed and every ticket shown: built once.
_LATEST_JOB = (select(PrintJob).where(PrintJob.ticket_id == bindparam("ticket")).order_by(PrintJob.id.desc())
               .limit(1))
# Jobs still to print, and jobs the printer was given but has not finished with.
OPEN_STATUSES: tuple[PrintStatus, ...] = ("pending", "printing")


# A ticket is printed again only while the citizen still needs the paper, and only so often: more is someone
# flooding a printer, not a lost ticket.
REPRINTABLE: tuple[TicketStatus, ...] = (*WAITING_STATUSES, "called")
MAX_REPRINTS = 3
ReprintRefusal = Literal["not_waiting", "too_often"]


class NoPrinterError(Exception):
    """Nothing to print on: the ticket never had a print job and the caller has no printer."""


class ReprintRefusedError(Exception):
    """Not printed again: the ticket no longer waits today, or was reprinted MAX_REPRINTS times already."""

    def __init__(self, number: str, reason: ReprintRefusal) -> None:
        super().__init__(number)
        self.number, self.reason = number, reason


def printer_for(role: str, device_printer: str | None, config: dict[str, Any]) -> str | None:
    """A kiosk prints on its own printer, else the office's; other devices only on a printer of their own."""
    if device_printer:
        return device_printer
    return (config["printer"]["url"] or None) if role == "kiosk" else None


def enqueue(
    session: Session, ticket: Ticket, printer_url: str, now: datetime, device_id: int | None = None
) -> PrintJob:
    """A pending job in the caller's transaction: committed with the ticket, or not at all."""
    job = PrintJob(
        ticket_id=ticket.id, device_id=device_id, printer_url=printer_url, status="pending",
        attempts=0, created_at=now, next_attempt_at=now,
    )
    session.add(job)
    session.flush()
    return job


def reprint(
    session: Session,
    ticket: Ticket,
    now: datetime,
    *,
    printer_url: str | None = None,
    device_id: int | None = None,
    actor: str | None = None,
) -> PrintJob:
    """A new job for the same ticket (same number, same QR); on the ticket's last printer unless told."""
    today = service_day(session.get_one(Office, ticket.office_id), now)
    if ticket.status not in REPRINTABLE or ticket.service_day != today:
        raise ReprintRefusedError(ticket.number, "not_waiting")
    printed = session.scalar(select(func.count()).select_from(PrintJob).where(PrintJob.ticket_id == ticket.id)) or 0
    if printed > MAX_REPRINTS:  # the first paper and MAX_REPRINTS more
        raise ReprintRefusedError(ticket.number, "too_often")
    last = latest_job(session, ticket.id)
    if printer_url is None and last is not None:
        printer_url, device_id = last.printer_url, last.device_id
    if printer_url is None:
        raise NoPrinterError(ticket.number)
    job = enqueue(session, ticket, printer_url, now, device_id)
    record_event(session, ticket.office_id, "print.status", job_payload(job, ticket.number), now, actor)
    return job


def latest_job(session: Session, ticket_id: int) -> PrintJob | None:
    return session.scalar(_LATEST_JOB, {"ticket": ticket_id})


def print_status(session: Session, ticket_id: int) -> str:
    """The ticket's latest job: pending, printing, retrying (its printer failed; it waits for it), printed,
    skipped, expired (or failed, from versions that gave up); none when it was never printed."""
    job = latest_job(session, ticket_id)
    if job is None:
        return "none"
    return "retrying" if job.status == "pending" and job.attempts else job.status


def job_payload(job: PrintJob, number: str, state: str | None = None, detail: str | None = None) -> dict[str, Any]:
    """What screens need to show a print's progress and the printer's state; nothing personal."""
    return {
        "job_id": job.id,
        "ticket_id": job.ticket_id,
        "number": number,
        "print_status": job.status,
        "attempts": job.attempts,
        "error": job.last_error,
        "device_id": job.device_id,
        "printer_state": state,
        "printer_detail": detail,
    }


def due_job_ids(session: Session, now: datetime, printer_url: str | None = None) -> list[int]:
    """The oldest few jobs due now (of one printer, or of all): new ones, retries whose time came, and those whose
    printing lease ran out."""
    if printer_url is None:
        return list(session.scalars(_DUE_JOBS, {"now": now}))
    return list(session.scalars(_PRINTERS_DUE_JOBS, {"now": now, "printer": printer_url}))


def due_printers(session: Session, now: datetime) -> list[str]:
    return list(session.scalars(select(PrintJob.printer_url).where(_due(now)).distinct()))


def claim(session: Session, job_id: int, now: datetime, lease: timedelta) -> PrintJob | None:
    """Take the job for one attempt if it is still due; of several processes racing for it, exactly one gets it.

    `lease`: a job left "printing" that long belongs to a process that died mid-job, and another takes it over
    (a rare duplicate ticket beats a lost one). A ticket whose citizen has been called, or who gave up, since the
    job was queued is not printed any more (the desk can still reprint it): None.
    """
    taken = session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, _due(now))
        .values(status="printing", attempts=PrintJob.attempts + 1, next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    job = session.get_one(PrintJob, job_id, populate_existing=True)  # the update above bypassed the session
    if _moved_on(session.get_one(Ticket, job.ticket_id), job):
        finish(session, job.id, "skipped", "the citizen was called before the printer took the ticket", None,
               None, now)
        return None
    return job


def finish(
    session: Session, job_id: int, status: PrintStatus, error: str | None, retry_at: datetime | None,
    printer: tuple[PrinterState, str | None] | None, now: datetime,
) -> None:
    """Store an attempt's outcome and the printer's state (state, detail; None: not tried); screens hear of both."""
    row = session.get_one(PrintJob, job_id)
    row.status, row.last_error, row.next_attempt_at = status, error, retry_at
    row.finished_at = None if status in OPEN_STATUSES else now
    ticket = session.get_one(Ticket, row.ticket_id)
    device = session.get(Device, row.device_id) if row.device_id else None
    if device is not None and printer is not None and (device.printer_state, device.printer_detail) != printer:
        if device.printer_state != printer[0]:
            device.printer_state_since = now
        device.printer_state, device.printer_detail = printer
        payload = {"device_id": device.id, "state": device.printer_state, "detail": device.printer_detail}
        record_event(session, ticket.office_id, "printer.state", payload, now)
    state, detail = printer or (None, None)
    record_event(session, ticket.office_id, "print.status", job_payload(row, ticket.number, state, detail), now)


def expire_past_days(session: Session, now: datetime) -> int:
    """What never printed on its service day expires at the office's midnight, counted in the log (a printer
    that comes back the next morning prints today's tickets, not yesterday's)."""
    expired = 0
    for office in session.scalars(select(Office)):
        past = select(Ticket.id).where(Ticket.office_id == office.id, Ticket.service_day < service_day(office, now))
        done = session.execute(
            update(PrintJob)
            .where(PrintJob.status.in_(OPEN_STATUSES), PrintJob.ticket_id.in_(past))
            .values(status="expired", finished_at=now, next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )
        count = int(done.rowcount)  # type: ignore[attr-defined]
        if count:
            record_event(session, office.id, "print.expired", {"count": count}, now)
        expired += count
    return expired


def _moved_on(ticket: Ticket, job: PrintJob) -> bool:
    """The ticket left the queue (called, or given up) after the job was queued."""
    if ticket.status in WAITING_STATUSES:
        return False
    left_at = ticket.called_at or ticket.finished_at
    return left_at is not None and left_at >= job.created_at


def _due(now: datetime | BindParameter[datetime]) -> Any:
    return or_(
        and_(PrintJob.status == "pending", PrintJob.next_attempt_at <= now),
        and_(PrintJob.status == "printing", PrintJob.next_attempt_at <= now),  # lease ran out
    )


_DUE_JOBS = select(PrintJob.id).where(_due(bindparam("now"))).order_by(PrintJob.id).limit(CANDIDATES)
_PRINTERS_DUE_JOBS = (select(PrintJob.id).where(_due(bindparam("now")), PrintJob.printer_url == bindparam("printer"))
                      .order_by(PrintJob.id).limit(CANDIDATES))
