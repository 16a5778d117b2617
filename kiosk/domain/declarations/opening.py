"""An officer opening a citizen's declaration: every opening is in the audit log (who, when, at which counter)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office, Ticket
from kiosk.domain.events.log import record_event


def open_declaration(
    session: Session, ticket: Ticket, now: datetime, actor: str, counter: int | None
) -> Declaration | None:
    """The ticket's declaration, its opening written to the audit log (who, when, where); None when it has none.
    One emptied after the retention period is shown as such, and its opening is not logged: it holds nothing."""
    if ticket.declaration_id is None:
        return None
    declaration = session.get_one(Declaration, ticket.declaration_id)
    if declaration.status == "purged":
        return declaration
    payload = {"declaration_id": declaration.id, "ticket_id": ticket.id, "number": ticket.number, "counter": counter}
    record_event(session, ticket.office_id, "declaration.opened", payload, now, actor)
    return declaration


def open_by_code(session: Session, office: Office, code: str, now: datetime, actor: str,
                 counter: int | None) -> Declaration | None:
    """A declaration looked up by its code (a staff integration), logged as an opening like any other."""
    declaration = session.scalar(select(Declaration).where(
        Declaration.office_id == office.id, Declaration.code == code,
        Declaration.status.in_(("submitted", "checked_in", "purged"))))
    if declaration is None:
        return None
    payload = {"declaration_id": declaration.id, "ticket_id": None, "number": None, "counter": counter}
    record_event(session, office.id, "declaration.opened", payload, now, actor)
    return declaration
