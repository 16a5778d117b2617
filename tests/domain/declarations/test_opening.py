"""Opening a checked-in declaration at a counter: the audit log says who looked, not what they saw."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.data.models import Event
from kiosk.domain.declarations import opening
from tests.support.domain import issue
from tests.support.kiosk_factories import declared_ticket


def test_opening_a_declaration_is_in_the_audit_log(session, office, config, settings, morning) -> None:
    ticket = declared_ticket(session, office, config, settings, morning)
    declaration = opening.open_declaration(session, ticket, morning, "staff:officer1", 3)
    assert declaration is not None and declaration.fields["surname"] == "NGUYỄN"
    session.commit()
    event = session.scalars(select(Event).where(Event.kind == "declaration.opened")).one()
    assert (event.actor, event.payload["number"], event.payload["counter"]) == ("staff:officer1", ticket.number, 3)
    assert "NGUYỄN" not in str(event.payload)  # the log says who looked, not what they saw
    assert opening.open_declaration(session, issue(session, office, settings, morning), morning, "x", 1) is None
