"""A citizen rates a finished ticket once: on the pad at the counter while the pad offers it, or on the ticket's
phone page for the rest of its day. The rating is bound to the ticket (its token, or the pad's counter), never to
what the officer says; a rating below "satisfied" opens a complaint case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.data.models import Counter, Event, Office, Rating, RatingCase, RatingSource, StaffUser, Ticket
from kiosk.domain.declarations.checks import FieldProblem, check_phone, clean_text
from kiosk.domain.events.log import record_event
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.ratings.cases import open_case
from kiosk.domain.ratings.errors import (
    AlreadyRatedError,
    DetailsProblemError,
    DetailsRefusedError,
    NotRateableError,
    UnknownLevelError,
)
from kiosk.domain.ratings.settings import LONGEST_COMMENT, VISITS, RatingSettings

# The events that say who served a ticket; the officer is the staff account behind the latest of them.
SERVED_KINDS = ("ticket.called", "ticket.serving", "ticket.done")


@dataclass(frozen=True)
class PadOffer:
    """What a counter's pad shows: the ticket just finished there (None: the idle screen)."""

    ticket: Ticket | None
    seconds_left: int = 0


@dataclass(frozen=True)
class Details:
    """What the citizen may add to a rating, all optional, as typed."""

    reasons: list[str] = field(default_factory=list)
    visits: str = ""
    comment: str = ""
    call_back: bool = False  # the phone number is kept only when the citizen asks to be called back
    phone: str = ""


def last_finished_at(session: Session, counter_id: int) -> Ticket | None:
    """The counter's latest finished ticket, while nobody has been called there since: the citizen who may still be
    standing at the counter. A new call ends it (calling the next citizen finishes the last at the same moment)."""
    last = session.scalar(select(Ticket).where(Ticket.counter_id == counter_id, Ticket.status == "done")
                          .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).limit(1))
    if last is None or last.finished_at is None:
        return None
    called_since = session.scalar(select(Ticket.id).where(
        Ticket.counter_id == counter_id, Ticket.id != last.id, Ticket.called_at >= last.finished_at).limit(1))
    return None if called_since is not None else last


def pad_offer(session: Session, counter_id: int, now: datetime, settings: RatingSettings) -> PadOffer:
    """The ticket the counter's pad offers to rate: the last finished there, for pad_offer_s, until it is rated."""
    ticket = last_finished_at(session, counter_id)
    if ticket is None or ticket.finished_at is None or rating_of(session, ticket.id) is not None:
        return PadOffer(None)
    left = settings.pad_offer_s - (now - ticket.finished_at).total_seconds()
    return PadOffer(ticket, int(left)) if left >= 1 else PadOffer(None)


def rate_at_pad(session: Session, counter: Counter, ticket_id: int, level: str, now: datetime,
                settings: RatingSettings) -> Rating:
    """A tap on the pad's face: only for the ticket the pad offers now, so a pad can rate no other."""
    offer = pad_offer(session, counter.id, now, settings)
    if offer.ticket is None or offer.ticket.id != ticket_id:
        if rating_of(session, ticket_id) is not None:
            raise AlreadyRatedError(str(ticket_id))
        raise NotRateableError(str(ticket_id))
    return rate(session, offer.ticket, level, "pad", now, settings)


def rateable_on_phone(session: Session, ticket: Ticket, now: datetime) -> bool:
    """The phone page offers a rating once the ticket is done, until its day ends, unless it is rated."""
    office = session.get_one(Office, ticket.office_id)
    return (ticket.status == "done" and ticket.service_day == service_day(office, now)
            and rating_of(session, ticket.id) is None)


