"""Passport declarations: a server-side draft filled step by step, submission with a short code, retention purge.

Plain Python over a Session; the caller owns the transaction. A draft is found only by its opaque key (kept in
the kiosk's session), so nothing personal travels in an address or a form's hidden fields.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office, Ticket
from kiosk.domain.declarations import checks, id_card, pick_lists
from kiosk.domain.declarations.checks import FieldProblem
from kiosk.domain.declarations.codes import DECLARATION_DIGITS, new_code
from kiosk.domain.declarations.form import ID_OWNERS, Field, Step, steps
from kiosk.domain.languages import _
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.tickets import issue_ticket

# The longest answer of the paper form (an address with its ward and province) fits with room to spare.
LONGEST_ANSWER = 200
CHECKS: dict[str, Callable[[str, date], str]] = {
    "name": lambda value, _today: checks.check_name(value),
    "text": lambda value, _today: checks.clean_text(value),
    "date": checks.check_date,
    "partial_date": checks.check_partial_date,
    "phone": lambda value, _today: checks.check_phone(value),
    "email": lambda value, _today: checks.check_email(value),
    "passport_number": lambda value, _today: checks.check_passport_number(value),
    "id_number": lambda value, _today: checks.IdNumber.parse(value).digits,
}


class DeclarationIncompleteError(Exception):
    """Submitted with a step that does not pass its checks; the message is the step's key."""


@dataclass
class StepResult:
    """The step's values as they will be kept (cleaned when valid, as typed when not) and what is wrong."""

    values: dict[str, str]
    problems: dict[str, FieldProblem] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(not problem.warning for problem in self.problems.values())


def check_step(kind: str, step: Step, raw: dict[str, str], known: dict[str, str], today: date) -> StepResult:
    """Check one step's fields on their own, then against what the citizen declared on earlier steps."""
    result = StepResult({})
    for item in step.fields:
        value = checks.clean_text(raw.get(item.key, ""))
        result.values[item.key] = value
        try:
            result.values[item.key] = _check_field(item, value, today)
        except FieldProblem as problem:
            result.problems[item.key] = problem
            if problem.warning:
                result.values[item.key] = _cleaned_anyway(item, value)
    _check_across(kind, {**known, **result.values}, result, today)
    return result


def _check_field(item: Field, value: str, today: date) -> str:
    if len(value) > LONGEST_ANSWER:
        raise FieldProblem(_("At most %(count)s characters, please."), {"count": LONGEST_ANSWER})
    if not value:
        if item.required:
            raise FieldProblem(_("Please choose one.") if item.kind == "choice" else _("Please fill this in."))
        return ""
    if item.kind == "choice":
        if value not in dict(item.choices):
            raise FieldProblem(_("Please choose one."))
        return value
    if item.kind == "pick":
        return pick_lists.pick(pick_lists.PICK_LISTS[item.picks], value)
    return CHECKS[item.kind](value, today)


def _cleaned_anyway(item: Field, value: str) -> str:
    return value.replace(" ", "").upper() if item.kind == "passport_number" else value


def _check_across(kind: str, values: dict[str, str], result: StepResult, today: date) -> None:
    """Rules that join fields: ID number vs birth and sex, form vs age, last passport unless a first one."""
    for id_key, (birth_key, sex_key) in ID_OWNERS.items():
        if id_key in result.values and result.values[id_key] and id_key not in result.problems:
            _check_id(id_key, values, birth_key, sex_key, result, today)
    birth = result.values.get("date_of_birth")
    if birth and "date_of_birth" not in result.problems:
        wanted = checks.form_kind_for(checks.parse_date(birth, today), today)
        if wanted != kind:
            message = _("Under 14: please choose the declaration for a child (TK01a).") if wanted == "TK01a" \
                else _("Aged 14 or over: please choose your own declaration (TK01).")
            result.problems["date_of_birth"] = FieldProblem(message)
    if result.values.get("request") not in (None, "", "first") and not values.get("last_passport_number"):
        result.problems.setdefault("last_passport_number", FieldProblem(_("Please fill this in.")))


