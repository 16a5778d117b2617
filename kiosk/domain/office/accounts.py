"""Staff accounts: hashed passwords, roles officer < supervisor < admin < province, sign-in with a lock after
repeated failures.

Plain Python over a Session; the caller owns the transaction. Messages are English catalogue ids that the screen
translates where it shows them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.data.models import STAFF_ROLES, Event, Office, StaffRole, StaffUser
from kiosk.domain.events.log import record_event
from kiosk.domain.languages import _
from kiosk.domain.office.passwords import hash_password, password_matches

ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(STAFF_ROLES)}
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 8
LONGEST_NAME = 64  # a username, a full name
# Five wrong passwords for one name from one address within a quarter of an hour lock that name at that address
# for the rest of the quarter. From everywhere together it takes LOCK_NAME_AFTER, and even then the addresses the
# account has signed in from lately still get in: a stranger cannot lock the administrator out of their own desk.
LOCK_AFTER = 5
LOCK_NAME_AFTER = 20
LOCK_WINDOW = timedelta(minutes=15)
KNOWN_ADDRESS_FOR = timedelta(days=30)
RECENT = 200  # events read back for a lock: plenty to decide, bounded however many addresses try
# Checked against when the username is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = hash_password("not a password")



class SettingsError(Exception):
    """What is wrong with a submitted form: field → catalogue message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class AccountForm:
    username: str
    full_name: str
    role: str
    active: bool = True
    password: str = ""  # empty on an edit: the password stays as it is

    @classmethod
    def of(cls, user: StaffUser) -> AccountForm:
        return cls(user.username, user.full_name, user.role, user.active)


def has_role(role: str, wanted: str) -> bool:
    """A supervisor may do what an officer may; an admin what both may; a province account what an admin may, and
    sees every office."""
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[wanted]


def session_marker(user: StaffUser) -> str:
    """Part of the sign-in cookie: a new password, a role change or a sign-out signs the account out everywhere
    (the cookie is the browser's: a copy of it must not outlive the sign-out)."""
    return hashlib.sha256(f"{user.password_hash}|{user.role}|{user.sign_outs}".encode()).hexdigest()[:16]


def actor(user: StaffUser) -> str:
    return f"staff:{user.username}"


@dataclass(frozen=True)
class SignInAttempt:
    """A sign-in checked (the slow password hash included) before anything is written: the verdict, to record."""

    username: str  # as typed, cut to the longest a name can be
    address: str
    user_id: int | None  # the account, when name and password match an active one
    refusal: str | None  # catalogue id, when refused

    @property
    def who(self) -> str:
        return f"staff:{self.username}"


