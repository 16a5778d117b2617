"""Print jobs in memory, claimed and finished as the SQL store does it: for the spooler's tests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from printers import ClaimedJob, Outcome
from tests.support.ticket_samples import SAMPLES

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@dataclass
class MemoryStore:
    """Jobs as dicts, each on its printer; claim and finish as the SQL store does them."""

    url: str
    jobs: dict[int, dict[str, object]] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)  # the spooler's printer threads claim at once

    def add(self, job_id: int, url: str | None = None) -> None:
        self.jobs[job_id] = {"status": "pending", "attempts": 0, "due": START, "url": url or self.url}

    def due_printers(self, now: datetime) -> list[str]:
        with self.lock:
            return sorted({str(job["url"]) for job in self.jobs.values() if self._due(job, now)})

    def claim(self, now: datetime, printer_url: str | None = None) -> ClaimedJob | None:
        with self.lock:
            return self._claim(now, printer_url)

    def _claim(self, now: datetime, printer_url: str | None) -> ClaimedJob | None:
        for job_id, job in sorted(self.jobs.items()):
            if self._due(job, now) and printer_url in (None, job["url"]):
                job["status"], job["attempts"] = "printing", int(job["attempts"]) + 1  # type: ignore[call-overload]
                return ClaimedJob(job_id, str(job["url"]), int(job["attempts"]), SAMPLES["vi"])  # type: ignore[call-overload]
        return None

    def finish(self, job: ClaimedJob, outcome: Outcome, now: datetime) -> None:
        with self.lock:
            self.jobs[job.id].update(status=outcome.status, due=outcome.retry_at, error=outcome.error, at=now)
            self.outcomes.append(outcome)

    @staticmethod
    def _due(job: dict[str, object], now: datetime) -> bool:
        return job["status"] == "pending" and job["due"] <= now  # type: ignore[operator]
