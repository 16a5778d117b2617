"""Engines, sessions and migrations for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.data.lock_holding import hold_the_loop_while_locked

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant works; it only has to be the same in every process that migrates.
MIGRATION_LOCK = 726_301
# Under gevent (the production server) SQLite's own busy wait would stall the whole process, the writer it waits
# for included: the process's writers queue on a cooperative lock instead, and waits on another process are short
# C waits retried cooperatively, within the same 30 s a thread would wait.
WRITE_WAIT_S = 30.0
COOPERATIVE_BUSY_MS = 250
HOLDS_WRITE_LOCK = "kiosk_holds_write_lock"


def database_url(configured: str, instance: Path) -> str:
    """The configured URL, or a SQLite file in the instance folder."""
    if configured:
        return configured.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{instance / 'office.sqlite3'}"


def make_engine(url: str) -> Engine:
    """An engine with the settings the queue's guarantees rest on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _make_sqlite_safe(engine, cooperative=_cooperative())
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=40, pool_pre_ping=True, pool_timeout=30)
    if _cooperative():
        hold_the_loop_while_locked(engine)
    return engine


def _cooperative() -> bool:
    """Whether gevent has made this process's threads greenlets (`kiosk serve`), so a C-level wait blocks them all."""
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("threading"))


def _make_sqlite_safe(engine: Engine, cooperative: bool) -> None:
    """WAL so readers never block; BEGIN IMMEDIATE so writers queue up instead of failing mid-transaction."""
    busy_ms = COOPERATIVE_BUSY_MS if cooperative else 30000

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA synchronous=FULL")  # a ticket survives a power cut, not only a crash
        cursor.execute("PRAGMA secure_delete=ON")  # what a purge removes is overwritten, not left in free pages
        cursor.close()

    if cooperative:
        _queue_writers(engine)
        return

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        readonly = connection.get_execution_options().get("readonly", False)
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def _queue_writers(engine: Engine) -> None:
    """One write transaction at a time in this process: the lock (a greenlet's, once patched) is taken before
    BEGIN IMMEDIATE and given back at COMMIT or ROLLBACK, so a writer never waits inside SQLite for a writer of its
    own process; another process's writer is waited for in short C waits with cooperative sleeps between."""
    lock = threading.Lock()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        raw = connection.connection.driver_connection
        if connection.get_execution_options().get("readonly", False):
            raw.execute("BEGIN")
            return
        deadline = time.monotonic() + WRITE_WAIT_S
        if not connection.info.get(HOLDS_WRITE_LOCK):
            if not lock.acquire(timeout=WRITE_WAIT_S):
                raise exc.OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
            connection.info[HOLDS_WRITE_LOCK] = True
        try:
            _begin_immediate(raw, deadline)
        except BaseException:
            release(connection.info)
            raise

    def release(info: dict[str, Any]) -> None:
        if info.pop(HOLDS_WRITE_LOCK, False):
            lock.release()

    @event.listens_for(engine, "commit")
    def on_commit(connection: Any) -> None:
        """COMMIT (and its fsync) in a native thread while the other greenlets run; SQLAlchemy's own commit that
        follows finds no transaction left. The lock goes once the write is on disk; on failure, at ROLLBACK."""
        if not connection.info.get(HOLDS_WRITE_LOCK):
            return  # a read: its commit ends it at once
        try:
            _off_the_loop(connection.connection.driver_connection.execute, "COMMIT")
        except sqlite3.Error as error:
            raise exc.OperationalError("COMMIT", None, error) from error
        release(connection.info)

    # ROLLBACK is sent right after the event, in the same greenlet, before any other greenlet can run.
    event.listen(engine, "rollback", lambda connection: release(connection.info))
    event.listen(engine, "checkin", lambda _dbapi, record: release(record.info))  # a connection given up mid-way


def _off_the_loop(function: Any, *args: Any) -> Any:
    from gevent import get_hub  # type: ignore[import-untyped]  # only called once gevent has patched the process

    return get_hub().threadpool.apply(function, args)


def _begin_immediate(raw: sqlite3.Connection, deadline: float) -> None:
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise exc.OperationalError("BEGIN IMMEDIATE", None, error) from error
            time.sleep(0.05)  # another process writes (a command, a backup): let this process's greenlets run


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def readonly_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that only read (event streams): on SQLite they take no write lock."""
    return sessionmaker(engine.execution_options(readonly=True), expire_on_commit=False)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration; safe when several processes start at once."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