def check_sign_in(session: Session, office: Office, username: str, password: str, address: str,
                  now: datetime) -> SignInAttempt:
    """Read-only: may this name sign in from this address with this password? Run outside any write
    transaction, so a flood of wrong passwords never holds the queue's writers while it hashes."""
    username, address = username.strip().lower()[:LONGEST_NAME], address[:64]
    if _locked(session, office, f"staff:{username}", address, now):
        return SignInAttempt(username, address, None, _(
            "Too many wrong passwords. Wait a quarter of an hour, or ask an administrator."))
    user = session.scalar(select(StaffUser).where(StaffUser.office_id == office.id, StaffUser.username == username))
    matches = password_matches(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not matches or not user.active:
        return SignInAttempt(username, address, None, _("Wrong username or password."))
    return SignInAttempt(username, address, user.id, None)


def record_sign_in(session: Session, office: Office, attempt: SignInAttempt, now: datetime) -> StaffUser | None:
    """Every attempt is an audit event; the account signed in, if it was not refused and has not changed since."""
    payload = {"username": attempt.username, "address": attempt.address}
    user = session.get(StaffUser, attempt.user_id) if attempt.user_id is not None else None
    if user is None or not user.active:
        record_event(session, office.id, "staff.login_failed", payload, now, attempt.who)
        return None
    record_event(session, office.id, "staff.login", payload | {"role": user.role}, now, attempt.who)
    return user


def sign_out(session: Session, user: StaffUser, now: datetime) -> None:
    user.sign_outs += 1
    record_event(session, user.office_id, "staff.logout", {"username": user.username}, now, actor(user))


def _locked(session: Session, office: Office, who: str, address: str, now: datetime) -> bool:
    """Failures since the window opened and since the last successful sign-in: LOCK_AFTER from this address, or
    LOCK_NAME_AFTER from anywhere unless this address is one the account signed in from lately."""
    since = now - LOCK_WINDOW
    signed_in = session.execute(select(Event.payload, Event.created_at).where(
        Event.office_id == office.id, Event.kind == "staff.login", Event.actor == who,
        Event.created_at >= now - KNOWN_ADDRESS_FOR,
    ).order_by(Event.id.desc()).limit(RECENT)).all()
    last_ok = max((at for _payload, at in signed_in if at >= since), default=None)
    failures = list(session.scalars(select(Event.payload).where(
        Event.office_id == office.id, Event.kind == "staff.login_failed", Event.actor == who,
        Event.created_at >= (last_ok or since),
    ).order_by(Event.id.desc()).limit(RECENT)))
    if sum(failure.get("address") == address for failure in failures) >= LOCK_AFTER:
        return True
    known = any(payload.get("address") == address for payload, _at in signed_in)
    return len(failures) >= LOCK_NAME_AFTER and not known


def accounts(session: Session, office: Office) -> list[StaffUser]:
    query = select(StaffUser).where(StaffUser.office_id == office.id).order_by(StaffUser.role, StaffUser.username)
    return list(session.scalars(query))


def save_account(
    session: Session, office: Office, user_id: int | None, form: AccountForm, now: datetime, by: str | None,
    grantable: tuple[str, ...] = STAFF_ROLES,
) -> StaffUser:
    """Create (user_id None) or change an account with one of the `grantable` roles (an office's admin: not
    province); refuses what would leave the office without an active admin."""
    user = session.get(StaffUser, user_id) if user_id is not None else None
    if user_id is not None and (user is None or user.office_id != office.id or user.role not in grantable):
        raise SettingsError({"username": _("No such account.")})
    problems = _account_problems(session, office, user, form, grantable)
    if problems:
        raise SettingsError(problems)
    if user is None:
        user = StaffUser(office_id=office.id, username=form.username.strip().lower())
        session.add(user)
    user.full_name, user.active = " ".join(form.full_name.split()), form.active
    user.role = cast(StaffRole, form.role)  # one of STAFF_ROLES: checked above
    if form.password:
        user.password_hash = hash_password(form.password)
    session.flush()
    payload = {"username": user.username, "role": user.role, "active": user.active,
               "password_changed": bool(form.password)}
    record_event(session, office.id, "staff.account", payload, now, by)
    return user


def _account_problems(
    session: Session, office: Office, user: StaffUser | None, form: AccountForm, grantable: tuple[str, ...]
) -> dict[str, str]:
    problems = {}
    username = form.username.strip().lower()
    if user is None and not USERNAME_RE.match(username):
        problems["username"] = _("3 to 64 lower-case letters, digits, dots, dashes or underscores.")
    elif user is None and session.scalar(
        select(StaffUser.id).where(StaffUser.office_id == office.id, StaffUser.username == username)
    ):
        problems["username"] = _("This username is taken.")
    if not form.full_name.strip():
        problems["full_name"] = _("Please fill this in.")
    elif len(" ".join(form.full_name.split())) > LONGEST_NAME:
        problems["full_name"] = _("At most 64 characters.")
    if form.role not in grantable:
        problems["role"] = _("Please choose one.")
    if (user is None or form.password) and len(form.password) < MIN_PASSWORD:
        problems["password"] = _("At least 8 characters.")
    if user is not None and user.role == "admin" and user.active and not (form.role == "admin" and form.active):
        if _other_active_admins(session, office, user) == 0:
            problems["role"] = _("The office needs at least one active administrator.")
    return problems


def _other_active_admins(session: Session, office: Office, user: StaffUser) -> int:
    query = select(func.count()).select_from(StaffUser).where(
        StaffUser.office_id == office.id, StaffUser.role == "admin", StaffUser.active, StaffUser.id != user.id
    )
    return session.scalar(query) or 0
