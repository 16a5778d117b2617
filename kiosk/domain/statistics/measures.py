"""The field's measures of a ticket as SQL expressions, so a year of tickets is added up in the database.

wait = call − arrival: from the arrival the queue kept (a transfer keeps it, a requeued no-show waits again from
the requeue), an appointment from its slot when it came early; to the call (a recall re-announces the same call).
walk-up = start − call; service = done − start; total visit = done − the ticket's issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Integer, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

from kiosk.data.models import Appointment, Declaration, Service, Ticket

SOURCES = ("walk_in", "appointment", "phone")  # a walk-in; a booked appointment; a declaration made on a phone


@dataclass(frozen=True)
class Targets:
    """The service-level target: the longest wait counted as served in time, per service (seconds)."""

    default_s: int
    by_service: dict[int, int]

    def for_service(self, service_id: int) -> int:
        return self.by_service.get(service_id, self.default_s)


class Measures:
    """The expressions on one engine (SQLite and PostgreSQL reckon time differently)."""

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    def epoch(self, moment: Any) -> ColumnElement[int]:
        """Whole seconds since 1970 of a stored UTC time."""
        if self.postgres:
            return cast(func.floor(func.extract("epoch", moment)), Integer)
        return cast(func.strftime("%s", moment), Integer)

    def seconds(self, later: Any, earlier: Any) -> ColumnElement[float]:
        if self.postgres:
            return cast(func.extract("epoch", later - earlier), Float)
        # julianday's days are floats: to the millisecond, so 10 minutes are 600 s, not 600.00002.
        return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0, 3)

    def wait_start(self) -> ColumnElement[Any]:
        """The arrival the queue kept, or the appointment's slot when the citizen came before it."""
        return case((Appointment.slot_at > Ticket.arrived_at, Appointment.slot_at), else_=Ticket.arrived_at)

    def wait(self) -> ColumnElement[float]:
        return self.seconds(Ticket.called_at, self.wait_start())

    def walk_up(self) -> ColumnElement[float]:
        return self.seconds(Ticket.served_at, Ticket.called_at)

    def service(self) -> ColumnElement[float]:
        return self.seconds(Ticket.finished_at, Ticket.served_at)

    def visit(self) -> ColumnElement[float]:
        return self.seconds(Ticket.finished_at, Ticket.issued_at)

    @staticmethod
    def source() -> ColumnElement[str]:
        return case((Ticket.appointment_id.is_not(None), literal("appointment")),
                    (Declaration.source == "phone", literal("phone")), else_=literal("walk_in"))

    @staticmethod
    def target(targets: Targets) -> ColumnElement[int]:
        if not targets.by_service:
            return literal(targets.default_s)
        return case(targets.by_service, value=Ticket.service_id, else_=targets.default_s)


def targets_from_config(reports: dict[str, Any], services: list[Service]) -> Targets:
    """The office's `[reports]` targets, by service id."""
    by_code = reports.get("target_wait_by_service", {})
    return Targets(int(reports["target_wait_min"] * 60),
                   {s.id: int(by_code[s.code] * 60) for s in services if s.code in by_code})
