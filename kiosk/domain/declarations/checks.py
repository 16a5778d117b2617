"""Checks on what a citizen types: ID number against birth and sex, dates, phone, e-mail, names.

Plain Python: each check returns the cleaned value or raises `FieldProblem` whose message is an English
catalogue id with its parameters; the screen translates it into the citizen's language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.domain.languages import _

# Province where the birth was registered (TT 07/2016/TT-BCA); cards from before the 2025 merger stay valid.
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 "
    "040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 "
    "083 084 086 087 089 091 092 093 094 095 096".split()
)
MOBILE_RE = re.compile(r"^(0|\+84)(3[2-9]|5[2-9]|7[06-9]|8[1-9]|9\d)\d{7}$")
LANDLINE_RE = re.compile(r"^02\d{8,9}$")  # 0 + 2xx area code; the length is unverified, so 10-11 digits
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
PASSPORT_RE = re.compile(r"^[A-Z]\d{7}$")
DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
MONTH_YEAR_RE = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
YEAR_RE = re.compile(r"^\d{4}$")
NAME_PUNCTUATION = frozenset(" -'.")
ADULT_FORM_AGE = 14


@dataclass(eq=False)
class FieldProblem(Exception):
    """What is wrong with one field, as a catalogue message and its parameters."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    warning: bool = False  # shown to the citizen and staff, but does not stop the declaration


def clean_text(value: str) -> str:
    """NFC, trimmed, single spaces: how every text is stored (a kiosk keyboard and a phone compose differently)."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def check_name(value: str) -> str:
    """Letters of any script (Vietnamese, Chinese, Latin) with spaces and hyphens; stored upper case, NFC."""
    name = clean_text(value)
    if not all(unicodedata.category(c)[0] in "LM" or c in NAME_PUNCTUATION for c in name):
        raise FieldProblem(_("Use letters only, without digits or symbols."))
    return unicodedata.normalize("NFC", name.upper())


def parse_date(value: str, today: date) -> date:
    """A real day in the past, typed day/month/year (the way dates are written in Vietnam)."""
    match = DATE_RE.match(clean_text(value))
    if not match:
        raise FieldProblem(_("Type the date as day/month/year, for example 25/04/1990."))
    day, month, year = (int(part) for part in match.groups())
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise FieldProblem(_("This date does not exist.")) from None
    if parsed > today:
        raise FieldProblem(_("This date is in the future."))
    if parsed.year < 1900:
        raise FieldProblem(_("Check the year."))
    return parsed


def check_date(value: str, today: date) -> str:
    return parse_date(value, today).strftime("%d/%m/%Y")


def check_partial_date(value: str, today: date) -> str:
    """Parents' dates may be known only to the month or the year."""
    text = clean_text(value)
    if YEAR_RE.match(text):
        year = int(text)
        if not 1850 <= year <= today.year:
            raise FieldProblem(_("Check the year."))
        return text
    match = MONTH_YEAR_RE.match(text)
    if match:
        month, year = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or not 1850 <= year <= today.year:
            raise FieldProblem(_("This date does not exist."))
        return f"{month:02d}/{year}"
    return check_date(text, today)


def check_phone(value: str) -> str:
    """A Vietnamese mobile (10 digits, a known network) or a landline (0 + 2xx area code)."""
    phone = re.sub(r"[\s.()-]", "", value)
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return phone
    raise FieldProblem(_("Type a Vietnamese phone number: 10 digits starting with 0, for example 0912345678."))


def check_email(value: str) -> str:
    email = clean_text(value).lower()
    if not EMAIL_RE.match(email):
        raise FieldProblem(_("This e-mail address is not complete, for example name@example.com."))
    return email


def check_passport_number(value: str) -> str:
    number = re.sub(r"\s", "", value).upper()
    if not PASSPORT_RE.match(number):
        # The format (one letter, seven digits) is not confirmed for every older passport, so only a warning.
        raise FieldProblem(_("A passport number is usually one letter and 7 digits; please check it."), warning=True)
    return number


@dataclass(frozen=True)
class IdNumber:
    """What the 12 digits of a personal ID number say (there is no checksum)."""

    digits: str
    province: str
    birth_year: int
    male: bool

    @classmethod
    def parse(cls, value: str) -> IdNumber:
        digits = re.sub(r"\s", "", value)
        if not re.fullmatch(r"\d{12}", digits):
            raise FieldProblem(_("A personal ID number has exactly 12 digits."))
        century_sex = int(digits[3])
        return cls(digits, digits[:3], (19 + century_sex // 2) * 100 + int(digits[4:6]), century_sex % 2 == 0)


def check_id_number(value: str, birth: date | None, sex: str | None) -> str:
    """12 digits whose century/sex digit and year agree with the declared birth and sex."""
    id_number = IdNumber.parse(value)
    if birth is not None and id_number.birth_year != birth.year:
        raise FieldProblem(
            _("This ID number is for someone born in %(year)s, but the date of birth says %(birth)s."),
            {"year": id_number.birth_year, "birth": birth.year},
        )
    if sex in ("male", "female") and id_number.male != (sex == "male"):
        message = _("This ID number is for a man, but you chose female.") if id_number.male else _(
            "This ID number is for a woman, but you chose male."
        )
        raise FieldProblem(message)
    return id_number.digits


def id_number_warning(value: str) -> FieldProblem | None:
    """An unknown province code is usually a birth registered abroad: worth a look, not a refusal."""
    if IdNumber.parse(value).province not in PROVINCE_CODES:
        return FieldProblem(_("The first 3 digits are not a known province code; please check them."), warning=True)
    return None


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def form_kind_for(birth: date, today: date) -> str:
    """TK01 from the 14th birthday on, TK01a for a younger child (Circular 31/2023/TT-BCA)."""
    return "TK01" if age_on(birth, today) >= ADULT_FORM_AGE else "TK01a"
