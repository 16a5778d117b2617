"""The office's data: typed SQLAlchemy 2 models. No I/O here beyond what the ORM does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit id.
EventId = BigInteger().with_variant(Integer(), "sqlite")

TicketStatus = Literal["waiting", "called", "serving", "done", "no_show", "cancelled", "transferred"]
# "transferred" waits at its new service, keeping its number, token and arrival time.
WAITING_STATUSES: tuple[TicketStatus, ...] = ("waiting", "transferred")
AT_COUNTER_STATUSES: tuple[TicketStatus, ...] = ("called", "serving")
CounterState = Literal["open", "paused", "closed"]
COUNTER_STATES: tuple[CounterState, ...] = get_args(CounterState)
PriorityKind = Literal["elderly", "child", "disabled", "pregnant", "urgent"]
PRIORITY_KINDS: tuple[PriorityKind, ...] = get_args(PriorityKind)
TicketSource = Literal["kiosk", "phone", "appointment", "staff", "api"]
DeviceRole = Literal["kiosk", "display", "staff", "counter_screen", "rating_pad"]
DEVICE_ROLES: tuple[DeviceRole, ...] = get_args(DeviceRole)
StaffRole = Literal["officer", "supervisor", "admin", "province"]
STAFF_ROLES: tuple[StaffRole, ...] = get_args(StaffRole)  # each may do what the ones before it may
# The roles an office's own admin gives; a province account (its office's admin, and sees every office) is the
# command line's to make.
OFFICE_ROLES: tuple[StaffRole, ...] = STAFF_ROLES[:-1]
# failed: given up by versions before the spooler waited for printers to come back.
PrintStatus = Literal["pending", "printing", "printed", "skipped", "expired", "failed"]
PrinterState = Literal["ok", "offline", "paper_out", "cover_open", "unknown"]
DeclarationKind = Literal["TK01", "TK01a"]  # an adult's passport declaration, a child's (under 14)
# "purged": past the retention period, what was typed is gone; the row says only that there was a declaration.
DeclarationStatus = Literal["draft", "submitted", "checked_in", "purged"]
AppointmentStatus = Literal["booked", "checked_in", "no_show", "cancelled"]

class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine (SQLite stores them naive and would hand them back naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime()}


class Office(Base):
    __tablename__ = "office"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    names: Mapped[dict[str, Any]]
    timezone: Mapped[str] = mapped_column(String(64))
    languages: Mapped[list[str]] = mapped_column(JSON)
    hours: Mapped[dict[str, Any]]
    enforce_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    notice: Mapped[dict[str, Any]]

    services: Mapped[list[Service]] = relationship(back_populates="office", order_by="Service.id")
    counters: Mapped[list[Counter]] = relationship(back_populates="office", order_by="Counter.number")

    def name(self, language: str) -> str:
        return str(self.names.get(language) or self.names["vi"])


class Service(Base):
    __tablename__ = "service"
    __table_args__ = (
        UniqueConstraint("office_id", "code"),
        UniqueConstraint("office_id", "prefix"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    code: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(1))
    names: Mapped[dict[str, Any]]
    daily_cap: Mapped[int | None]
    needs_declaration: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    office: Mapped[Office] = relationship(back_populates="services")

    def name(self, language: str) -> str:
        return str(self.names.get(language) or self.names["vi"])


class Counter(Base):
    __tablename__ = "counter"
    __table_args__ = (UniqueConstraint("office_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    number: Mapped[int]
    zone: Mapped[str] = mapped_column(String(64), default="hall")
    state: Mapped[CounterState] = mapped_column(String(16), default="open")
    # Priority calls in a row, so the ratio lets a normal ticket through.
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)

    office: Mapped[Office] = relationship(back_populates="counters")
    services: Mapped[list[CounterService]] = relationship(cascade="all, delete-orphan")


class CounterService(Base):
    __tablename__ = "counter_service"
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0)

    service: Mapped[Service] = relationship()


class Device(Base):
    __tablename__ = "device"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[DeviceRole] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    zone: Mapped[str | None] = mapped_column(String(64))
    printer_url: Mapped[str | None] = mapped_column(String(512))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Last known state of this kiosk's printer.
    printer_state: Mapped[PrinterState] = mapped_column(String(16), default="unknown")
    printer_state_since: Mapped[datetime | None]
    printer_detail: Mapped[str | None] = mapped_column(Text)

    office: Mapped[Office] = relationship()
    counter: Mapped[Counter | None] = relationship()


class StaffUser(Base):
    __tablename__ = "staff_user"
    __table_args__ = (UniqueConstraint("office_id", "username"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    username: Mapped[str] = mapped_column(String(64))
    full_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[StaffRole] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sign_outs: Mapped[int] = mapped_column(default=0, server_default="0")  # each one ends every open sign-in


class TicketSequence(Base):
    """The last number given per office, service and day: one row locked per ticket, so numbers have no gaps."""

    __tablename__ = "ticket_sequence"
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("office_id", "issued_service_id", "service_day", "seq"),
        Index("ix_ticket_queue", "office_id", "service_day", "status"),
        Index("ix_ticket_counter", "counter_id", "status"),
        # A year of a province is millions of tickets: every estimate reads a service's latest finished ones.
        Index("ix_ticket_service_finished", "service_id", "status", "finished_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    # The service whose sequence gave the number; the ticket keeps it when transferred elsewhere.
    issued_service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    service_day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(8))
    token: Mapped[str] = mapped_column(String(43), unique=True)
    status: Mapped[TicketStatus] = mapped_column(String(16), default="waiting")
    priority: Mapped[PriorityKind | None] = mapped_column(String(16))
    priority_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[TicketSource] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    issued_at: Mapped[datetime]
    # Queue position: kept across a transfer, reset only by a requeue after a no-show.
    arrived_at: Mapped[datetime]
    called_at: Mapped[datetime | None]
    served_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    requeue_count: Mapped[int] = mapped_column(Integer, default=0)
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    note: Mapped[str | None] = mapped_column(Text)
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declaration.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"))
    # The wait the citizen was told at issue (None: no counter open then), kept so the estimate can be checked.
    estimated_wait_s: Mapped[int | None]

    service: Mapped[Service] = relationship(foreign_keys=[service_id])
    counter: Mapped[Counter | None] = relationship()


class Event(Base):
    """Append-only: written in the same transaction as the change it describes."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_office", "office_id", "id"),)
    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    actor: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]


