"""Ratings on a fixed clock: the pad offers the ticket just finished at its counter and no other, for a while; one
rating per ticket, final; the officer who served is taken from the log, not from anyone's word; text is purged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Event, Office, RatingCase, Ticket
from kiosk.domain.queue import calls
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.ratings import ratings
from kiosk.domain.ratings.errors import (
    AlreadyRatedError,
    DetailsProblemError,
    DetailsRefusedError,
    NotRateableError,
    UnknownLevelError,
)
from kiosk.domain.ratings.ratings import Details
from kiosk.domain.ratings.settings import RatingSettings
from tests.support.domain import committing, issue


def test_the_pad_offers_the_ticket_just_finished_until_the_next_call(
        session: Session, office: Office, settings: QueueSettings, rating_settings: RatingSettings,
        morning: datetime, served: Callable[..., Ticket]) -> None:
    first = served()
    desk = calls.get_counter(session, office, 1)
    finished = morning + timedelta(minutes=5)
    assert ratings.pad_offer(session, desk.id, finished + timedelta(seconds=30), rating_settings).ticket == first
    assert ratings.pad_offer(session, desk.id, finished + timedelta(seconds=rating_settings.pad_offer_s),
                             rating_settings).ticket is None  # back to idle on its own
    other = calls.get_counter(session, office, 2)
    assert ratings.pad_offer(session, other.id, finished, rating_settings).ticket is None
    issue(session, office, settings, finished)
    with committing(session):
        calls.call_next(session, desk, finished + timedelta(seconds=10), settings, "staff:officer1")
    assert ratings.pad_offer(session, desk.id, finished + timedelta(seconds=20), rating_settings).ticket is None
    with committing(session), pytest.raises(NotRateableError):
        ratings.rate_at_pad(session, desk, first.id, "satisfied", finished + timedelta(seconds=20), rating_settings)


def test_one_rating_per_ticket_and_it_is_final(session: Session, office: Office, rating_settings: RatingSettings,
                                               morning: datetime, served: Callable[..., Ticket]) -> None:
    ticket = served()
    desk = calls.get_counter(session, office, 1)
    later = morning + timedelta(minutes=6)
    with committing(session):
        rating = ratings.rate_at_pad(session, desk, ticket.id, "very_satisfied", later, rating_settings)
    assert rating.satisfied and rating.officer_id is not None and rating.source == "pad"
    with committing(session), pytest.raises(AlreadyRatedError):
        ratings.rate(session, ticket, "dissatisfied", "phone", later, rating_settings)
    with committing(session), pytest.raises(AlreadyRatedError):
        ratings.rate_at_pad(session, desk, ticket.id, "dissatisfied", later, rating_settings)
    assert ratings.rating_of(session, ticket.id).level == "very_satisfied"  # type: ignore[union-attr]
    assert session.scalars(select(RatingCase)).all() == []
    assert not ratings.rateable_on_phone(session, ticket, later)


def test_a_ticket_is_rated_only_once_done_and_on_its_day(
        session: Session, office: Office, settings: QueueSettings, rating_settings: RatingSettings,
        morning: datetime, served: Callable[..., Ticket]) -> None:
    waiting = issue(session, office, settings, morning)
    with committing(session), pytest.raises(NotRateableError):
        ratings.rate(session, waiting, "satisfied", "phone", morning, rating_settings)
    done = served()
    with committing(session), pytest.raises(UnknownLevelError):
        ratings.rate(session, done, "fairly_satisfied", "phone", morning, rating_settings)  # five levels only
    assert ratings.rateable_on_phone(session, done, morning + timedelta(hours=8))
    with committing(session), pytest.raises(NotRateableError):
        ratings.rate(session, done, "satisfied", "phone", morning + timedelta(days=1), rating_settings)


def test_a_bad_rating_opens_a_case_and_details_come_once(
        session: Session, office: Office, rating_settings: RatingSettings, morning: datetime,
        served: Callable[..., Ticket]) -> None:
    ticket = served()
    later = morning + timedelta(minutes=6)
    with committing(session):
        rating = ratings.rate(session, ticket, "not_satisfied", "phone", later, rating_settings)
    case = session.scalars(select(RatingCase)).one()
    assert case.rating == rating and case.status == "open"
    with committing(session), pytest.raises(DetailsProblemError, match="phone"):
        ratings.add_details(session, rating, Details(call_back=True, phone="12345"), later, rating_settings)
    with committing(session):
        ratings.add_details(session, rating, Details(["attitude", "long_wait"], "3", "  Chờ   quá lâu ", False,
                                                     "0912345678"), later, rating_settings)
    assert rating.reasons == ["long_wait", "attitude"] and rating.visits == 3 and rating.comment == "Chờ quá lâu"
    assert rating.phone is None  # typed, but not left on purpose for a call-back
    with committing(session), pytest.raises(DetailsRefusedError):
        ratings.add_details(session, rating, Details(visits="1"), later, rating_settings)
    kinds = session.scalars(select(Event.kind).where(Event.kind.like("rating.%") | Event.kind.like("case.%"))
                            .order_by(Event.id)).all()
    assert kinds == ["rating.given", "case.opened", "rating.details"]
    for event in session.scalars(select(Event).where(Event.kind.like("rating.%"))):
        assert set(event.payload) <= {"rating_id", "source"}  # nothing the live streams should not carry


def test_the_text_and_number_are_purged_with_the_declarations(
        session: Session, office: Office, rating_settings: RatingSettings, morning: datetime,
        served: Callable[..., Ticket]) -> None:
    ticket = served()
    with committing(session):
        rating = ratings.rate(session, ticket, "dissatisfied", "pad", morning, rating_settings)
        ratings.add_details(session, rating, Details(comment="Rude", call_back=True, phone="0912 345 678"), morning,
                            rating_settings)
    assert rating.phone == "0912345678"
    with committing(session):
        assert ratings.purge(session, morning + timedelta(days=29), 30) == 0
        assert ratings.purge(session, morning + timedelta(days=31), 30) >= 1
    assert (rating.comment, rating.phone, rating.level) == (None, None, "dissatisfied")
