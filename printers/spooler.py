"""The spooler: takes persisted print jobs to their printers, with status checks, per printer, never giving up.

The job rows live in the kiosk's database; the spooler sees them only through `JobStore`, so it works with
any storage and is tested without one. Claiming is the store's job and must be atomic: several processes
may run a spooler over the same jobs. Each printer has its own worker thread, so a hung printer delays only its
own tickets; a printer that is off is tried again with back-off until it is back (the store expires what never
printed at the end of the service day).
"""

from __future__ import annotations

import functools
import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

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
    timeout_s: float = 10.0  # per step: connect, status, sending the job
    retry_after_s: tuple[float, ...] = (2.0, 5.0, 10.0, 20.0, 30.0)  # back-off; the last delay repeats
    folder: Path = Path("printouts")  # where the preview printer writes
    poll_s: float = 1.0  # how often to look for jobs another process queued or whose retry is due

    def retry_after(self, attempt: int) -> timedelta:
        """The wait after the `attempt`-th failed try."""
        delays = self.retry_after_s or (self.poll_s,)
        return timedelta(seconds=delays[min(attempt, len(delays)) - 1])


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    printer_url: str
    attempt: int  # 1 for the first try
    ticket: TicketPrint


@dataclass(frozen=True)
class Outcome:
    status: str  # printed | pending (to be tried again at retry_at)
    printer: PrinterStatus
    error: str | None = None  # why it did not print, or what is worth knowing about a print
    retry_at: datetime | None = None


class JobStore(Protocol):
    def claim(self, now: datetime, printer_url: str | None = None) -> ClaimedJob | None:
        """Atomically mark the oldest due job (of this printer, or of any) as printing (attempts + 1) and hand it
        over; None when none is due."""

    def due_printers(self, now: datetime) -> list[str]:
        """The printers that have a job due now."""

    def finish(self, job: ClaimedJob, outcome: Outcome, now: datetime) -> None:
        """Store the attempt's outcome and the printer state."""


Opener = Callable[[str, SpoolSettings], Transport]
# How a ticket becomes its picture (a PNG, which the preview printer keeps) and the printer's bytes: `draw_ticket`
# here, or (the server's choice) `printers.drawing.DrawingProcess`, which draws in a child process.
Drawer = Callable[[TicketPrint, SpoolSettings], tuple[bytes, bytes]]


def default_opener(url: str, settings: SpoolSettings) -> Transport:
    return open_printer(url, folder=settings.folder, timeout_s=settings.timeout_s)


def print_ticket(transport: Transport, payload: Payload) -> Outcome:
    """One attempt: status before (do not feed a printer without paper), send, status after.

    Printed only when the printer took every byte and did not then report trouble. A job the printer took whole
    is not sent again if the printer then stops answering (a second paper ticket is worse); a job cut off is sent
    again whole (PrinterError).
    """
    transport.open()
    try:
        before = transport.status()
        if not before.ready:
            raise PrinterError(before.state, before.detail or before.state)
        transport.send(payload)
        try:
            after = transport.status()
        except PrinterError as exc:
            note = f"the printer took the whole job, then {exc.detail}; not sent again"
            return Outcome("printed", PrinterStatus("offline", exc.detail), note)
        if not after.ready:
            raise PrinterError(after.state, f"{after.detail or after.state} during the job")
        return Outcome("printed", after)
    finally:
        transport.close()


def draw_ticket(ticket: TicketPrint, settings: SpoolSettings) -> tuple[bytes, bytes]:
    """The ticket's picture as a PNG and the printer's bytes. The PNG is encoded here, where the drawing is: in a
    server, a child process; encoding it in the worker held its event loop 2.5 ms a ticket."""
    image = render_ticket(ticket, settings.width, settings.font_path)
    picture = io.BytesIO()
    image.save(picture, "PNG")
    return picture.getvalue(), build_job(ticket, width=settings.width, font_path=settings.font_path,
                                         profile=profile_for(settings), mode=settings.mode, rendered=image)


