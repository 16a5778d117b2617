"""The append-only event log: every change writes its event in its own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Subquery, func, insert, literal, select
from sqlalchemy.orm import Session

from kiosk.data.lock_holding import HELD_TO_COMMIT
from kiosk.data.models import Event

CHANNEL = "kiosk_events"
# On PostgreSQL events are written one transaction at a time, so ids become visible in order and a
# stream that has seen id N can never later miss a smaller one.
EVENT_LOCK = 726_302
# The log is the audit trail too. Sign-ins and openings of declarations are the audit's alone, and an officer's
# free text (the reason for an out-of-turn call, a transfer note) may name a citizen: none of it goes to the
# kiosks, displays and tablets that hold the live stream.
AUDIT_ONLY_KINDS = ("staff.", "declaration.")
FREE_TEXT = frozenset({"reason", "note"})


def record_event(
    session: Session, office_id: int, kind: str, payload: dict[str, Any], now: datetime, actor: str | None = None
) -> None:
    """Append an event; call it last in a transaction (on PostgreSQL it takes the event lock until commit)."""
    row = {"office_id": office_id, "kind": kind, "payload": payload, "actor": actor, "created_at": now}
    if session.get_bind().dialect.name == "postgresql":
        columns = Event.__table__.c
        values = select(*(literal(value, columns[name].type) for name, value in row.items()))
        statement = insert(Event).from_select(list(row), values.select_from(_locked(office_id)))
        session.execute(statement, execution_options=HELD_TO_COMMIT)
    else:
        session.add(Event(**row))
        session.flush()
    session.info["wrote_events"] = True  # the app wakes its event hub after the commit


def _locked(office_id: int) -> Subquery:
    """The event lock and the wake-up of every process's hub, taken in the event's own INSERT: one round trip
    instead of three while the lock is held, as every writer of the province waits for it. OFFSET 0 keeps the
    planner from folding it into the INSERT, so the lock comes before the event's id is drawn."""
    return select(func.pg_advisory_xact_lock(EVENT_LOCK), func.pg_notify(CHANNEL, str(office_id))).offset(0).subquery()


def streamed_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
    """What a device's live stream may carry of an event: None for the audit's own kinds, no free text."""
    if kind.startswith(AUDIT_ONLY_KINDS):
        return None
    return {key: value for key, value in payload.items() if key not in FREE_TEXT}


def events_after(session: Session, office_id: int, after_id: int, limit: int = 500) -> list[Event]:
    """Events of one office newer than after_id, oldest first (the SSE replay)."""
    query = (
        select(Event)
        .where(Event.office_id == office_id, Event.id > after_id)
        .order_by(Event.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def all_events_after(session: Session, after_id: int, limit: int = 1000) -> list[Event]:
    """Every office's events newer than after_id, oldest first (the per-process event hub)."""
    return list(session.scalars(select(Event).where(Event.id > after_id).order_by(Event.id).limit(limit)))


def last_event_id(session: Session) -> int:
    return session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) or 0
