"""Engines, sessions and migrations for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant works; it only has to be the same in every process that migrates.
MIGRATION_LOCK = 726_301


def database_url(configured: str, instance: Path) -> str:
    """The configured URL, or a SQLite file in the instance folder."""
    if configured:
        return configured.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{instance / 'office.sqlite3'}"


def make_engine(url: str) -> Engine:
    """An engine with the settings the queue's guarantees rest on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _make_sqlite_safe(engine)
        return engine
    return create_engine(url, pool_size=10, max_overflow=40, pool_pre_ping=True, pool_timeout=30)


def _make_sqlite_safe(engine: Engine) -> None:
    """WAL so readers never block; BEGIN IMMEDIATE so writers queue up instead of failing mid-transaction."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=FULL")  # a ticket survives a power cut, not only a crash
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        readonly = connection.get_execution_options().get("readonly", False)
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


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
