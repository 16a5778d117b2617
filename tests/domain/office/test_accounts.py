"""Staff accounts on their own: roles, sign-in with its lock, and the checks on an account form."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Event, Office, StaffUser
from kiosk.domain.office import accounts
from kiosk.domain.office.accounts import AccountForm, SettingsError

DESK, STRANGER = "10.0.0.5", "10.0.0.66"


def add(session: Session, office: Office, now: datetime, username: str, role: str = "officer") -> StaffUser:
    user = accounts.save_account(session, office, None, AccountForm(username, "Nguyễn  Văn An", role, True,
                                                                     "long enough"), now, "test")
    session.commit()
    return user


def sign_in(session: Session, office: Office, username: str, password: str, now: datetime,
            address: str = DESK) -> StaffUser | str:
    """Checked, then recorded in its own transaction, as the sign-in page does: the account, or the refusal."""
    attempt = accounts.check_sign_in(session, office, username, password, address, now)
    session.rollback()
    user = accounts.record_sign_in(session, office, attempt, now)
    session.commit()
    return user if user is not None else str(attempt.refusal)


def test_roles_are_ordered() -> None:
    assert accounts.has_role("admin", "supervisor") and accounts.has_role("supervisor", "officer")
    assert not accounts.has_role("officer", "supervisor") and not accounts.has_role("nobody", "officer")


def test_sign_in_checks_the_hashed_password_and_logs_every_attempt(session, office, morning) -> None:
    user = add(session, office, morning, "Officer1")
    assert user.username == "officer1" and user.full_name == "Nguyễn Văn An"
    assert "long enough" not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert sign_in(session, office, " OFFICER1 ", "long enough", morning) == user
    assert sign_in(session, office, "officer1", "wrong", morning) == "Wrong username or password."
    assert sign_in(session, office, "nobody", "long enough", morning) == "Wrong username or password."
    session.commit()
    kinds = session.scalars(select(Event.kind).where(Event.kind.like("staff.login%")).order_by(Event.id)).all()
    assert kinds == ["staff.login", "staff.login_failed", "staff.login_failed"]


def test_five_wrong_passwords_from_one_address_lock_the_name_there_for_a_while(session, office, morning) -> None:
    add(session, office, morning, "officer1")
    for minute in range(accounts.LOCK_AFTER):
        assert sign_in(session, office, "officer1", "guess", morning + timedelta(minutes=minute)) != "officer1"
    refusal = sign_in(session, office, "officer1", "long enough", morning + timedelta(minutes=5))
    assert isinstance(refusal, str) and refusal.startswith("Too many")
    other_desk = sign_in(session, office, "officer1", "long enough", morning + timedelta(minutes=5), "10.0.0.7")
    assert isinstance(other_desk, StaffUser)  # the lock is this name at that address, not the account everywhere
    later = morning + accounts.LOCK_WINDOW + timedelta(minutes=5)
    assert isinstance(sign_in(session, office, "officer1", "long enough", later), StaffUser)


def test_a_stranger_cannot_lock_the_admin_out_of_their_desk(session, office, morning) -> None:
    add(session, office, morning, "boss", "admin")
    assert isinstance(sign_in(session, office, "boss", "long enough", morning), StaffUser)  # from the desk, once
    for attempt in range(accounts.LOCK_NAME_AFTER):  # from many addresses, a few tries each
        now = morning + timedelta(hours=1, seconds=attempt)
        sign_in(session, office, "boss", "guess", now, f"10.0.1.{attempt // 4}")
    now = morning + timedelta(hours=1, minutes=1)
    assert str(sign_in(session, office, "boss", "long enough", now, "10.0.9.9")).startswith("Too many")
    assert isinstance(sign_in(session, office, "boss", "long enough", now), StaffUser)  # the desk gets in


def test_a_huge_username_is_cut_to_its_column_in_the_audit(session, office, morning) -> None:
    sign_in(session, office, "x" * 450_000, "guess", morning)
    event = session.scalars(select(Event).where(Event.kind == "staff.login_failed")).one()
    assert len(event.payload["username"]) == accounts.LONGEST_NAME and len(event.actor or "") <= 128


def test_an_inactive_account_cannot_sign_in(session, office, morning) -> None:
    user = add(session, office, morning, "officer1")
    accounts.save_account(session, office, user.id, AccountForm("officer1", "An", "officer", False), morning, "admin")
    session.commit()
    assert sign_in(session, office, "officer1", "long enough", morning) == "Wrong username or password."


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