def rate(session: Session, ticket: Ticket, level: str, source: RatingSource, now: datetime,
         settings: RatingSettings) -> Rating:
    """Record the citizen's rating of a done ticket of today; final (a second one is refused, even at once)."""
    if level not in settings.levels:
        raise UnknownLevelError(level)
    if rating_of(session, ticket.id) is not None:
        raise AlreadyRatedError(ticket.number)
    office = session.get_one(Office, ticket.office_id)
    if ticket.status != "done" or ticket.service_day != service_day(office, now):
        raise NotRateableError(ticket.number)
    rating = Rating(office_id=ticket.office_id, ticket_id=ticket.id, service_id=ticket.service_id,
                    counter_id=ticket.counter_id, officer_id=served_by(session, ticket), service_day=ticket.service_day,
                    level=level, satisfied=settings.satisfied(level), source=source, rated_at=now, reasons=[])
    try:
        with session.begin_nested():  # two taps at once: the second meets the unique ticket and is refused
            session.add(rating)
            session.flush()
    except IntegrityError:
        raise AlreadyRatedError(ticket.number) from None
    record_event(session, ticket.office_id, "rating.given", {"rating_id": rating.id, "source": source}, now,
                 "citizen")
    if not rating.satisfied:
        open_case(session, office, rating, now, settings)
    return rating


def add_details(session: Session, rating: Rating, details: Details, now: datetime, settings: RatingSettings) -> None:
    """What went wrong, how many visits, a short text and a number to call back on: once, on the rating's day."""
    office = session.get_one(Office, rating.office_id)
    if rating.details_at is not None or rating.service_day != service_day(office, now):
        raise DetailsRefusedError(str(rating.id))
    if any(reason not in settings.reasons for reason in details.reasons):
        raise DetailsProblemError("reasons")
    visits = {str(count): count for count in VISITS}
    if details.visits and details.visits not in visits:
        raise DetailsProblemError("visits")
    comment = clean_text(details.comment)
    if len(comment) > LONGEST_COMMENT:
        raise DetailsProblemError("comment")
    phone = None
    if details.call_back:
        try:
            phone = check_phone(details.phone)
        except FieldProblem:
            raise DetailsProblemError("phone") from None
    rating.reasons = sorted(set(details.reasons), key=settings.reasons.index)
    rating.visits, rating.comment, rating.phone = visits.get(details.visits), comment or None, phone
    rating.details_at = now
    session.flush()
    record_event(session, rating.office_id, "rating.details", {"rating_id": rating.id}, now, "citizen")


def rating_of(session: Session, ticket_id: int) -> Rating | None:
    return session.scalar(select(Rating).where(Rating.ticket_id == ticket_id))


def served_by(session: Session, ticket: Ticket) -> int | None:
    """The staff account that served the ticket: the one behind its latest call, start or finish at a counter."""
    since = ticket.called_at or ticket.issued_at
    events = session.scalars(select(Event).where(
        Event.office_id == ticket.office_id, Event.kind.in_(SERVED_KINDS), Event.created_at >= since,
        Event.actor.like("staff:%")).order_by(Event.id.desc()).limit(200))
    for event in events:
        if event.payload.get("ticket_id") == ticket.id and event.actor:
            username = event.actor.removeprefix("staff:")
            return session.scalar(select(StaffUser.id).where(StaffUser.office_id == ticket.office_id,
                                                             StaffUser.username == username))
    return None


def purge(session: Session, now: datetime, retention_days: int) -> int:
    """Forget what citizens and supervisors wrote (text, phone number, call-back note, outcome) with the
    declarations' retention; the rating and its case's dates stay for the figures. Ratings purged now."""
    before = now - timedelta(days=retention_days)
    old = list(session.scalars(select(Rating).where(
        Rating.rated_at < before, (Rating.comment.is_not(None)) | (Rating.phone.is_not(None)))))
    for rating in old:
        rating.comment = rating.phone = None
    cases = session.scalars(select(RatingCase).join(Rating).where(
        Rating.rated_at < before, (RatingCase.call_note.is_not(None)) | (RatingCase.outcome.is_not(None))))
    purged_cases = 0
    for case in cases:
        case.call_note = case.outcome = None
        purged_cases += 1
    session.flush()
    return len(old) + purged_cases
