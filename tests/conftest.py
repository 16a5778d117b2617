"""Fixtures: a database per test (SQLite, or PostgreSQL with --db=postgresql), the demo office, a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from kiosk import create_app
from kiosk.cli import cli
from kiosk.config import load_config
from kiosk.data.engine import database_url, make_engine, session_factory, upgrade
from kiosk.data.models import Office
from kiosk.domain.office.setup import sync_office
from kiosk.domain.queue.settings import QueueSettings
from tests.support.postgres import Cluster, postgres_bin
from tests.support.server import ServerProcess

ARTIFACTS = Path(__file__).parent / "artifacts"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", choices=("sqlite", "postgresql"), default="sqlite", help="engine the suite runs on")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The screens in Chromium (tests/**/test_*_browser.py) run once, on SQLite: a page is the same whatever the
    engine, and what it asks of the database runs on PostgreSQL in the view, server and domain tests. This keeps
    `make test` (both engines) within CI's time."""
    if config.getoption("--db") != "postgresql":
        return
    once = pytest.mark.skip(reason="a screen in Chromium: run on SQLite; its queries are tested on PostgreSQL "
                                   "by the view and server tests")
    for item in items:
        if item.path.name.endswith("_browser.py"):
            item.add_marker(once)


@pytest.fixture(scope="session")
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def pg_cluster(engine_name: str) -> Iterator[Cluster | None]:
    if engine_name != "postgresql":
        yield None
        return
    if not postgres_bin("initdb"):
        pytest.skip("PostgreSQL binaries missing: apt-get install postgresql (CI installs it)")
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    folder = tmp_path / "instance"
    folder.mkdir()
    return folder


@pytest.fixture
def db_url(pg_cluster: Cluster | None, instance: Path) -> str:
    """The database for this test: a fresh PostgreSQL database, or a SQLite file in the instance folder."""
    return pg_cluster.new_database() if pg_cluster else ""


@pytest.fixture
def office_env(instance: Path, db_url: str) -> dict[str, str]:
    """Environment of a server or app for this test's office."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(KIOSK_INSTANCE=str(instance), KIOSK_SECRET_KEY="test-secret", PYTHONUNBUFFERED="1")
    if db_url:
        env["KIOSK_DATABASE_URL"] = db_url
    return env


@pytest.fixture
def config(office_env: dict[str, str]) -> dict[str, Any]:
    return load_config(environ=office_env)


@pytest.fixture
def session(config: dict[str, Any], instance: Path) -> Iterator[Session]:
    """A session on a migrated database holding the example office; the test owns its transactions."""
    engine = make_engine(database_url(config["database"]["url"], instance))
    upgrade(engine)
    factory = session_factory(engine)
    with factory.begin() as setup:
        sync_office(setup, config)
    with factory() as session:
        yield session
    engine.dispose()


@pytest.fixture
def office(session: Session) -> Office:
    from sqlalchemy import select

    return session.scalars(select(Office)).one()


@pytest.fixture
def settings(config: dict[str, Any]) -> QueueSettings:
    return QueueSettings.from_config(config["queue"])


@pytest.fixture
def morning() -> datetime:
    """09:00 in Hanoi on a Monday."""
    return datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def app(office_env: dict[str, str], morning: datetime) -> Iterator[Flask]:
    """The app on a fixed clock, without the event hub's thread."""
    app = create_app({"environ": office_env, "clock": lambda: morning, "start_hub": False})
    yield app
    app.extensions["kiosk"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def start_server(office_env: dict[str, str], instance: Path) -> Iterator[Callable[..., ServerProcess]]:
    """Start `kiosk serve` (after `kiosk demo` once) for this test's office; stopped after the test."""
    servers: list[ServerProcess] = []

    def start(env: dict[str, str] | None = None, port: int | None = None,
              command: list[str] | None = None) -> ServerProcess:
        env = env or office_env
        if not (instance / "demo_tokens.json").exists():  # `kiosk demo`, in this process: a second faster
            loaded = CliRunner(env=env).invoke(cli, ["demo"])
            assert loaded.exit_code == 0, loaded.output
        servers.append(ServerProcess(env, port=port, command=command).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
