"""The chip ID card's QR line: read by position, checked as if typed, refused whole when it does not fit."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain.declarations.id_card import IdCardError, card_values, looks_like_card, read_card

TODAY = date(2026, 11, 23)
CARD = "040195000123|187654321|Nguyễn Thị Ánh|25041995|Nữ|Phường Vinh Tân, Nghệ An|15042021"


def test_a_card_fills_the_persons_fields_or_the_representatives() -> None:
    card = read_card(CARD, TODAY)
    assert card_values(card, "TK01") == {
        "surname": "NGUYỄN", "given_names": "THỊ ÁNH", "sex": "female", "date_of_birth": "25/04/1995",
        "id_number": "040195000123", "permanent_address": "Phường Vinh Tân, Nghệ An"}
    assert card_values(card, "TK01a")["rep_name"] == "NGUYỄN THỊ ÁNH"
    assert card_values(card, "TK01a")["rep_id_number"] == "040195000123"


def test_newer_cards_with_more_fields_are_read_by_position() -> None:
    assert read_card(CARD + "|extra|2024", TODAY).id_number == "040195000123"
    assert looks_like_card(CARD) and not looks_like_card("Nguyễn Thị Ánh")


@pytest.mark.parametrize(("line", "says"), [
    ("hello", "not the QR code"),
    ("040195000123||Nguyễn Thị Ánh|31021995|Nữ|Nghệ An|15042021", "not the QR code"),  # no 31 February
    ("040195000123||Nguyễn Thị Ánh|25041995|Nữ|Nghệ An|15042021".replace("Nữ", "X"), "not the QR code"),
    ("040196000123||Nguyễn Thị Ánh|25041995|Nữ|Nghệ An|15042021", "born in %(year)s"),  # ID says 1996
    ("040195000123||Nguyễn Thị Ánh|25041995|Nam|Nghệ An|15042021", "for a woman"),
])
def test_a_garbled_or_inconsistent_card_is_refused(line: str, says: str) -> None:
    with pytest.raises(IdCardError) as refused:
        read_card(line, TODAY)
    assert says in refused.value.message
