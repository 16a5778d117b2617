"""What every server process does on its own, whatever screens issue the day's tickets (or none do): forget the
declarations past their retention period, mark the bookings past their check-in window as no-shows, then, on
SQLite, copy the write-ahead log into the file and empty it, so that nothing purged stays readable in the log
(the file overwrites what it frees: secure_delete)."""

from __future__ import annotations

import logging
import threading
import time

from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.appointments.window import mark_no_shows
from kiosk.domain.declarations.drafts import purge
from kiosk.domain.ratings import ratings
from kiosk.runtime import Runtime

log = logging.getLogger(__name__)
LOG_WAIT_S = 10.0  # readers come and go in milliseconds; a purge's log is emptied within this, else next round


class Housekeeping:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.every_s = runtime.config["declarations"]["purge_every_min"] * 60
        self.stopped = threading.Event()
        self.log_to_empty = False  # a purge whose write-ahead log could not be emptied yet

    def run_once(self) -> int:
        """Declarations forgotten now; several processes may run this at once (the second finds nothing)."""
        config, rt = self.runtime.config["declarations"], self.runtime
        with rt.sessions.begin() as session:
            count = purge(session, rt.clock(), config["retention_days"], config["draft_max_age_min"],
                          config["phone_draft_hours"])
            count += ratings.purge(session, rt.clock(), config["retention_days"])  # what citizens wrote in ratings
            mark_no_shows(session, rt.clock(), BookingRules.from_config(rt.config["appointments"]))
        self.log_to_empty = rt.engine.dialect.name == "sqlite" and (self.log_to_empty or count > 0)
        if self.log_to_empty:
            self.log_to_empty = not self._empty_the_log()
        return count

    def _empty_the_log(self) -> bool:
        """Outside any transaction; a reader still on the old pages makes it wait a little (cooperatively: time's
        sleep under gevent) and try again, for up to LOG_WAIT_S. Whether the log is now empty."""
        deadline = time.monotonic() + LOG_WAIT_S
        while True:
            connection = self.runtime.engine.raw_connection()
            try:
                busy, _pages, _copied = connection.driver_connection.execute(  # type: ignore[union-attr]
                    "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                connection.close()
            if busy == 0 or time.monotonic() > deadline:
                return busy == 0
            time.sleep(0.2)

    def start(self) -> None:
        threading.Thread(target=self._loop, name="housekeeping", daemon=True).start()

    def _loop(self) -> None:
        while not self.stopped.is_set():
            try:
                self.run_once()
            except Exception:  # a database away for a moment must not end the thread: try again next round
                log.exception("housekeeping failed; trying again in %s s", self.every_s)
            self.stopped.wait(self.every_s)
