"""The office file seeds services and counters; after that the desk's edits are what counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.cli import cli
from kiosk.data.models import Counter, Office, Service
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
