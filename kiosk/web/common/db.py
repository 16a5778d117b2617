"""The running office and the request's database sessions, as views see them."""

from __future__ import annotations

from flask import abort, current_app, g, request, session
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


def keep_chosen_office() -> None:
    """A before_request hook of the pages no device token places in an office (sign-in, /declare, /book): the
    office named in the address (`?office=CODE`) is kept for the browser's next pages; 404 for a code the
    configuration does not hold."""
    named = request.args.get("office")
    if named is not None:
        if named not in _codes():
            abort(404)
        session["office"] = named


def configured_office(look: Session) -> Office:
    """The office chosen on this browser (`keep_chosen_office`), else the configuration's first (its only one but
    in a province); 503 until it was loaded (`kiosk demo`, or the office's own set-up)."""
    codes, chosen = _codes(), session.get("office")
    office = look.scalar(select(Office).where(Office.code == (chosen if chosen in codes else codes[0])))
    if office is None:
        abort(503)
    return office


def _codes() -> list[str]:
    return [each["office"]["code"] for each in runtime().config["offices"]]


def close_db(_exc: BaseException | None = None) -> None:
    for name in ("db", "read_db"):
        session = g.pop(name, None)
        if session is not None:
            session.close()
