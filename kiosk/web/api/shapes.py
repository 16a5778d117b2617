"""What the API takes and answers, declared once: the views check requests with these models, and
/api/v1/openapi.json is generated from them (openapi.py), so the two cannot drift apart."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, RootModel, StringConstraints

from kiosk.data.models import CounterState, DeclarationKind, PrintStatus, PriorityKind, TicketStatus
from kiosk.domain.languages import LANGUAGES
from kiosk.domain.queue.at_counter import LONGEST_NOTE
from kiosk.domain.ratings.settings import LONGEST_COMMENT
from kiosk.domain.statistics.figures import SPLITS

Language = Literal[LANGUAGES]  # type: ignore[valid-type]  # the office's languages, whatever they are
# A code, number, reason or note someone typed: not blank, trimmed, as long as the console's field allows.
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LONGEST_NOTE,
                                             pattern=r"\S")]


class Body(BaseModel):
    """A request body: JSON types as sent (no "yes" for true, no 7 for "7"), and no field the route does not know."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Answer(BaseModel):
    """An answer: exactly these fields, so a field added to a view but not here fails the tests."""

    model_config = ConfigDict(extra="forbid")


class TakeTicket(Body):
    """Take a ticket for a service, or check in with a declaration's or a booking's code (it decides the service);
    `language` is the ticket's (and this answer's) language."""

    # One of the three, not null (checked by the view; said here so that the document says it too).
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": [key], "properties": {key: {"type": "string"}}}
        for key in ("service", "declaration", "appointment")
    ]})

    service: ShortText | None = None
    declaration: ShortText | None = None
    appointment: ShortText | None = None  # a booking's code: checked in like a declaration's
    priority: PriorityKind | None = None
    language: Language | None = None


class Declare(Body):
    """A whole TK01 or TK01a, its fields by the keys of the paper form (domain.md), checked as the kiosk checks
    them."""

    form: DeclarationKind
    language: Language | None = None
    fields: dict[Annotated[str, StringConstraints(max_length=40)], Annotated[str, StringConstraints(max_length=200)]]


class Book(Body):
    """Book a slot for a citizen (the portal's bridge, a call centre): `start` as GET /slots gives it, the ID number
    and phone checked as the declaration checks them; `declaration` a declaration's code to bring along."""

    service: ShortText
    start: Annotated[AwareDatetime, Field(strict=False)]  # JSON has no time: an ISO 8601 text with its offset
    id_number: ShortText
    phone: ShortText
    language: Language | None = None
    declaration: ShortText | None = None


class CallNumber(Body):
    """Call a given number out of turn; the reason goes to the log."""

    number: ShortText
    reason: ShortText | None = None


class NoShow(Body):
    """Nobody came; `requeue` puts the ticket back at the end of the queue."""

    requeue: bool = False


class Transfer(Body):
    """Send the citizen to another service; the note is for the next counter."""

    service: ShortText
    note: ShortText | None = None


class CounterStateChange(Body):
    """Open, pause or close the counter."""

    state: CounterState


class Press(Body):
    """A button with nothing to say (call next, recall, start, complete): an empty object or no body."""


class Rate(Body):
    """The citizen's rating of their finished ticket, once and final (`level` one of the office's scale, e.g.
    very_satisfied, satisfied, not_satisfied, dissatisfied); what went wrong and how many visits are optional."""

    level: ShortText
    reasons: list[ShortText] = Field(default_factory=list, max_length=10)
    visits: Literal[1, 2, 3] | None = None  # 3: the third time or more for this matter
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=LONGEST_COMMENT)] | None = None
    language: Language | None = None  # the answer's


class Error(Answer):
    """A refusal, in the caller's language (`language` in the body, else Accept-Language)."""

    error: str


class DeclarationRefused(Answer):
    """A declaration with mistakes: each field's, in the caller's language; nothing was kept (a body of the
    wrong shape has no `fields`)."""

    error: str
    fields: dict[str, str] = {}


class Declared(Answer):
    """The code to check in with at the kiosk (or `declaration` in POST /tickets), until `expires_at` (a day)."""

    code: str
    expires_at: date
    service: str


