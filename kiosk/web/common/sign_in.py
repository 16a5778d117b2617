"""Who is signed in on a staff screen (Flask-Login), and the role every staff and admin address requires.

A sign-in lasts a working day at most, however busy (SIGNED_IN_FOR, also the session cookie's lifetime). The
account is read again on every request, so a deactivated account, a new role or a new password counts at once,
and signing out ends the account's sign-in in every browser (a copied cookie included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, session, url_for
from flask.sansio.app import App
from flask_babel import gettext
from flask_login import LoginManager, UserMixin, current_user
from htmx_flask import request
from werkzeug.wrappers import Response

from kiosk.data.models import StaffUser
from kiosk.domain.languages import LANGUAGES
from kiosk.domain.office import accounts
from kiosk.web.common.db import runtime
from kiosk.web.common.htmx import hx_redirect

F = TypeVar("F", bound=Callable[..., Any])
SIGNED_IN_FOR = timedelta(hours=12)  # a working day, then the officer signs in again


@dataclass(frozen=True)
class Staff(UserMixin):
    """The signed-in account as the request sees it."""

    user_id: int
    office_id: int
    username: str
    full_name: str
    role: str
    marker: str

    def get_id(self) -> str:
        return f"{self.user_id}:{self.marker}"

    def has_role(self, wanted: str) -> bool:
        return accounts.has_role(self.role, wanted)

    @property
    def actor(self) -> str:
        return f"staff:{self.username}"


def set_up_sign_in(app: App) -> None:
    """Flask-Login on the app, with sessions that last a working day."""
    app.config["PERMANENT_SESSION_LIFETIME"] = SIGNED_IN_FOR  # Flask defines it (31 days): set, not setdefault
    manager = LoginManager(app)
    manager.user_loader(load_staff)


def load_staff(cookie_id: str) -> Staff | None:
    """The account behind the cookie, if the sign-in is from today's shift and the account is still active with
    the same password and role."""
    signed_in_at = session.get("signed_in_at", 0.0)
    if runtime().clock().timestamp() - signed_in_at > SIGNED_IN_FOR.total_seconds():
        return None
    user_id, _sep, marker = cookie_id.partition(":")
    if not user_id.isdigit():
        return None
    # A session of its own: the request's read session must not start its snapshot before the view writes.
    with runtime().readonly_sessions() as look:
        user = look.get(StaffUser, int(user_id))
        if user is None or not user.active or accounts.session_marker(user) != marker:
            return None
        return staff_of(user)


def staff_of(user: StaffUser) -> Staff:
    return Staff(user.id, user.office_id, user.username, user.full_name, user.role, accounts.session_marker(user))


def staff_language() -> None:
    """Staff screens speak the language chosen on them (?lang=), else the office's."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["staff_language"] = chosen
    g.language = session.get("staff_language") or runtime().config["i18n"]["default_language"]


def require(role: str) -> Callable[[], Response | None]:
    """A before_request hook: every address of the blueprint needs a signed-in account of this role or above."""

    def check() -> Response | None:
        if not current_user.is_authenticated:
            return to_login()
        if not current_user.has_role(role):
            abort(403)
        return None

    return check


def role_required(role: str) -> Callable[[F], F]:
    """One view needs more than its blueprint does (staff accounts: admin only)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            return require(role)() or view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def to_login() -> Response:
    """The sign-in page, then back here; htmx swaps no sign-in form into a console, it reloads the page."""
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.htmx:
        return hx_redirect(target, status=401, body=gettext("Please sign in."))
    return redirect(target)
