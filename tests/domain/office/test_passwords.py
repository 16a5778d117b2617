"""Staff passwords: salted scrypt, and every password stored before (werkzeug's format) still signs in."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.domain.office import passwords
from kiosk.domain.office.passwords import hash_password, password_matches


def test_a_hash_takes_its_password_and_no_other() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt:32768:8:1$")
    assert password_matches(stored, "correct horse")
    assert not password_matches(stored, "correct horse ")
    assert hash_password("correct horse") != stored  # salted: the same password never hashes the same twice


def test_passwords_stored_by_earlier_versions_still_match() -> None:
    typed = "mật khẩu 123"
    old_defaults = (generate_password_hash(typed), generate_password_hash(typed, "pbkdf2:sha256:1000"))
    for stored in old_defaults:
        assert password_matches(stored, "mật khẩu 123")
        assert not password_matches(stored, "mat khau 123")
    assert check_password_hash(hash_password("mật khẩu 123"), "mật khẩu 123")  # and the other way round


def test_something_that_is_no_hash_matches_nothing() -> None:
    for stored in ("", "plain", "md5$salt$abc", "scrypt:1:2$salt"):
        assert not password_matches(stored, "plain")


def test_every_hash_runs_where_the_server_says(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ran: list[str] = []

    def elsewhere(work):  # type: ignore[no-untyped-def]
        ran.append("elsewhere")
        return work()

    monkeypatch.setattr(passwords, "run_hash", elsewhere)
    stored = passwords.hash_password("correct horse")
    assert passwords.password_matches(stored, "correct horse") and ran == ["elsewhere", "elsewhere"]
