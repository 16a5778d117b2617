"""The print spooler of one process, over the office database: `printers.Spooler` with a job store whose claims
are atomic across processes and engines. Checks the printer settings at start-up, not at the first ticket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import ConfigError
from kiosk.data.models import PrinterState, PrintStatus
from kiosk.domain.printing import jobs
from kiosk.domain.printing.ticket_text import printable_ticket
from kiosk.domain.queue.settings import QueueSettings
from printers import (
    MODES,
    ClaimedJob,
    FontMissingError,
    Outcome,
    PrinterUrlError,
    ProfileError,
    Spooler,
    SpoolSettings,
    check_font,
    parse_url,
    printer_profile,
)

EXPIRE_EVERY = timedelta(minutes=1)  # how often to look for jobs whose service day is over


class SqlJobStore:
    """Print jobs in the office database, each claim and outcome in a transaction of its own."""

    def __init__(self, sessions: sessionmaker[Session], readonly_sessions: sessionmaker[Session],
                 config: dict[str, Any], settings: QueueSettings, lease: timedelta) -> None:
        self.sessions, self.readonly_sessions = sessions, readonly_sessions
        self.config, self.settings, self.lease = config, settings, lease
        self._expired_at: datetime | None = None

    def due_printers(self, now: datetime) -> list[str]:
        if self._expired_at is None or now - self._expired_at >= EXPIRE_EVERY:
            with self.sessions.begin() as session:
                jobs.expire_past_days(session, now)
            self._expired_at = now
        with self.readonly_sessions() as look:  # polled every second: on SQLite a read takes no write lock
            return jobs.due_printers(look, now)

    def claim(self, now: datetime, printer_url: str | None = None) -> ClaimedJob | None:
        with self.readonly_sessions() as look:
            ids = jobs.due_job_ids(look, now, printer_url)
        with self.sessions() as session:
            taken = next(filter(None, (self._take(session, job_id, now) for job_id in ids)), None)
        if taken is None:
            return None
        job_id, printer_url, attempt, ticket_id = taken
        # Read after the claim's commit: on SQLite a write transaction holds the process's other writers back.
        # Should this read fail, the job waits out its lease and is taken again.
        with self.readonly_sessions() as look:
            ticket = printable_ticket(look, ticket_id, self.settings, self.config, now)
        return ClaimedJob(job_id, printer_url, attempt, ticket)

    def _take(self, session: Session, job_id: int, now: datetime) -> tuple[int, str, int, int] | None:
        with session.begin():
            job = jobs.claim(session, job_id, now, self.lease)
            return None if job is None else (job.id, job.printer_url, job.attempts, job.ticket_id)

    def finish(self, job: ClaimedJob, outcome: Outcome, now: datetime) -> None:
        # printers/ speaks in plain strings; these are the values its Outcome and PrinterStatus take.
        status, printer = cast(PrintStatus, outcome.status), cast(PrinterState, outcome.printer.state)
        with self.sessions.begin() as session:
            jobs.finish(session, job.id, status, outcome.error, outcome.retry_at, (printer, outcome.printer.detail),
                        now)


def make_spooler(
    sessions: sessionmaker[Session],
    readonly_sessions: sessionmaker[Session],
    config: dict[str, Any],
    settings: QueueSettings,
    instance: Path,
    clock: Callable[[], datetime],
) -> Spooler:
    check_config(config)
    spooling = spool_settings(config, instance)
    # A job left "printing" longer than an attempt can take belongs to a process that died mid-job.
    lease = timedelta(seconds=4 * spooling.timeout_s + 10)
    return Spooler(SqlJobStore(sessions, readonly_sessions, config, settings, lease), spooling, clock)


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
        for device in (each for office in config["offices"] for each in office["devices"]):
            if device.get("printer"):
                parse_url(device["printer"])
        printer_profile(printer["profile"], printer["paper_width"])
    except (FontMissingError, PrinterUrlError, ProfileError) as exc:
        raise ConfigError(f"[printer] {exc}") from None
    if printer["mode"] not in MODES:
        raise ConfigError(f"[printer] mode must be one of {', '.join(MODES)}, got {printer['mode']!r}")
    if printer["paper_width"] % 8:
        raise ConfigError("[printer] paper_width must be a multiple of 8 dots (576, 512, 384)")