class PrintJob(Base):
    __tablename__ = "print_job"
    __table_args__ = (Index("ix_print_job_status", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    printer_url: Mapped[str] = mapped_column(String(512))
    status: Mapped[PrintStatus] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    ticket: Mapped[Ticket] = relationship()



class Declaration(Base):
    """A passport declaration: a kiosk draft keyed by an opaque session key, then submitted with a short code.

    Personal data: emptied after the retention period (`kiosk.domain.declarations.drafts.purge`).
    """

    __tablename__ = "declaration"
    __table_args__ = (
        UniqueConstraint("office_id", "code"),
        Index("ix_declaration_created", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    kind: Mapped[DeclarationKind] = mapped_column(String(8))
    status: Mapped[DeclarationStatus] = mapped_column(String(16), default="draft")
    fields: Mapped[dict[str, Any]]
    # Warnings the citizen saw and went on with (an unknown province code), for the officer to look at.
    warnings: Mapped[dict[str, Any]]
    code: Mapped[str | None] = mapped_column(String(12))
    draft_key: Mapped[str | None] = mapped_column(String(43), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(16))  # kiosk | phone
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]



class Appointment(Base):
    __tablename__ = "appointment"
    __table_args__ = (
        UniqueConstraint("office_id", "code"),
        Index("ix_appointment_slot", "office_id", "service_id", "slot_at"),
        Index("ix_appointment_id_key", "office_id", "id_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    slot_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    code: Mapped[str] = mapped_column(String(12))
    status: Mapped[AppointmentStatus] = mapped_column(String(16), default="booked")
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    checked_in_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Keyed hashes (HMAC with the app's secret), never the numbers: enough to refuse a second booking for the
    # same ID number, phone or address, and to tell the officer whether a card matches; useless to a thief.
    id_key: Mapped[str | None] = mapped_column(String(64))
    phone_key: Mapped[str | None] = mapped_column(String(64))
    address_key: Mapped[str | None] = mapped_column(String(64))
    declaration_code: Mapped[str | None] = mapped_column(String(12))
    booked_by: Mapped[str | None] = mapped_column(String(128))  # citizen | staff:<name> | a device's actor

    service: Mapped[Service] = relationship()


class BookingCalendar(Base):
    """A service's booking calendar as the desk set it (until then the office file's `[appointments]` holds)."""

    __tablename__ = "booking_calendar"
    __table_args__ = (UniqueConstraint("office_id", "service_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    bookable: Mapped[bool] = mapped_column(Boolean, default=True)
    slot_min: Mapped[int]
    places: Mapped[int]  # citizens a slot takes; the walk-in share of them is not bookable
    walk_in_share: Mapped[float] = mapped_column(Float)
    horizon_days: Mapped[int]
    sessions: Mapped[dict[str, Any]]  # weekday -> ["07:30-11:30", "13:30-16:30"]
    updated_at: Mapped[datetime]


class BookingDay(Base):
    """A day off the calendar (a holiday, Tết) or an extra session (evenings, weekends in a surge)."""

    __tablename__ = "booking_day"
    __table_args__ = (Index("ix_booking_day", "office_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))  # none: every service
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))  # closed | extra
    opens: Mapped[str | None] = mapped_column(String(5))  # an extra session's hours
    closes: Mapped[str | None] = mapped_column(String(5))
    note: Mapped[str] = mapped_column(String(200), default="")


# Ratings by the citizen and the complaint cases a bad one opens (kiosk.domain.ratings).
RatingSource = Literal["pad", "phone"]
CaseStatus = Literal["open", "assigned", "closed"]


class Rating(Base):
    """A citizen's rating of one finished ticket: final, one per ticket. What it cost the officer to know, and the
    citizen's free text and phone number, are for supervisors only; the text and number are purged with the
    declarations' retention (`kiosk.domain.ratings.ratings.purge`)."""

    __tablename__ = "rating"
    __table_args__ = (Index("ix_rating_office_day", "office_id", "service_day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    service_day: Mapped[date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(24))
    satisfied: Mapped[bool] = mapped_column(Boolean)  # "satisfied" or better, whatever the office's scale
    source: Mapped[RatingSource] = mapped_column(String(8))
    rated_at: Mapped[datetime]
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    visits: Mapped[int | None]  # "how many times have you come for this matter?": 1, 2, 3 (or more)
    comment: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(20))  # left on purpose, to be called back
    details_at: Mapped[datetime | None]

    ticket: Mapped[Ticket] = relationship()


class RatingCase(Base):
    """A complaint: a rating below "satisfied", answered by a supervisor within its deadline."""

    __tablename__ = "rating_case"
    __table_args__ = (Index("ix_rating_case_office_status", "office_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id"), unique=True)
    status: Mapped[CaseStatus] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    called_back_at: Mapped[datetime | None]
    call_note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]

    rating: Mapped[Rating] = relationship()
    assignee: Mapped[StaffUser | None] = relationship()


# The reports' closed days, added up once (kiosk.domain.statistics.closed_days), so a year is read from a few
# thousand rows instead of its tickets; and the log read by kind and time (the audit log's filter, sign-ins).
Index("ix_event_kind", Event.office_id, Event.kind, Event.created_at)


class ReportDay(Base):
    """A closed day whose figures are kept in `report_group` and `report_count`; `targets` names the service-level
    targets its `within_target` was counted against (other targets: the day is added up again)."""

    __tablename__ = "report_day"
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    targets: Mapped[str] = mapped_column(String(400))
    appointments_kept: Mapped[int] = mapped_column(Integer)
    appointments_missed: Mapped[int] = mapped_column(Integer)


class ReportGroup(Base):
    """A closed day's tickets of one group (a service, counter, officer, source or priority; split `day`: all of
    them), added up as `kiosk.domain.statistics.tally.Tally`."""

    __tablename__ = "report_group"
    __table_args__ = (Index("ix_report_group_day", "office_id", "service_day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    service_day: Mapped[date] = mapped_column(Date)
    split: Mapped[str] = mapped_column(String(16))
    key: Mapped[str | None] = mapped_column(String(40))  # None: not called, no priority
    issued: Mapped[int] = mapped_column(Integer)
    served: Mapped[int] = mapped_column(Integer)
    no_show: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[int] = mapped_column(Integer)
    transferred: Mapped[int] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer)
    green_channel: Mapped[int] = mapped_column(Integer)
    appointments: Mapped[int] = mapped_column(Integer)
    waits: Mapped[int] = mapped_column(Integer)
    wait_s: Mapped[float] = mapped_column(Float)
    served_waits: Mapped[int] = mapped_column(Integer)
    within_target: Mapped[int] = mapped_column(Integer)
    walk_ups: Mapped[int] = mapped_column(Integer)
    walk_up_s: Mapped[float] = mapped_column(Float)
    services: Mapped[int] = mapped_column(Integer)
    service_s: Mapped[float] = mapped_column(Float)
    visits: Mapped[int] = mapped_column(Integer)
    visit_s: Mapped[float] = mapped_column(Float)
    signed_in_s: Mapped[float] = mapped_column(Float)


class ReportCount(Base):
    """How many of a closed day's tickets waited each whole second (`wait`), and came into (`arrived`) or left
    (`left`) the queue in each quarter hour, by its local minute of the day."""

    __tablename__ = "report_count"
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    measure: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, primary_key=True)
    tickets: Mapped[int] = mapped_column(Integer)