def _check_id(id_key: str, values: dict[str, str], birth_key: str, sex_key: str, result: StepResult,
              today: date) -> None:
    birth = _date_or_none(values.get(birth_key, ""), today)
    try:
        checks.check_id_number(values[id_key], birth, values.get(sex_key))
    except FieldProblem as problem:
        result.problems[id_key] = problem
        return
    warning = checks.id_number_warning(values[id_key])
    if warning is not None:
        result.problems[id_key] = warning


def _date_or_none(value: str, today: date) -> date | None:
    try:
        return checks.parse_date(value, today) if value else None
    except FieldProblem:
        return None


def start_draft(session: Session, office: Office, kind: str, language: str, now: datetime,
                source: str = "kiosk") -> Declaration:
    """A new draft with the form's defaults; its key is the only way back to it."""
    defaults = {item.key: item.default for item in _fields(kind) if item.default}
    draft = Declaration(
        office_id=office.id, kind=kind, status="draft", fields=defaults, warnings={},
        draft_key=secrets.token_urlsafe(32), language=language, source=source, created_at=now, updated_at=now,
    )
    session.add(draft)
    session.flush()
    return draft


def find_draft(session: Session, key: str | None) -> Declaration | None:
    if not key:
        return None
    return session.scalar(select(Declaration).where(Declaration.draft_key == key, Declaration.status == "draft"))


def save_step(draft: Declaration, step: Step, raw: dict[str, str], today: date, now: datetime) -> StepResult:
    """Keep everything typed, valid or not, so the citizen never types it again; return what is wrong."""
    result = check_step(draft.kind, step, raw, draft.fields, today)
    draft.fields = {**draft.fields, **result.values}  # a new dict, so the JSON column is seen as changed
    warnings = {k: v for k, v in draft.warnings.items() if k not in result.values}
    warnings |= {k: {"message": p.message, "params": p.params} for k, p in result.problems.items() if p.warning}
    draft.warnings = warnings
    draft.updated_at = now
    return result


def first_incomplete(draft: Declaration, today: date) -> tuple[Step, StepResult] | None:
    """The first step whose stored values no longer pass (e.g. the birth date was edited after the ID number)."""
    for candidate in steps(draft.kind):
        result = check_step(draft.kind, candidate, draft.fields, draft.fields, today)
        if not result.ok:
            return candidate, result
    return None


class DeclarationRefusedError(Exception):
    """A whole declaration sent at once (the API) with mistakes: field key → what is wrong, nothing kept."""

    def __init__(self, problems: dict[str, FieldProblem]) -> None:
        super().__init__(sorted(problems))
        self.problems = problems


def declare(session: Session, office: Office, kind: str, language: str, fields: dict[str, str], today: date,
            now: datetime, source: str) -> Declaration:
    """A declaration sent whole (the national portal's bridge): every step checked as the kiosk checks it, then
    submitted with its code. Raises DeclarationRefusedError with every mistake; the caller's transaction then
    keeps nothing."""
    known = {item.key for item in _fields(kind)}
    problems = {key: FieldProblem(_("No such field in this form.")) for key in sorted(set(fields) - known)}
    draft = start_draft(session, office, kind, language, now, source=source)
    for each in steps(kind):
        raw = {item.key: fields.get(item.key, draft.fields.get(item.key, "")) for item in each.fields}
        result = save_step(draft, each, raw, today, now)
        problems |= {key: problem for key, problem in result.problems.items() if not problem.warning}
    if problems:
        raise DeclarationRefusedError(problems)
    return submit(session, draft, today, now)


@dataclass(frozen=True)
class CardScan:
    """A chip ID card read into a step: its fields filled (problem None), or refused with nothing changed."""

    problem: FieldProblem | None = None


def scanned_card(draft: Declaration, step: Step, raw: dict[str, str], today: date, now: datetime,
                 photographed: str | None = None) -> CardScan | None:
    """A chip ID card read into the step: the line read from a photo of it (a phone), else a field holding a
    card's line (a scanner types it wherever the focus is); None when there is neither. What was typed beside it
    is kept as the step's Next would keep it; the card's fields are filled, or refused with nothing changed."""
    line = photographed if photographed is not None else next(
        (value for value in raw.values() if id_card.looks_like_card(value)), None)
    if line is None:
        return None
    save_step(draft, step, {key: draft.fields.get(key, "") if value == line else value for key, value in raw.items()},
              today, now)
    return fill_from_card(draft, line, today, now)


