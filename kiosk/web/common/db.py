"""The running office and the request's database sessions, as views see them."""

from __future__ import annotations

from flask import abort, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Office
from kiosk.runtime import Runtime


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


def configured_office(session: Session) -> Office:
    """The office of the configuration, for the pages no device token places in an office (sign-in, /declare);
    503 until it was loaded (`kiosk demo`, or the office's own set-up)."""
    office = session.scalar(select(Office).where(Office.code == runtime().config["office"]["code"]))
    if office is None:
        abort(503)
    return office


def close_db(_exc: BaseException | None = None) -> None:
    for name in ("db", "read_db"):
        session = g.pop(name, None)
        if session is not None:
            session.close()
