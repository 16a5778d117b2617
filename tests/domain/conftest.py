"""Fixtures of the domain tests (the database, office and clock come from tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.hall.board import DisplaySettings
from tests.support.domain import committing


@pytest.fixture
def draft(session: Session, office: Office, morning: datetime) -> Declaration:
    """A TK01 just started at the kiosk, in Vietnamese."""
    with committing(session):
        return declarations.start_draft(session, office, "TK01", "vi", morning)


@pytest.fixture
def display_settings(config: dict[str, Any]) -> DisplaySettings:
    return DisplaySettings.from_config(config)
