"""The QR on the back of a Vietnamese chip ID card (căn cước): one line, fields separated by `|` (format in the
domain notes): ID number, old ID number, full name, date of birth (DDMMYYYY), Nam/Nữ, permanent address, date of
issue. A USB scanner types it into whatever field has the focus, a phone's camera or a photo of the card gives the
same line; either way it fills the declaration's fields for the citizen to check, after the same checks as typing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from kiosk.domain.declarations.checks import FieldProblem, check_id_number, clean_text
from kiosk.domain.languages import _

CARD_FIELDS = 7  # read by position; cards since 2024 may add more at the end
SEXES = {"nam": "male", "nữ": "female"}


class IdCardError(Exception):
    """Not a chip ID card's code, or one whose details disagree; the message is a catalogue id (with params)."""

    def __init__(self, message: str, params: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message, self.params = message, params or {}


@dataclass(frozen=True)
class IdCard:
    id_number: str
    surname: str
    given_names: str
    date_of_birth: date
    sex: str  # male | female
    permanent_address: str


def looks_like_card(text: str) -> bool:
    """A scanner's line rather than something typed: what a field holds when the card was scanned into it."""
    return text.count("|") >= CARD_FIELDS - 1


def read_card(line: str, today: date) -> IdCard:
    """The card's details, checked as if typed (the ID number against the birth year and sex)."""
    parts = [clean_text(part) for part in unicodedata.normalize("NFC", line).strip().split("|")]
    if len(parts) < CARD_FIELDS:
        raise IdCardError(_("This is not the QR code of a chip ID card. Nothing was changed."))
    id_number, _old_id, full_name, birth, sex, address, _issued = parts[:CARD_FIELDS]
    names = full_name.upper().split()
    born = _card_date(birth, today)
    if len(names) < 2 or not address or sex.lower() not in SEXES or born is None:
        raise IdCardError(_("This is not the QR code of a chip ID card. Nothing was changed."))
    try:
        check_id_number(id_number, born, SEXES[sex.lower()])
    except FieldProblem as problem:
        raise IdCardError(problem.message, problem.params) from None
    return IdCard(id_number, names[0], " ".join(names[1:]), born, SEXES[sex.lower()], address)


def card_values(card: IdCard, kind: str) -> dict[str, str]:
    """The form's fields the card fills: the person's own on a TK01, the representative's on a TK01a."""
    born = card.date_of_birth.strftime("%d/%m/%Y")
    if kind == "TK01a":
        return {"rep_name": f"{card.surname} {card.given_names}", "rep_sex": card.sex, "rep_dob": born,
                "rep_id_number": card.id_number, "rep_permanent_address": card.permanent_address}
    return {"surname": card.surname, "given_names": card.given_names, "sex": card.sex, "date_of_birth": born,
            "id_number": card.id_number, "permanent_address": card.permanent_address}


def _card_date(text: str, today: date) -> date | None:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        return None
    try:
        day = date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        return None
    return day if date(1900, 1, 1) <= day <= today else None
