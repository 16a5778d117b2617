"""Print jobs for tickets: queued in the ticket's own transaction, claimed and finished by the spooler
(`printers.Spooler`, one thread per process, see `kiosk.runtime.spooler`), reprinted on demand. A ticket never
depends on its paper. Plain Python over a Session; the caller owns the transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from kiosk.data.models import Device, PrinterState, PrintJob, PrintStatus, Ticket
from kiosk.domain.events.log import record_event

# A job left "printing" this long belongs to a process that died mid-job: another one takes it over
# (a rare duplicate ticket beats a lost one).
LEASE = timedelta(minutes=2)
CANDIDATES = 5


class NoPrinterError(Exception):
    """Nothing to print on: the ticket never had a print job and the caller has no printer."""


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
    last = latest_job(session, ticket.id)
    if printer_url is None and last is not None:
        printer_url, device_id = last.printer_url, last.device_id
    if printer_url is None:
        raise NoPrinterError(ticket.number)
    job = enqueue(session, ticket, printer_url, now, device_id)
    record_event(session, ticket.office_id, "print.status", job_payload(job, ticket.number), now, actor)
    return job


def latest_job(session: Session, ticket_id: int) -> PrintJob | None:
    query = select(PrintJob).where(PrintJob.ticket_id == ticket_id).order_by(PrintJob.id.desc()).limit(1)
    return session.scalar(query)


def print_status(session: Session, ticket_id: int) -> str:
    """pending / printing / printed / failed for the ticket's latest job; none when it was never printed."""
    job = latest_job(session, ticket_id)
    return job.status if job else "none"


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


def due_job_ids(session: Session, now: datetime) -> list[int]:
    """A few jobs due now: new ones, retries whose time came, and those whose printing lease ran out."""
    return list(session.scalars(select(PrintJob.id).where(_due(now)).order_by(PrintJob.id).limit(CANDIDATES)))


def claim(session: Session, job_id: int, now: datetime) -> PrintJob | None:
    """Take the job for one attempt if it is still due; of several processes racing for it, exactly one gets it."""
    taken = session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, _due(now))
        .values(status="printing", attempts=PrintJob.attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    return session.get_one(PrintJob, job_id) if taken.rowcount == 1 else None  # type: ignore[attr-defined]


def finish(
    session: Session, job_id: int, status: PrintStatus, error: str | None, retry_at: datetime | None,
    printer: tuple[PrinterState, str | None], now: datetime,
) -> None:
    """Store an attempt's outcome and the printer's state (state, detail); screens hear of both."""
    row = session.get_one(PrintJob, job_id)
    row.status, row.last_error, row.next_attempt_at = status, error, retry_at
    row.finished_at = now if status in ("printed", "failed") else None
    ticket = session.get_one(Ticket, row.ticket_id)
    record_event(session, ticket.office_id, "print.status", job_payload(row, ticket.number, *printer), now)
    device = session.get(Device, row.device_id) if row.device_id else None
    if device is not None and (device.printer_state, device.printer_detail) != printer:
        device.printer_state, device.printer_detail = printer
        state = {"device_id": device.id, "state": device.printer_state, "detail": device.printer_detail}
        record_event(session, ticket.office_id, "printer.state", state, now)


def _due(now: datetime) -> Any:
    return or_(
        and_(PrintJob.status == "pending", PrintJob.next_attempt_at <= now),
        and_(PrintJob.status == "printing", PrintJob.next_attempt_at <= now),  # lease ran out
    )
