"""Print jobs for tickets: queued in the ticket's own transaction, printed off the request by the spooler
(`printers.Spooler`, one thread per process), reprinted on demand. A ticket never depends on its paper."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import ConfigError
from kiosk.data.models import Device, Office, PrintJob, Ticket
from kiosk.domain.events.log import record_event
from kiosk.domain.printing.ticket_text import ticket_print
from kiosk.domain.queue.estimates import estimate
from printers import (
    ClaimedJob,
    FontMissingError,
    Outcome,
    PrinterUrlError,
    ProfileError,
    Spooler,
    SpoolSettings,
    TicketPrint,
    check_font,
    parse_url,
    printer_profile,
)

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


def spool_settings(config: dict[str, Any], instance: Path) -> SpoolSettings:
    printer = config["printer"]
    return SpoolSettings(
        width=printer["paper_width"],
        font_path=printer["font"],
        profile=printer["profile"],
        mode=printer["mode"],
        timeout_s=float(printer["timeout_s"]),
        retry_after_s=tuple(float(s) for s in printer["retry_after_s"]),
        folder=instance / "printouts",
    )


def check_config(config: dict[str, Any]) -> None:
    """Fail at start-up, not at the first ticket: font, printer URL, profile and paper width."""
    printer = config["printer"]
    try:
        check_font(printer["font"])
        if printer["url"]:
            parse_url(printer["url"])
        for device in config.get("devices", []):
            if device.get("printer"):
                parse_url(device["printer"])
        printer_profile(printer["profile"], printer["paper_width"])
    except (FontMissingError, PrinterUrlError, ProfileError) as exc:
        raise ConfigError(f"[printer] {exc}") from None
    if printer["mode"] not in ("image", "compact"):
        raise ConfigError(f"[printer] mode must be image or compact, got {printer['mode']!r}")
    if printer["paper_width"] % 8:
        raise ConfigError("[printer] paper_width must be a multiple of 8 dots (576, 512, 384)")


def make_spooler(
    sessions: sessionmaker[Session],
    readonly_sessions: sessionmaker[Session],
    config: dict[str, Any],
    instance: Path,
    clock: Callable[[], datetime],
) -> Spooler:
    check_config(config)
    return Spooler(SqlJobStore(sessions, readonly_sessions, config), spool_settings(config, instance), clock)


class SqlJobStore:
    """Print jobs in the office database; claims are atomic across processes and engines."""

    def __init__(
        self, sessions: sessionmaker[Session], readonly_sessions: sessionmaker[Session], config: dict[str, Any]
    ) -> None:
        self.sessions, self.readonly_sessions, self.config = sessions, readonly_sessions, config

    def claim(self, now: datetime) -> ClaimedJob | None:
        due = or_(
            and_(PrintJob.status == "pending", PrintJob.next_attempt_at <= now),
            and_(PrintJob.status == "printing", PrintJob.next_attempt_at <= now),  # lease ran out
        )
        with self.readonly_sessions() as look:  # polled every second: on SQLite a read takes no write lock
            ids = look.scalars(select(PrintJob.id).where(due).order_by(PrintJob.id).limit(CANDIDATES)).all()
        if not ids:
            return None
        with self.sessions() as session:
            for job_id in ids:
                with session.begin():
                    # Compare-and-set: of several processes racing for the job, exactly one updates the row.
                    taken = session.execute(
                        update(PrintJob)
                        .where(PrintJob.id == job_id, due)
                        .values(status="printing", attempts=PrintJob.attempts + 1, next_attempt_at=now + LEASE)
                        .execution_options(synchronize_session=False)
                    )
                    if taken.rowcount == 1:  # type: ignore[attr-defined]
                        job = session.get_one(PrintJob, job_id)
                        return ClaimedJob(job.id, job.printer_url, job.attempts, self.ticket_print(session, job))
        return None

    def finish(self, job: ClaimedJob, outcome: Outcome, now: datetime) -> None:
        with self.sessions.begin() as session:
            row = session.get_one(PrintJob, job.id)
            row.status = outcome.status
            row.last_error = outcome.error
            row.next_attempt_at = outcome.retry_at
            row.finished_at = now if outcome.status in ("printed", "failed") else None
            device = session.get(Device, row.device_id) if row.device_id else None
            ticket = session.get_one(Ticket, row.ticket_id)
            changed = device is not None and (device.printer_state, device.printer_detail) != (
                outcome.printer.state, outcome.printer.detail
            )
            if device is not None:
                device.printer_state, device.printer_detail = outcome.printer.state, outcome.printer.detail
            payload = job_payload(row, ticket.number, outcome.printer.state, outcome.printer.detail)
            record_event(session, ticket.office_id, "print.status", payload, now)
            if changed and device is not None:
                state = {"device_id": device.id, "state": device.printer_state, "detail": device.printer_detail}
                record_event(session, ticket.office_id, "printer.state", state, now)

    def ticket_print(self, session: Session, job: PrintJob) -> TicketPrint:
        """The ticket as it stands now: a reprint shows the current wait, with the same number and QR."""
        ticket = session.get_one(Ticket, job.ticket_id)
        office = session.get_one(Office, ticket.office_id)
        queue = self.config["queue"]
        waits = estimate(session, office, ticket, queue["estimate_sample"], queue["default_service_min"] * 60)
        return ticket_print(
            office_names=office.names,
            service_names=ticket.service.names,
            number=ticket.number,
            issued_at=ticket.issued_at,
            timezone=office.timezone,
            ahead=waits.ahead if ticket.status in ("waiting", "transferred") else 0,
            wait_s=waits.wait_s,
            priority=ticket.priority,
            priority_approved=ticket.priority_approved,
            status_url=status_url(self.config, ticket.token),
            language=ticket.language,
            footer=self.config["printer"]["footer"],
        )


def status_url(config: dict[str, Any], token: str) -> str:
    """What the QR holds: the public status page of the ticket's random token, nothing else."""
    return f"{config['server']['public_url'].rstrip('/')}/t/{token}"
