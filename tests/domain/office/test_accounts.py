"""Staff accounts on their own: roles, sign-in with its lock, and the checks on an account form."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Event, Office, StaffUser
from kiosk.domain.office import accounts
from kiosk.domain.office.accounts import AccountForm, SettingsError, SignInError


def add(session: Session, office: Office, now: datetime, username: str, role: str = "officer") -> StaffUser:
    user = accounts.save_account(session, office, None, AccountForm(username, "Nguyễn  Văn An", role, True,
                                                                     "long enough"), now, "test")
    session.commit()
    return user


def test_roles_are_ordered() -> None:
    assert accounts.has_role("admin", "supervisor") and accounts.has_role("supervisor", "officer")
    assert not accounts.has_role("officer", "supervisor") and not accounts.has_role("nobody", "officer")


def test_sign_in_checks_the_hashed_password_and_logs_every_attempt(session, office, morning) -> None:
    user = add(session, office, morning, "Officer1")
    assert user.username == "officer1" and user.full_name == "Nguyễn Văn An"
    assert "long enough" not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert accounts.sign_in(session, office, " OFFICER1 ", "long enough", morning).id == user.id
    with pytest.raises(SignInError):
        accounts.sign_in(session, office, "officer1", "wrong", morning)
    with pytest.raises(SignInError):
        accounts.sign_in(session, office, "nobody", "long enough", morning)
    session.commit()
    kinds = session.scalars(select(Event.kind).where(Event.kind.like("staff.login%")).order_by(Event.id)).all()
    assert kinds == ["staff.login", "staff.login_failed", "staff.login_failed"]


def test_five_wrong_passwords_lock_the_account_for_a_while(session, office, morning) -> None:
    add(session, office, morning, "officer1")
    for minute in range(accounts.LOCK_AFTER):
        with pytest.raises(SignInError):
            accounts.sign_in(session, office, "officer1", "guess", morning + timedelta(minutes=minute))
        session.commit()
    with pytest.raises(SignInError, match="Too many"):
        accounts.sign_in(session, office, "officer1", "long enough", morning + timedelta(minutes=5))
    later = morning + accounts.LOCK_WINDOW + timedelta(minutes=5)
    assert accounts.sign_in(session, office, "officer1", "long enough", later).username == "officer1"


def test_an_inactive_account_cannot_sign_in(session, office, morning) -> None:
    user = add(session, office, morning, "officer1")
    accounts.save_account(session, office, user.id, AccountForm("officer1", "An", "officer", False), morning, "admin")
    session.commit()
    with pytest.raises(SignInError):
        accounts.sign_in(session, office, "officer1", "long enough", morning)


@pytest.mark.parametrize(("form", "field"), [
    (AccountForm("a", "Name", "officer", True, "long enough"), "username"),
    (AccountForm("officer1", "Name", "officer", True, "long enough"), "username"),  # taken
    (AccountForm("new.one", " ", "officer", True, "long enough"), "full_name"),
    (AccountForm("new.one", "Name", "king", True, "long enough"), "role"),
    (AccountForm("new.one", "Name", "officer", True, "short"), "password"),
])
def test_account_forms_are_checked(session, office, morning, form, field) -> None:
    add(session, office, morning, "officer1")
    with pytest.raises(SettingsError) as refused:
        accounts.save_account(session, office, None, form, morning, "admin")
    assert field in refused.value.problems


def test_the_last_active_admin_stays(session, office, morning) -> None:
    admin = add(session, office, morning, "admin", "admin")
    with pytest.raises(SettingsError) as refused:
        accounts.save_account(session, office, admin.id, AccountForm("admin", "A", "supervisor", True), morning, "x")
    assert "role" in refused.value.problems
    session.rollback()
    add(session, office, morning, "second", "admin")
    demoted = accounts.save_account(session, office, admin.id, AccountForm("admin", "A", "supervisor", True),
                                    morning, "second")
    assert demoted.role == "supervisor"


def test_a_new_password_or_role_changes_the_session_marker(session, office, morning) -> None:
    user = add(session, office, morning, "officer1")
    before = accounts.session_marker(user)
    accounts.save_account(session, office, user.id, AccountForm("officer1", "An", "officer", True, "another one"),
                          morning, "admin")
    assert accounts.session_marker(user) != before
