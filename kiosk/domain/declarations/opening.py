"""An officer opening a citizen's declaration: every opening is in the audit log (who, when, at which counter)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Ticket
from kiosk.domain.events.log import record_event


def open_declaration(
    session: Session, ticket: Ticket, now: datetime, actor: str, counter: int | None
) -> Declaration | None:
    """The ticket's declaration, its opening written to the audit log (who, when, where); None when it has none."""
    if ticket.declaration_id is None:
        return None
    declaration = session.get(Declaration, ticket.declaration_id)
    if declaration is None:
        return None  # purged after the retention period
    payload = {"declaration_id": declaration.id, "ticket_id": ticket.id, "number": ticket.number, "counter": counter}
    record_event(session, ticket.office_id, "declaration.opened", payload, now, actor)
    return declaration