@functools.lru_cache(maxsize=8)
def _profile(name: str, width: int) -> Any:
    return printer_profile(name, width)


def profile_for(settings: SpoolSettings) -> Any:
    """The settings' python-escpos profile, made once per process."""
    return _profile(settings.profile, settings.width)


class Spooler:
    """One per process: a dispatcher thread that hands due jobs to one worker thread per printer; `poke()` after
    queuing a job so it starts at once. Tests without threads call `run_once()`."""

    def __init__(
        self,
        store: JobStore,
        settings: SpoolSettings,
        clock: Callable[[], datetime],
        opener: Opener = default_opener,
    ) -> None:
        self.store, self.settings, self.clock, self.opener = store, settings, clock, opener
        profile_for(settings)  # an unknown profile or too wide a paper fails here, at start-up
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._workers: dict[str, PrinterWorker] = {}
        self.drawer: Drawer = draw_ticket

    def run_once(self, printer_url: str | None = None) -> Outcome | None:
        """Print one due job (of this printer, or of any); its outcome, or None when none was due."""
        job = self.store.claim(self.clock(), printer_url)
        if job is None:
            return None
        outcome = self.attempt(job)
        self.store.finish(job, outcome, self.clock())
        return outcome

    def attempt(self, job: ClaimedJob) -> Outcome:
        try:
            picture, data = self.drawer(job.ticket, self.settings)
            payload = Payload(data, f"job-{job.id:06d}-{job.attempt}-{job.ticket.number}", picture)
            return print_ticket(self.opener(job.printer_url, self.settings), payload)
        except PrinterError as exc:
            return self.retry(job, PrinterStatus(exc.state, exc.detail), exc.detail)
        except Exception as exc:  # a bug must cost one ticket's paper, never the spooler thread
            log.exception("print job %s failed", job.id)
            return self.retry(job, PrinterStatus("unknown", None), f"internal error: {exc!r}")

    def retry(self, job: ClaimedJob, state: PrinterStatus, error: str) -> Outcome:
        return Outcome("pending", state, error, self.clock() + self.settings.retry_after(job.attempt))

    def start(self) -> None:
        self._thread = threading.Thread(target=self._dispatch, name="print-spooler", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def stop(self, wait_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        for worker in list(self._workers.values()):
            worker.wake.set()
        if self._thread is not None:
            self._thread.join(wait_s)

    def _dispatch(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before looking, so a poke during a look is not lost
            try:
                for url in self.store.due_printers(self.clock()):
                    self._worker(url).wake.set()
            except Exception:  # the database may be restarting; try again on the next poll
                log.exception("print spooler: looking for jobs failed")
            self._wake.wait(self.settings.poll_s)

    def _worker(self, url: str) -> PrinterWorker:
        worker = self._workers.get(url)
        if worker is None:
            worker = self._workers[url] = PrinterWorker(self, url)
            worker.start()
        return worker


class PrinterWorker(threading.Thread):
    """Prints one printer's jobs, oldest first; after a failed try it leaves the printer alone until the retry."""

    def __init__(self, spooler: Spooler, url: str) -> None:
        super().__init__(name=f"printer {url}", daemon=True)
        self.spooler, self.url = spooler, url
        self.wake = threading.Event()

    def run(self) -> None:
        spooler = self.spooler
        while not spooler._stop.is_set():
            self.wake.clear()
            try:
                outcome = spooler.run_once(self.url)
            except Exception:
                log.exception("print spooler: printer %s", self.url)
                outcome = None
            if outcome is None:
                self.wake.wait(spooler.settings.poll_s * 5)  # the dispatcher wakes it when a job is due
            elif outcome.retry_at is not None:
                spooler._stop.wait(max(0.0, (outcome.retry_at - spooler.clock()).total_seconds()))