def fill_from_card(draft: Declaration, line: str, today: date, now: datetime) -> CardScan:
    """The card's fields into the draft, or a refusal with nothing changed; what was typed in the fields the card
    does not cover stays."""
    try:
        values = id_card.card_values(id_card.read_card(line, today), draft.kind)
    except id_card.IdCardError as refused:
        return CardScan(FieldProblem(refused.message, refused.params))
    draft.fields = {**draft.fields, **values}
    draft.updated_at = now
    return CardScan()


def submit(session: Session, draft: Declaration, today: date, now: datetime) -> Declaration:
    """Store the finished declaration with a short code for check-in; the draft key stops working."""
    incomplete = first_incomplete(draft, today)
    if incomplete is not None:
        raise DeclarationIncompleteError(incomplete[0].key)
    draft.status, draft.draft_key, draft.submitted_at, draft.updated_at = "submitted", None, now, now
    draft.code = new_code(session, Declaration, draft.office_id, DECLARATION_DIGITS)
    session.flush()
    return draft


def discard(session: Session, key: str | None) -> None:
    """Wipe an unfinished draft (idle timeout, or the citizen gave up)."""
    if key:
        session.execute(delete(Declaration).where(Declaration.draft_key == key, Declaration.status == "draft"))


def valid_until(office: Office, declaration: Declaration, config: dict[str, Any]) -> date:
    """The last day a declaration's code checks in: declarations.code_valid_days after the day it was made."""
    return service_day(office, declaration.created_at) + timedelta(days=config["code_valid_days"])


def find_submitted(session: Session, office: Office, code: str) -> Declaration | None:
    query = select(Declaration).where(Declaration.office_id == office.id, Declaration.code == code)
    return session.scalar(query.where(Declaration.status.in_(("submitted", "checked_in"))).with_for_update())


def service_for(declaration: Declaration, config: dict[str, Any]) -> str:
    """The service the declaration's ticket queues for (configurable: service codes differ between offices)."""
    if declaration.kind == "TK01a":
        return str(config["service_child"])
    first = declaration.fields.get("request") == "first"
    return str(config["service_first" if first else "service_reissue"])


def issue_for(session: Session, office: Office, declaration: Declaration, now: datetime, settings: QueueSettings,
              config: dict[str, Any], **ticket: Any) -> Ticket:
    """The ticket that brings the declaration to the counter, linked to it; the declaration is checked in."""
    issued = issue_ticket(session, office, service_for(declaration, config), now, settings, **ticket)
    issued.declaration_id = declaration.id
    declaration.status, declaration.checked_in_at = "checked_in", now
    session.flush()
    return issued


def purge(session: Session, now: datetime, retention_days: int, draft_max_age_min: int,
          phone_draft_hours: int = 12) -> int:
    """Forget what citizens typed once its time is up: a declaration past the retention period keeps only what
    says it existed (its kind, code and dates, so the officer reads "deleted after the retention period", not
    "no declaration"); a draft nobody finished is deleted with its link (a kiosk's after draft_max_age_min, a
    phone's, which its owner may come back to later in the day, after phone_draft_hours)."""
    expired = list(session.scalars(select(Declaration).where(
        Declaration.status.in_(("submitted", "checked_in")),
        Declaration.created_at < now - timedelta(days=retention_days),
    )))
    for declaration in expired:
        declaration.fields, declaration.warnings, declaration.status = {}, {}, "purged"
    on_phone = Declaration.source == "phone"
    idle = (on_phone & (Declaration.updated_at < now - timedelta(hours=phone_draft_hours))) | (
        ~on_phone & (Declaration.updated_at < now - timedelta(minutes=draft_max_age_min)))
    abandoned = list(session.scalars(select(Declaration.id).where(
        (Declaration.status == "draft") & (idle | (Declaration.created_at < now - timedelta(days=retention_days)))
    )))
    if abandoned:
        session.execute(update(Ticket).where(Ticket.declaration_id.in_(abandoned)).values(declaration_id=None))
        session.execute(delete(Declaration).where(Declaration.id.in_(abandoned)))
    session.flush()
    return len(expired) + len(abandoned)


def _fields(kind: str) -> list[Field]:
    return [item for candidate in steps(kind) for item in candidate.fields]
