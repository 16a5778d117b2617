"""A complete, valid TK01 as a citizen would type it, step by step (used by domain, view and browser tests), and
the kiosk's Next button saving it into a draft, and a ticket checked in with such a declaration."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office, Ticket
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.declarations.form import step, steps
from kiosk.domain.queue.settings import QueueSettings

TK01_STEPS: dict[str, dict[str, str]] = {
    "who": {"surname": "Nguyễn", "given_names": "Thị Ánh", "sex": "female", "date_of_birth": "25/04/1995",
            "place_of_birth": "Nghệ An", "ethnicity": "Kinh", "religion": "Không"},
    "contact": {"id_number": "040195000123", "phone": "0912345678", "email": "anh@example.vn"},
    "addresses": {"permanent_address": "Phường Vinh Tân, Nghệ An", "temporary_address": "",
                  "current_address": "Phường Vinh Tân, Nghệ An", "occupation": "Giáo viên", "employer": ""},
    "family": {"father_name": "Nguyễn Văn Bình", "father_dob": "1965", "mother_name": "Trần Thị Cúc",
               "mother_dob": "03/1968", "spouse_name": "", "spouse_dob": ""},
    "request": {"request": "first", "chip": "chip", "last_passport_number": "", "last_passport_issued": "",
                "refund_account": ""},
}
WRONG_ID = "040196000123"  # says born in 1996: one digit off, as people mistype
TODAY = date(2026, 11, 23)  # the office day of the tests' fixed clock (conftest's `morning`)


def fill(draft: Declaration, values: dict[str, dict[str, str]], now: datetime) -> None:
    """Save each step of `values` into the draft, as the kiosk's Next button does; every step must pass."""
    for key, raw in values.items():
        assert declarations.save_step(draft, step(draft.kind, key), raw, TODAY, now).ok, key


def declared_ticket(session: Session, office: Office, config: dict[str, Any], settings: QueueSettings,
                    now: datetime) -> Ticket:
    """A TK01 typed at the kiosk, submitted, and checked in for a ticket (committed)."""
    draft = declarations.start_draft(session, office, "TK01", "vi", now)
    for each in steps("TK01"):
        declarations.save_step(draft, each, TK01_STEPS[each.key], now.date(), now)
    declarations.submit(session, draft, now.date(), now)
    ticket = declarations.issue_for(session, office, draft, now, settings, config["declarations"], source="kiosk")
    session.commit()
    return ticket
