"""Fixtures of the rating tests: the office's rating settings, an officer, and a ticket served to the end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kiosk.data.models import Office, StaffUser, Ticket
from kiosk.domain.office.accounts import AccountForm, save_account
from kiosk.domain.queue import calls
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.ratings.settings import RatingSettings
from tests.support.domain import committing, issue


@pytest.fixture
def rating_settings(config: dict[str, Any]) -> RatingSettings:
    return RatingSettings.from_config(config)


@pytest.fixture
def make_staff(session: Session, office: Office, morning: datetime) -> Callable[[str, str], StaffUser]:
    def make(username: str, role: str = "officer") -> StaffUser:
        with committing(session):
            return save_account(session, office, None, AccountForm(username, username.title(), role, True,
                                                                   "correct horse"), morning, "test")
    return make


@pytest.fixture
def served(session: Session, office: Office, settings: QueueSettings, morning: datetime,
           make_staff: Callable[[str, str], StaffUser]) -> Callable[..., Ticket]:
    """A ticket issued, called to counter 1 by officer1 and finished there `minutes` later."""
    make_staff("officer1")

    def serve(at: datetime = morning, minutes: int = 5, counter: int = 1) -> Ticket:
        ticket = issue(session, office, settings, at)
        desk = calls.get_counter(session, office, counter)
        with committing(session):
            calls.call_number(session, desk, ticket.number, at, actor="staff:officer1")
            calls.complete(session, desk, at + timedelta(minutes=minutes), actor="staff:officer1")
        return ticket

    return serve