class DeclarationFound(Answer):
    """A declaration as the counter reads it (staff tokens only; every look is in the audit log)."""

    code: str
    form: DeclarationKind
    status: str
    language: str
    submitted_at: datetime | None
    expires_at: date
    fields: dict[str, str]


class Slot(Answer):
    start: datetime
    end: datetime
    places: int  # bookable (the walk-in share is kept out)
    left: int


class Slots(RootModel[list[Slot]]):
    """A service's slots on a day with the places left; none on a closed day or beyond the horizon."""


class Booked(Answer):
    """The booking's code (its QR holds just that) and when to check in at the kiosk."""

    code: str
    service: str
    start: datetime
    end: datetime
    check_in_from: datetime
    check_in_until: datetime


class BookingCancelled(Answer):
    code: str
    service: str
    start: datetime
    status: Literal["cancelled"]


class Service(Answer):
    code: str
    prefix: str
    name: str
    waiting: int
    estimated_wait_s: int | None  # null: no open counter serves it now
    counters_open: int


class Services(RootModel[list[Service]]):
    """The office's services with the people waiting and the wait a new ticket would have."""


class Ticket(Answer):
    """A ticket as its holder may see it: place, wait, counter, print status; nothing personal."""

    number: str
    service: str
    service_name: str
    status: TicketStatus
    counter: int | None
    priority: bool
    language: Language
    issued_at: datetime
    token: str
    status_url: str
    position: int
    estimated_wait_s: int | None  # null: no open counter serves its service now
    estimated_wait_range_s: list[int] | None  # [low, high] where such waits spread widely; else null
    after_closing: bool  # at the current pace its turn comes after closing: it may not be served today
    print_status: Literal["none", "retrying"] | PrintStatus


class Rated(Answer):
    """The rating kept; below "satisfied" it opens a case the supervisor answers."""

    number: str
    level: str
    satisfied: bool


class StaffTicket(Answer):
    ticket_id: int
    number: str
    service: str
    status: TicketStatus
    counter: int | None
    priority: bool
    language: Language
    recall_count: int
    arrived_at: datetime
    called_at: datetime | None
    requeue_count: int


class ActedOn(Answer):
    """The ticket the counter acted on."""

    ticket: StaffTicket


class PrintJob(Answer):
    job_id: int
    ticket_id: int
    number: str
    print_status: PrintStatus
    attempts: int
    error: str | None
    device_id: int | None
    printer_state: str | None
    printer_detail: str | None


class Reprint(Answer):
    job: PrintJob
    print_status: PrintStatus


class ReportFigures(Answer):
    """A group's figures as the field defines them (see the reports page): durations in seconds, shares 0 to 1;
    null when nothing was there to measure."""

    key: str | int | None = Field(description="the service's code, counter's number, officer's username, source, "
                                              "priority or day; null: not called, no priority")
    issued: int
    served: int
    no_show: int
    cancelled: int
    transferred: int
    mean_wait_s: float | None
    mean_walk_up_s: float | None
    mean_service_s: float | None
    mean_visit_s: float | None
    service_level: float | None
    no_show_rate: float | None
    cancelled_rate: float | None
    priority_share: float | None
    green_channel_share: float | None
    idle_s: float | None = Field(description="an officer's time signed in but serving nobody")


class ReportSummary(Answer):
    """The office's figures over whole days from `from` to `to`, and split by `by`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    first: date = Field(serialization_alias="from", validation_alias="from")
    last: date = Field(serialization_alias="to", validation_alias="to")
    by: Literal[SPLITS]  # type: ignore[valid-type]
    total: ReportFigures
    median_wait_s: float | None
    p90_wait_s: float | None
    appointments_kept: int
    appointments_missed: int
    groups: list[ReportFigures]


class EventStream(RootModel[str]):
    """Server-sent events, each `data:` one JSON event; `id:` resumes after a reconnect."""


class Document(RootModel[dict[str, Any]]):
    """This document (OpenAPI 3.1)."""
