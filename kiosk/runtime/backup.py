"""Backups of the office's database, taken while it serves and restored whole: SQLite's online backup API, or
pg_dump and pg_restore on PostgreSQL. A restore checks the file first and leaves the database as it was unless
the file is a backup of this product that this code can migrate."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, Engine, create_engine, func, make_url, select, text
from sqlalchemy.exc import DatabaseError

from kiosk.data.engine import MIGRATIONS, make_engine, readonly_session_factory, session_factory, upgrade
from kiosk.data.models import Event, Office, Ticket
from kiosk.domain.events.log import EVENT_LOCK, last_event_id
from kiosk.runtime import utc_now

RESTORED = "database.restored"
# What makes a file a backup of this product, whatever its schema version.
CORE_TABLES = frozenset({"alembic_version", "office", "ticket", "event"})
# Debian keeps each PostgreSQL version's client tools here; pg_dump must be at least as new as the server.
POSTGRES_BIN_DIRS = Path("/usr/lib/postgresql")
# Drop what the backup holds and create it again, in one transaction: on any error nothing has changed, and a
# running server sees the old queue until the commit.
PG_RESTORE = ("--clean", "--if-exists", "--no-owner", "--single-transaction")


class BackupError(Exception):
    """Not a backup this code can restore, or a copy that failed: the message says which, for the operator."""


@dataclass(frozen=True)
class Contents:
    tickets: int
    events: int
    schema: str  # the migration the database is at


def backup(url: str, target: Path) -> Contents:
    """Copy the office's database to `target` while it serves; written beside it first, so a backup is whole or
    absent."""
    if not target.parent.is_dir():
        raise BackupError(f"There is no folder {target.parent}.")
    if url.startswith("postgresql"):
        pg_dump = postgres_tool("pg_dump", f"pg_dump --format=custom --file={shlex.quote(str(target))} "
                                           f"{shlex.quote(libpq_url(url))}")
        engine = make_engine(url)
        try:
            with written_beside(target) as unfinished:
                return _dump_postgres(engine, url, pg_dump, unfinished)
        finally:
            engine.dispose()
    live = sqlite_file(url)
    if target.resolve() == live.resolve():
        raise BackupError(f"{target} is the office's database itself; choose another file.")
    with written_beside(target) as unfinished:
        return _copy_sqlite(live, unfinished)


def restore(url: str, source: Path) -> Contents:
    """Replace the office's database with the backup in one transaction (whoever reads it meanwhile sees the old
    queue or the restored one), bring it to this code's schema, and note the restore in the log."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    if url.startswith("postgresql"):
        pg_restore = postgres_tool("pg_restore", f"pg_restore {' '.join(PG_RESTORE)} "
                                                 f"--dbname={shlex.quote(libpq_url(url))} {shlex.quote(str(source))}"
                                                 " && kiosk db upgrade")
        check_schema(source, _postgres_schema(pg_restore, source))
        replace = partial(_run_postgres_tool, [pg_restore, *PG_RESTORE, str(source)], url)
    else:
        live = sqlite_file(url)
        if source.resolve() == live.resolve():
            raise BackupError(f"{source} is the office's database itself.")
        check_schema(source, _sqlite_schema(source))
        replace = partial(_restore_sqlite, source, live)
    engine = make_engine(url)
    try:
        floor = _last_event_or_none(engine)
        replace()
        upgrade(engine)
        _mark_restored(engine, floor, source.name)
        with engine.connect() as connection:
            return contents(connection)
    finally:
        engine.dispose()


def contents(connection: Connection) -> Contents:
    tickets = connection.scalar(select(func.count()).select_from(Ticket)) or 0
    events = connection.scalar(select(func.count()).select_from(Event)) or 0
    return Contents(tickets, events, str(connection.scalar(text("SELECT version_num FROM alembic_version"))))


def check_schema(source: Path, schema: str | None) -> None:
    """The backup's migration is one this code knows, so `upgrade` can carry it to the newest."""
    scripts = ScriptDirectory(str(MIGRATIONS))
    if schema not in {script.revision for script in scripts.walk_revisions()}:
        raise BackupError(f"{source} is at schema {schema or '(none)'}, which this version does not know (it goes up "
                          f"to {scripts.get_current_head()}); was it made by a newer version?")


def sqlite_file(url: str) -> Path:
    return Path(make_url(url).database or "")


