"""What a running office holds for its whole life, in the web app and the command line alike: config, database,
event hub, queue settings, clock. No Flask here: the web layer reaches it through `kiosk.web.common.db`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from kiosk.data.engine import make_engine, readonly_session_factory, session_factory, upgrade
from kiosk.domain.events.hub import EventHub
from kiosk.domain.queue.settings import QueueSettings


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
        hub = EventHub(readonly_sessions, beat_s=config["server"]["heartbeat_s"])

        @event.listens_for(sessions, "after_commit")
        def wake_streams(session: Session) -> None:
            if session.info.pop("wrote_events", False):
                hub.poke()

        if start_hub:
            listen = url.replace("postgresql+psycopg://", "postgresql://", 1) if url.startswith("postgresql") else None
            hub.start(listen)
        settings = QueueSettings.from_config(config["queue"])
        return cls(config, instance, engine, sessions, readonly_sessions, hub, settings)

