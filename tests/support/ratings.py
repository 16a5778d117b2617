"""Tickets served to the end at a counter of the app under test, as an officer's console or the API would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from kiosk.domain.office.setup import sync_office
from kiosk.domain.queue import calls, tickets
from kiosk.runtime import Runtime


@dataclass(frozen=True)
class Served:
    id: int
    number: str
    token: str


def serve(app: Flask, counter: int = 1, by: str = "staff:officer1", language: str = "vi",
          minutes: float = 5) -> Served:
    """Issue a ticket, call it to `counter` and finish it there (`minutes` before the app's clock), as `by`."""
    rt: Runtime = app.extensions["kiosk"]
    now = rt.clock()
    with rt.sessions.begin() as session:
        office = sync_office(session, rt.config)
        ticket = tickets.issue_ticket(session, office, "passport-first", now - timedelta(minutes=minutes + 5),
                                      rt.settings, language=language)
        desk = calls.get_counter(session, office, counter, lock=True)
        calls.call_number(session, desk, ticket.number, now - timedelta(minutes=minutes + 1), actor=by)
        calls.complete(session, desk, now - timedelta(minutes=minutes), actor=by)
        return Served(ticket.id, ticket.number, ticket.token)