@contextmanager
def written_beside(target: Path) -> Iterator[Path]:
    """A new file (only its owner may read it: it holds declarations) beside `target`, renamed over it once whole."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(handle)
    unfinished = Path(name)
    try:
        yield unfinished
        os.replace(unfinished, target)
    finally:
        unfinished.unlink(missing_ok=True)


def _copy_sqlite(live: Path, unfinished: Path) -> Contents:
    try:
        with closing(_open_sqlite(live, "rw")) as database, closing(sqlite3.connect(unfinished)) as copy:
            database.backup(copy)  # all pages in one step: one consistent moment, while the server writes (WAL)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    except sqlite3.Error as exc:
        raise BackupError(f"The office's database {live} could not be copied: {exc}.") from exc
    engine = create_engine(f"sqlite:///{unfinished}")
    try:
        with engine.connect() as connection:
            return contents(connection)
    finally:
        engine.dispose()


def _sqlite_schema(source: Path) -> str | None:
    """The migration an SQLite backup is at, once it is known to be a whole database of this product."""
    try:
        with closing(_open_sqlite(source, "ro")) as backup_file:
            if backup_file.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{source} is damaged (PRAGMA quick_check fails); choose another backup.")
            tables = {name for (name,) in backup_file.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not CORE_TABLES <= tables:
                raise BackupError(f"{source} is an SQLite database, but not a backup of this product "
                                  f"(it lacks {', '.join(sorted(CORE_TABLES - tables))}).")
            row = backup_file.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not an SQLite database ({exc}).") from exc
    return row[0] if row else None


def _restore_sqlite(source: Path, live: Path) -> None:
    try:
        with closing(_open_sqlite(source, "ro")) as backup_file, closing(sqlite3.connect(live, timeout=30)) as database:
            backup_file.backup(database)  # one write transaction on the live file, its WAL mode kept
    except sqlite3.Error as exc:
        raise BackupError(f"The restore failed ({exc}); the office's database is as it was.") from exc


def _open_sqlite(path: Path, mode: str) -> sqlite3.Connection:
    """An existing file only: a mistyped path must not become a new, empty database."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=30)


def _last_event_or_none(engine: Engine) -> int:
    """The newest event id screens may have seen; 0 when the live database is missing or unreadable."""
    try:
        with readonly_session_factory(engine)() as session:
            return last_event_id(session)
    except DatabaseError:
        return 0


def _mark_restored(engine: Engine, floor: int, backup_name: str) -> None:
    """A `database.restored` event per office, numbered after every event seen before the restore: a display
    announces only calls numbered above the last it announced, and an API client resumes from its last number."""
    with session_factory(engine).begin() as session:
        postgres = engine.dialect.name == "postgresql"
        if postgres:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": EVENT_LOCK})
        first = next_id = max(floor, last_event_id(session)) + 1
        for office_id in session.scalars(select(Office.id).order_by(Office.id)).all():
            session.add(Event(id=next_id, office_id=office_id, kind=RESTORED, payload={"backup": backup_name},
                              actor="cli", created_at=utc_now()))
            next_id += 1
        session.flush()
        if postgres and next_id > first:
            session.execute(text("SELECT setval(pg_get_serial_sequence('event', 'id'), :last)"), {"last": next_id - 1})


def postgres_tool(name: str, instead: str) -> str:
    """The newest installed PostgreSQL client tool of that name; when there is none, say what to run instead."""
    versions = sorted(POSTGRES_BIN_DIRS.glob("*/bin"), key=lambda folder: _version(folder.parent.name), reverse=True)
    for folder in versions:
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found (Debian package postgresql-client). Run it yourself:\n    {instead}")
    return found


def libpq_url(url: str) -> str:
    """The configured URL as pg_dump takes it, without its password (that goes in the environment)."""
    parsed = make_url(url)
    bare = URL.create("postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
    return bare.render_as_string(hide_password=False)


def _run_postgres_tool(argv: list[str], url: str) -> None:
    """Run pg_dump or pg_restore on the office's database; the password travels in PGPASSWORD, not on a command
    line every user of the machine can read."""
    password = make_url(url).password
    env = dict(os.environ, **({"PGPASSWORD": str(password)} if password else {}))
    done = subprocess.run([*argv, f"--dbname={libpq_url(url)}"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _dump_postgres(engine: Engine, url: str, pg_dump: str, unfinished: Path) -> Contents:
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():  # the counts and the dump see the same moment (pg_dump takes this snapshot)
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            found = contents(connection)
            _run_postgres_tool([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={unfinished}"], url)
    return found


def _postgres_schema(pg_restore: str, source: Path) -> str | None:
    """The migration a pg_dump archive is at, once it is known to hold this product's tables."""
    listed = subprocess.run([pg_restore, "--list", str(source)], capture_output=True, text=True)
    if listed.returncode != 0:
        raise BackupError(f"{source} is not a PostgreSQL backup made by pg_dump --format=custom "
                          f"({listed.stderr.strip()[-300:]}).")
    tables = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listed.stdout, re.M))
    if not CORE_TABLES <= tables:
        raise BackupError(f"{source} is a PostgreSQL backup, but not of this product "
                          f"(it lacks {', '.join(sorted(CORE_TABLES - tables))}).")
    rows = subprocess.run([pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(source)],
                          capture_output=True, text=True).stdout
    found = re.search(r"^COPY \S*alembic_version .*FROM stdin;\n([^\n\\]+)$", rows, re.M)
    return found.group(1) if found else None


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())
