"""The passport declaration as the paper form groups it: TK01 (aged 14 and over) and TK01a (a child under 14).

Plain data: the kiosk asks it step by step, the staff console shows a stored declaration block by block.
Labels are English catalogue ids; whoever shows them translates them (`_(field.label)` in a template).
Field kinds name the check applied (see `kiosk.domain.declarations.drafts.CHECKS`) and the keypad the kiosk opens;
a `pick` field is searched in, and checked against, its list of `kiosk.domain.declarations.pick_lists`.
"""

from __future__ import annotations

from dataclasses import dataclass


def _(message: str) -> str:
    """Mark a label for the catalogue; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # name | text | date | partial_date | id_number | phone | email | passport_number | choice | pick
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)
    default: str = ""
    hint: str = ""
    picks: str = ""  # the pick list of a `pick` field (a key of pick_lists.PICK_LISTS)


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    fields: tuple[Field, ...]


SEXES = (("male", _("Male")), ("female", _("Female")))
REQUESTS = (
    ("first", _("First passport")),
    ("expired", _("New passport: the old one has expired or expires soon")),
    ("lost", _("New passport: the old one was lost")),
    ("damaged", _("New passport: the old one is damaged")),
    ("changed", _("New passport: my personal details have changed")),
)
CHIPS = (("chip", _("With chip")), ("no_chip", _("Without chip")))
RELATIONS = (("father", _("Father")), ("mother", _("Mother")), ("guardian", _("Guardian")))

NAMES = (
    Field("surname", _("Surname"), "name", hint=_("For example: NGUYỄN")),
    Field("given_names", _("Middle and given names"), "name", hint=_("For example: VĂN AN")),
    Field("sex", _("Sex"), "choice", choices=SEXES),
    Field("date_of_birth", _("Date of birth"), "date", hint=_("Day/month/year")),
    Field("place_of_birth", _("Place of birth (province, or country if abroad)"), "pick", picks="places",
          hint=_("Type the first letters, then choose")),
)
ORIGIN = (
    Field("ethnicity", _("Ethnic group"), "pick", default="Kinh", picks="ethnic_groups",
          hint=_("Type the first letters, then choose")),
    Field("religion", _("Religion"), "pick", default="Không", picks="religions", hint=_("Không if none")),
)
OCCUPATION = Field("occupation", _("Occupation"), "pick", picks="occupations",
                   hint=_("Choose, or type your own"))
PARENTS = (
    Field("father_name", _("Father's full name"), "name"),
    Field("father_dob", _("Father's date of birth"), "partial_date", required=False, hint=_("Year alone is enough")),
    Field("mother_name", _("Mother's full name"), "name"),
    Field("mother_dob", _("Mother's date of birth"), "partial_date", required=False, hint=_("Year alone is enough")),
)
REQUEST = (
    Field("request", _("What do you ask for?"), "choice", choices=REQUESTS),
    Field("chip", _("Passport"), "choice", choices=CHIPS),
    Field("last_passport_number", _("Last passport: number"), "passport_number", required=False,
          hint=_("Needed unless this is the first passport")),
    Field("last_passport_issued", _("Last passport: date of issue"), "date", required=False),
)
REFUND = Field("refund_account", _("Account for a fee refund (number, holder, bank)"), "text", required=False)

TK01 = (
    Step("who", _("Who you are"), NAMES + ORIGIN),
    Step("contact", _("ID number and contact"), (
        Field("id_number", _("Personal ID number (12 digits)"), "id_number"),
        Field("phone", _("Phone number"), "phone"),
        Field("email", _("E-mail"), "email", required=False),
    )),
    Step("addresses", _("Addresses and work"), (
        Field("permanent_address", _("Permanent residence"), "text", hint=_("Commune or ward, province")),
        Field("temporary_address", _("Temporary residence"), "text", required=False),
        Field("current_address", _("Where you live now"), "text"),
        OCCUPATION,
        Field("employer", _("Employer's name and address"), "text", required=False),
    )),
    Step("family", _("Family"), PARENTS + (
        Field("spouse_name", _("Spouse's full name"), "name", required=False),
        Field("spouse_dob", _("Spouse's date of birth"), "partial_date", required=False),
    )),
    Step("request", _("Your request"), REQUEST + (REFUND,)),
)

TK01A = (
    Step("representative", _("You, the child's legal representative"), (
        Field("rep_name", _("Your full name"), "name"),
        Field("rep_sex", _("Sex"), "choice", choices=SEXES),
        Field("rep_dob", _("Your date of birth"), "date", hint=_("Day/month/year")),
        Field("rep_relation", _("You are the child's"), "choice", choices=RELATIONS),
        Field("rep_id_number", _("Your personal ID number (12 digits)"), "id_number"),
        Field("rep_phone", _("Your phone number"), "phone"),
    )),
    Step("who", _("The child"), NAMES + (
        Field("id_number", _("The child's personal ID number"), "id_number", required=False),
    )),
    Step("addresses", _("The child's address"), ORIGIN + (
        Field("permanent_address", _("Permanent residence"), "text", hint=_("Commune or ward, province")),
        Field("current_address", _("Where the child lives now"), "text"),
        Field("rep_permanent_address", _("Your permanent residence"), "text"),
    )),
    Step("family", _("The child's parents"), PARENTS),
    Step("request", _("Your request"), REQUEST + (REFUND,)),
)

FORMS: dict[str, tuple[Step, ...]] = {"TK01": TK01, "TK01a": TK01A}
FORM_TITLES = {
    "TK01": _("Passport declaration (TK01), aged 14 and over"),
    "TK01a": _("Passport declaration for a child under 14 (TK01a)"),
}
# Whose ID number must agree with which birth date and sex: the person's own, and the representative's.
ID_OWNERS = {"id_number": ("date_of_birth", "sex"), "rep_id_number": ("rep_dob", "rep_sex")}


def steps(kind: str) -> tuple[Step, ...]:
    return FORMS[kind]


def step(kind: str, key: str) -> Step:
    for candidate in FORMS[kind]:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def step_after(kind: str, current: Step) -> Step | None:
    """The next step of the form, None after the last (then the review)."""
    index = FORMS[kind].index(current)
    return FORMS[kind][index + 1] if index + 1 < len(FORMS[kind]) else None


def step_before(kind: str, current: Step) -> Step | None:
    """The previous step, None on the first."""
    index = FORMS[kind].index(current)
    return FORMS[kind][index - 1] if index else None


def choice_label(item: Field, value: str) -> str | None:
    """The label of a stored choice (untranslated, a catalogue id); None for anything else the draft kept as typed,
    which a page must show escaped and never hand to the catalogue (gettext marks its result safe)."""
    return dict(item.choices).get(value)


# The fields searched in a pick list, by key, whichever form they are on (the same field on TK01 and TK01a).
PICK_FIELDS = {item.key: item for form in FORMS.values() for each in form for item in each.fields if item.picks}
