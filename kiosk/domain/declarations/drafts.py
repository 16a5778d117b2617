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
from kiosk.domain.declarations import checks
from kiosk.domain.declarations.checks import FieldProblem
from kiosk.domain.declarations.codes import DECLARATION_DIGITS, new_code
from kiosk.domain.declarations.form import ID_OWNERS, Field, Step, steps
from kiosk.domain.languages import _
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.tickets import issue_ticket

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
    if not value:
        if item.required:
            raise FieldProblem(_("Please choose one.") if item.kind == "choice" else _("Please fill this in."))
        return ""
    if item.kind == "choice":
        if value not in dict(item.choices):
            raise FieldProblem(_("Please choose one."))
        return value
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


def purge(session: Session, now: datetime, retention_days: int, draft_max_age_min: int) -> int:
    """Delete declarations past the retention period and abandoned drafts; tickets keep no link to them."""
    old = (Declaration.created_at < now - timedelta(days=retention_days)) | (
        (Declaration.status == "draft") & (Declaration.updated_at < now - timedelta(minutes=draft_max_age_min))
    )
    ids = list(session.scalars(select(Declaration.id).where(old)))
    if ids:
        session.execute(update(Ticket).where(Ticket.declaration_id.in_(ids)).values(declaration_id=None))
        session.execute(delete(Declaration).where(Declaration.id.in_(ids)))
    return len(ids)


def _fields(kind: str) -> list[Field]:
    return [item for candidate in steps(kind) for item in candidate.fields]
