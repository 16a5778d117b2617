"""Declarations as plain Python: the draft keeps what is typed, submit gives a code, old ones are purged."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office, Ticket
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.declarations.codes import DECLARATION_DIGITS
from kiosk.domain.declarations.form import step, steps
from kiosk.domain.queue.settings import QueueSettings
from tests.support.domain import check_in, committing
from tests.support.kiosk_factories import TK01_STEPS, TODAY, WRONG_ID, fill


def test_a_wrong_id_number_is_kept_and_named_but_nothing_else_is_lost(
    session: Session, draft: Declaration, morning: datetime
) -> None:
    assert draft.fields == {"ethnicity": "Kinh", "religion": "Không"} and len(draft.draft_key or "") >= 40
    with committing(session):
        fill(draft, {"who": TK01_STEPS["who"]}, morning)
        wrong = {**TK01_STEPS["contact"], "id_number": WRONG_ID}
        result = declarations.save_step(draft, step("TK01", "contact"), wrong, TODAY, morning)
    assert not result.ok and set(result.problems) == {"id_number"}
    assert result.problems["id_number"].params == {"year": 1996, "birth": 1995}
    stored = session.get_one(Declaration, draft.id).fields
    assert stored["id_number"] == WRONG_ID and stored["phone"] == "0912345678" and stored["surname"] == "NGUYỄN"


def test_submit_gives_a_code_and_the_draft_key_stops_working(
    session: Session, office: Office, draft: Declaration, morning: datetime
) -> None:
    with committing(session):
        fill(draft, TK01_STEPS, morning)
        key = draft.draft_key
        declarations.submit(session, draft, TODAY, morning)
    assert draft.status == "submitted" and draft.code and len(draft.code) == DECLARATION_DIGITS
    assert declarations.find_draft(session, key) is None
    assert declarations.service_for(draft, {"service_first": "A", "service_reissue": "B", "service_child": "C"}) == "A"


def test_submit_refuses_a_step_broken_by_a_later_edit(session: Session, draft: Declaration, morning: datetime) -> None:
    with committing(session):
        fill(draft, TK01_STEPS, morning)
        fill(draft, {"who": {**TK01_STEPS["who"], "sex": "male"}}, morning)  # edited from the review
        with pytest.raises(declarations.DeclarationIncompleteError, match="contact"):
            declarations.submit(session, draft, TODAY, morning)


def test_a_child_on_the_adult_form_and_a_reissue_without_the_old_passport(
    session: Session, draft: Declaration, morning: datetime
) -> None:
    with committing(session):
        child = declarations.save_step(draft, step("TK01", "who"), {**TK01_STEPS["who"], "date_of_birth": "01/01/2015"},
                                       TODAY, morning)
        reissue = declarations.save_step(draft, step("TK01", "request"), {**TK01_STEPS["request"], "request": "lost"},
                                         TODAY, morning)
    assert "TK01a" in child.problems["date_of_birth"].message
    assert set(reissue.problems) == {"last_passport_number"}


def test_a_tk01a_checks_the_representatives_id_against_their_own_birth(
    session: Session, office: Office, morning: datetime
) -> None:
    with committing(session):
        draft = declarations.start_draft(session, office, "TK01a", "en", morning)
        raw = {"rep_name": "Trần Văn Nam", "rep_sex": "male", "rep_dob": "02/02/1988", "rep_relation": "father",
               "rep_id_number": "001088001234", "rep_phone": "0987654321"}
        assert declarations.save_step(draft, steps("TK01a")[0], raw, TODAY, morning).ok
        wrong = declarations.save_step(draft, steps("TK01a")[0], {**raw, "rep_sex": "female"}, TODAY, morning)
    assert set(wrong.problems) == {"rep_id_number"}


def test_purge_forgets_old_declarations_and_abandoned_drafts(
    session: Session, office: Office, morning: datetime, settings: QueueSettings, config: dict[str, Any]
) -> None:
    old = morning - timedelta(days=31)
    with committing(session):
        kept = declarations.start_draft(session, office, "TK01", "vi", morning)
        abandoned = declarations.start_draft(session, office, "TK01", "vi", morning - timedelta(hours=2))
        expired = declarations.start_draft(session, office, "TK01", "vi", old)
        fill(expired, TK01_STEPS, old)
        declarations.submit(session, expired, TODAY - timedelta(days=31), old)
    check_in(session, office, str(expired.code), old + timedelta(hours=1), settings, config)
    with committing(session):
        assert declarations.purge(session, morning, 30, 60) == 2
    remaining = {row.id: row for row in session.scalars(select(Declaration))}
    assert set(remaining) == {kept.id, expired.id} and abandoned.id not in remaining
    emptied = remaining[expired.id]  # says there was one, holds nothing typed
    assert (emptied.status, emptied.fields, emptied.warnings, emptied.code) == ("purged", {}, {}, expired.code)
    linked = session.scalars(select(Ticket.declaration_id).where(Ticket.declaration_id.is_not(None))).all()
    assert linked == [expired.id]
    with committing(session):
        assert declarations.purge(session, morning, 30, 60) == 0  # once


def test_an_answer_longer_than_the_paper_form_holds_is_refused(session: Session, office: Office,
                                                              morning: datetime) -> None:
    draft = declarations.start_draft(session, office, "TK01", "vi", morning)
    contact = {**TK01_STEPS["contact"], "email": "a" * 190 + "@example.vn"}
    result = declarations.save_step(draft, step("TK01", "contact"), contact, TODAY, morning)
    assert result.problems["email"].message == "At most %(count)s characters, please."
    assert result.problems["email"].params == {"count": declarations.LONGEST_ANSWER}


def test_a_phone_draft_waits_for_the_rest_of_the_day_a_kiosk_draft_an_hour(
        session: Session, office: Office, morning: datetime) -> None:
    with committing(session):
        kiosk = declarations.start_draft(session, office, "TK01", "vi", morning)
        phone = declarations.start_draft(session, office, "TK01", "vi", morning, source="phone")
    with committing(session):
        assert declarations.purge(session, morning + timedelta(hours=2), 30, 60, 12) == 1
    assert declarations.find_draft(session, kiosk.draft_key) is None
    assert declarations.find_draft(session, phone.draft_key) is not None
    with committing(session):
        assert declarations.purge(session, morning + timedelta(hours=13), 30, 60, 12) == 1
