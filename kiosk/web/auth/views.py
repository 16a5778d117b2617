"""Staff sign-in: `/login` and `/logout`. Who is signed in, and what each role may open, is in
`kiosk.web.common.sign_in`."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale, gettext
from flask_login import current_user, login_user, logout_user
from htmx_flask import request
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from kiosk.data.models import Office, StaffUser
from kiosk.domain.office import accounts
from kiosk.web.common.db import configured_office, db, keep_chosen_office, runtime
from kiosk.web.common.limits import SIGN_IN_PER_ADDRESS, limiter
from kiosk.web.common.pairing import paired_device
from kiosk.web.common.redirects import local_path
from kiosk.web.common.sign_in import set_up_sign_in, staff_language, staff_of

bp = Blueprint("auth", __name__)


@bp.record_once
def set_up(state: BlueprintSetupState) -> None:
    set_up_sign_in(state.app)


@bp.before_request
def speak_staff_language() -> None:
    staff_language()


bp.before_request(keep_chosen_office)


@bp.get("/login")
def login() -> str:
    return render_login(username="", error=None)


@bp.post("/login")
@limiter.limit(SIGN_IN_PER_ADDRESS)
def sign_in() -> Response | tuple[str, int]:
    username, password = request.form.get("username", ""), request.form.get("password", "")
    rt, now = runtime(), runtime().clock()
    with rt.readonly_sessions() as look:  # the slow password hash holds no write transaction
        office = sign_in_office(look)
        attempt = accounts.check_sign_in(look, office, username, password, request.remote_addr or "", now)
    with db().begin():  # a failed attempt is committed too: it counts towards the lock
        user = accounts.record_sign_in(db(), db().get_one(Office, office.id), attempt, now)
        signed_in = None if user is None else staff_of(user)
    if signed_in is None:
        error = gettext(attempt.refusal or "Wrong username or password.")
        return render_login(username=attempt.username, error=error), 401
    session.permanent = True
    session["signed_in_at"] = now.timestamp()
    login_user(signed_in)
    home = "staff.home" if signed_in.role == "officer" else "admin.desk"
    return redirect(_safe_next() or url_for(home))


def render_login(**shown: str | None) -> str:
    """The sign-in form; in a province it names its office and signs in there."""
    place = code = None
    if len(runtime().config["offices"]) > 1:
        with runtime().readonly_sessions() as look:
            office = sign_in_office(look)
            place, code = office.name(str(get_locale())), office.code
    return render_template("auth/login.html", next=_safe_next(), place=place, office_code=code, **shown)


def sign_in_office(look: Session) -> Office:
    """A tablet paired to a counter signs officers in at its own office; any other browser at the office chosen
    (`?office=`), else the first."""
    tablet = paired_device("staff")
    return look.get_one(Office, tablet.office_id) if tablet is not None else configured_office(look)


@bp.post("/logout")
def sign_out() -> Response:
    if current_user.is_authenticated:
        with db().begin():
            accounts.sign_out(db(), db().get_one(StaffUser, current_user.user_id), runtime().clock())
    logout_user()
    return redirect(url_for("auth.login"))


def _safe_next() -> str:
    """Only an address on this site: a link to /login?next=//elsewhere must not send staff away."""
    return local_path(request.values.get("next", ""))
