"""The `kiosk` command line on the office's database: the office file loaded again, staff accounts, the purge."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.cli import cli
from kiosk.data.models import Counter, Office, Service, StaffUser
from kiosk.domain.office import accounts
from kiosk.domain.office.settings import CounterForm, ServiceForm, save_counter, save_service


def test_loading_the_office_file_again_keeps_the_desks_edits(
    office_env: dict[str, str], session: Session, morning: datetime
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["demo"], env=office_env).exit_code == 0
    office = session.scalars(select(Office)).one()
    first = session.scalars(select(Service).where(Service.code == "passport-first")).one()
    save_service(session, office, first.id, replace(ServiceForm.of(first), daily_cap="12"), morning, "supervisor")
    counter = session.scalars(select(Counter).where(Counter.number == 1)).one()
    save_counter(session, office, counter.id, replace(CounterForm.of(counter), zone="upstairs"), morning, "supervisor")
    session.commit()

    again = runner.invoke(cli, ["demo"], env=office_env)  # what every `make run` does
    assert again.exit_code == 0, again.output
    session.expire_all()
    assert first.daily_cap == 12 and counter.zone == "upstairs"
    assert len(session.scalars(select(Service)).all()) == 6  # and nothing was added twice


def test_kiosk_user_create_asks_for_the_password(office_env: dict[str, str], session: Session) -> None:
    runner = CliRunner()
    refused = runner.invoke(cli, ["user", "create", "--username", "x", "--role", "officer", "--password", "short"],
                            env=office_env)
    assert refused.exit_code == 1 and "password" in refused.output and "username" in refused.output
    made = runner.invoke(cli, ["user", "create", "--username", "Officer9", "--role", "supervisor"],
                         input="long enough\nlong enough\n", env=office_env)
    assert made.exit_code == 0, made.output
    assert "officer9 (supervisor)" in made.output and "long enough" not in made.output
    user = session.scalars(select(StaffUser).where(StaffUser.username == "officer9")).one()
    office = session.get_one(Office, user.office_id)
    attempt = accounts.check_sign_in(session, office, "officer9", "long enough", "127.0.0.1", datetime.now(UTC))
    assert user.role == "supervisor" and attempt.user_id == user.id


def test_the_purge_command(office_env: dict[str, str]) -> None:
    from click.testing import CliRunner

    from kiosk.cli import cli

    result = CliRunner(env=office_env).invoke(cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert "0 declaration(s) forgotten." in result.output
