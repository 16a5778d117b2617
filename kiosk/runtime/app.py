"""What a running app holds for its whole life: config, database, event hub, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app, g
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from kiosk.data.engine import make_engine, readonly_session_factory, session_factory, upgrade
from kiosk.domain.events.hub import EventHub
from kiosk.domain.queue.tickets import QueueSettings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    config: dict[str, Any]
    instance: Path
    engine: Engine
    sessions: sessionmaker[Session]
    readonly_sessions: sessionmaker[Session]
    hub: EventHub
    settings: QueueSettings
    clock: Callable[[], datetime] = utc_now

    @classmethod
    def open(cls, config: dict[str, Any], instance: Path, url: str, *, start_hub: bool = True) -> Runtime:
        """Migrate the database, then start listening for events."""
        engine = make_engine(url)
        upgrade(engine)
        sessions = session_factory(engine)
        readonly_sessions = readonly_session_factory(engine)
        hub = EventHub(readonly_sessions)

        @event.listens_for(sessions, "after_commit")
        def wake_streams(session: Session) -> None:
            if session.info.pop("wrote_events", False):
                hub.poke()

        if start_hub:
            listen = url.replace("postgresql+psycopg://", "postgresql://", 1) if url.startswith("postgresql") else None
            hub.start(listen)
        settings = QueueSettings.from_config(config["queue"])
        return cls(config, instance, engine, sessions, readonly_sessions, hub, settings)


def runtime() -> Runtime:
    return current_app.extensions["kiosk"]


def db() -> Session:
    """The request's session; the view owns its transaction (`with db().begin():`)."""
    if "db" not in g:
        g.db = runtime().sessions()
    return g.db


def read_db() -> Session:
    """A session for a request that only reads: on SQLite it does not queue behind writers."""
    if "read_db" not in g:
        g.read_db = runtime().readonly_sessions()
    return g.read_db


def close_db(_exc: BaseException | None = None) -> None:
    for name in ("db", "read_db"):
        session = g.pop(name, None)
        if session is not None:
            session.close()
