"""What a citizen types, checked as domain.md says: ID number vs birth and sex, phone, dates, names, form by age."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from kiosk.domain.declarations.checks import (
    FieldProblem,
    IdNumber,
    check_date,
    check_email,
    check_id_number,
    check_name,
    check_partial_date,
    check_passport_number,
    check_phone,
    form_kind_for,
    id_number_warning,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("number", "province", "year", "male"),
    [
        ("001090012345", "001", 1990, True),  # Hà Nội, a man born in 1990
        ("040195000123", "040", 1995, False),  # Nghệ An, a woman born in 1995
        ("079203001234", "079", 2003, True),  # TP Hồ Chí Minh, a boy born in 2003
        ("038312004567", "038", 2012, False),  # Thanh Hóa, a girl born in 2012
        ("046 0 55 123456", "046", 1955, True),  # spaces as people copy them from a card
    ],
)
def test_the_id_number_says_province_birth_year_and_sex(number: str, province: str, year: int, male: bool) -> None:
    parsed = IdNumber.parse(number)
    assert (parsed.province, parsed.birth_year, parsed.male) == (province, year, male)


def test_an_id_number_agrees_with_birth_and_sex() -> None:
    assert check_id_number("040195000123", date(1995, 4, 25), "female") == "040195000123"
    with pytest.raises(FieldProblem) as wrong_year:
        check_id_number("040195000123", date(1996, 4, 25), "female")
    assert wrong_year.value.params == {"year": 1995, "birth": 1996}
    with pytest.raises(FieldProblem, match="for a woman"):
        check_id_number("040195000123", date(1995, 4, 25), "male")
    with pytest.raises(FieldProblem, match="12 digits"):
        check_id_number("04019500012", None, None)
    with pytest.raises(FieldProblem, match="12 digits"):
        check_id_number("04019500012A", None, None)


def test_the_century_digit_decides_the_century() -> None:
    # 1 = a woman of the 1900s, 2 = a man of the 2000s: the same "05" is 1905 for one and 2005 for the other.
    assert IdNumber.parse("001105000001").birth_year == 1905
    assert IdNumber.parse("001205000001").birth_year == 2005
    with pytest.raises(FieldProblem):
        check_id_number("001105000001", date(2005, 1, 1), "female")


def test_an_unknown_province_is_a_warning_only() -> None:
    assert id_number_warning("001090012345") is None
    warning = id_number_warning("003090012345")  # 003 is no province: maybe a birth registered abroad
    assert warning is not None and warning.warning


@pytest.mark.parametrize("phone", ["0912345678", "0321234567", "0868123456", "+84981234567", "0591234567",
                                   "0871234567", "091 234 5678", "0243 825 1234", "02383844123"])
def test_phones_that_pass(phone: str) -> None:
    assert " " not in check_phone(phone)


@pytest.mark.parametrize("phone", ["091234567", "09123456789", "0112345678", "0312345678", "0801234567",
                                   "+8412345678", "84912345678", "phone"])
def test_phones_that_do_not(phone: str) -> None:
    with pytest.raises(FieldProblem):
        check_phone(phone)


def test_dates_are_real_and_not_in_the_future() -> None:
    assert check_date("5/4/1990", TODAY) == "05/04/1990"
    assert check_date("29-02-2024", TODAY) == "29/02/2024"
    for wrong in ("31/02/1990", "24/11/2026", "1990-04-05", "5 April 1990", "01/01/1850"):
        with pytest.raises(FieldProblem):
            check_date(wrong, TODAY)
    assert check_date("23/11/2026", TODAY) == "23/11/2026"


def test_parents_dates_may_be_partial() -> None:
    assert check_partial_date("1962", TODAY) == "1962"
    assert check_partial_date("3/1962", TODAY) == "03/1962"
    assert check_partial_date("07/03/1962", TODAY) == "07/03/1962"
    with pytest.raises(FieldProblem):
        check_partial_date("13/1962", TODAY)


def test_names_in_vietnamese_and_chinese_are_stored_nfc_upper_case() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị Ánh ")
    name = check_name(decomposed)
    assert name == "NGUYỄN THỊ ÁNH" and unicodedata.is_normalized("NFC", name)
    assert check_name("王小明") == "王小明"
    assert check_name("Ka'sor H-Bia") == "KA'SOR H-BIA"
    with pytest.raises(FieldProblem):
        check_name("Nguyen 2")


def test_email_and_passport_number() -> None:
    assert check_email(" An.Nguyen@Example.VN ") == "an.nguyen@example.vn"
    with pytest.raises(FieldProblem):
        check_email("an.nguyen@example")
    assert check_passport_number("c 1234567") == "C1234567"
    with pytest.raises(FieldProblem) as odd:
        check_passport_number("B12345")
    assert odd.value.warning


@pytest.mark.parametrize(
    ("birth", "kind"),
    [(date(2012, 11, 23), "TK01"), (date(2012, 11, 24), "TK01a"), (date(1960, 1, 1), "TK01"),
     (date(2024, 2, 29), "TK01a")],
)
def test_the_form_follows_the_age(birth: date, kind: str) -> None:
    assert form_kind_for(birth, TODAY) == kind  # the 14th birthday itself is TK01
