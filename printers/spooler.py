"""The spooler: takes persisted print jobs to their printers, with status checks and bounded retries.

The job rows live in the kiosk's database; the spooler sees them only through `JobStore`, so it works with
any storage and is tested without one. Claiming is the store's job and must be atomic: several processes
may run a spooler over the same jobs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from printers.escpos_job import build_job, printer_profile
from printers.layout import TicketPrint
from printers.status import PrinterError, PrinterStatus
from printers.ticket import render_ticket
from printers.transports import Payload, Transport, open_printer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SpoolSettings:
    width: int
    font_path: str
    profile: str = "default"
    mode: str = "image"
    timeout_s: float = 10.0
    retry_after_s: tuple[float, ...] = (5.0, 30.0)  # one entry per retry: attempts = len + 1
    folder: Path = Path("printouts")  # where the preview printer writes
    poll_s: float = 1.0  # how often to look for jobs another process queued or whose retry is due


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    printer_url: str
    attempt: int  # 1 for the first try
    ticket: TicketPrint


@dataclass(frozen=True)
class Outcome:
    status: str  # printed | pending (to be retried at retry_at) | failed
    printer: PrinterStatus
    error: str | None = None
    retry_at: datetime | None = None


class JobStore(Protocol):
    def claim(self, now: datetime) -> ClaimedJob | None:
        """Atomically mark one due job as printing (attempts + 1) and hand it over; None when none is due."""

    def finish(self, job: ClaimedJob, outcome: Outcome, now: datetime) -> None:
        """Store the attempt's outcome and the printer state."""


Opener = Callable[[str, SpoolSettings], Transport]


def default_opener(url: str, settings: SpoolSettings) -> Transport:
    return open_printer(url, folder=settings.folder, timeout_s=settings.timeout_s)


def print_ticket(transport: Transport, payload: Payload) -> PrinterStatus:
    """One attempt: status before (do not feed a printer without paper), send, status after."""
    transport.open()
    try:
        before = transport.status()
        if not before.ready:
            raise PrinterError(before.state, before.detail or before.state)
        transport.send(payload)
        after = transport.status()
        if before.state == "ok" and after.state == "unknown":
            raise PrinterError("offline", "the printer stopped answering during the job")
        if not after.ready:
            raise PrinterError(after.state, f"{after.detail or after.state} during the job")
        return after
    finally:
        transport.close()


class Spooler:
    """One per process: a thread that prints due jobs; `poke()` after queuing one so it starts at once."""

    def __init__(
        self,
        store: JobStore,
        settings: SpoolSettings,
        clock: Callable[[], datetime],
        opener: Opener = default_opener,
    ) -> None:
        self.store, self.settings, self.clock, self.opener = store, settings, clock, opener
        self.profile = printer_profile(settings.profile, settings.width)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> bool:
        """Print one due job if there is one; True when a job was handled."""
        job = self.store.claim(self.clock())
        if job is None:
            return False
        self.store.finish(job, self.attempt(job), self.clock())
        return True

    def attempt(self, job: ClaimedJob) -> Outcome:
        try:
            image = render_ticket(job.ticket, self.settings.width, self.settings.font_path)
            data = build_job(
                job.ticket, width=self.settings.width, font_path=self.settings.font_path,
                profile=self.profile, mode=self.settings.mode, rendered=image,
            )
            payload = Payload(data, f"job-{job.id:06d}-{job.attempt}-{job.ticket.number}", image)
            state = print_ticket(self.opener(job.printer_url, self.settings), payload)
        except PrinterError as exc:
            return self.retry_or_fail(job, PrinterStatus(exc.state, exc.detail), exc.detail)
        except Exception as exc:  # a bug must cost one ticket's paper, never the spooler thread
            log.exception("print job %s failed", job.id)
            return self.retry_or_fail(job, PrinterStatus("unknown", None), f"internal error: {exc!r}")
        return Outcome("printed", state)

    def retry_or_fail(self, job: ClaimedJob, state: PrinterStatus, error: str) -> Outcome:
        delays = self.settings.retry_after_s
        if job.attempt > len(delays):
            return Outcome("failed", state, error)
        return Outcome("pending", state, error, self.clock() + timedelta(seconds=delays[job.attempt - 1]))

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="print-spooler", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def stop(self, wait_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(wait_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before looking, so a poke during a job is not lost
            try:
                busy = self.run_once()
            except Exception:  # the database may be restarting; try again on the next poll
                log.exception("print spooler: claiming a job failed")
                busy = False
            if not busy:
                self._wake.wait(self.settings.poll_s)
