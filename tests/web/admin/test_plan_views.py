"""The desk's staffing plan and the end-of-day cut-off through the test client: the plan from a few weeks of
history, and late in the day the desk's alert, the kiosk's and the phone page's warning to a new walk-in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from kiosk.data.models import Counter, Office, Service, Ticket
from kiosk.domain.forecast.staffing import Target, counters_needed
from kiosk.runtime import Runtime
from tests.support.app import make_token
from tests.support.htmx_client import paired_kiosk, signed_in
from tests.support.tickets import take_ticket


@pytest.fixture
def morning() -> datetime:
    """16:00 in Hanoi on a Monday: an hour before closing."""
    return datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def past_weeks(app: Flask, morning: datetime, weeks: int) -> None:
    """Every past weekday: ten first-passport tickets from 09:00 (local), each done at counter 1 in 10 minutes."""
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = session.scalars(select(Office)).one()
        service = session.scalars(select(Service).where(Service.code == "passport-first")).one()
        counter = session.scalars(select(Counter).where(Counter.number == 1)).one()
        rows = []
        for back in range(1, 7 * weeks + 1):
            nine = morning.replace(hour=2) - timedelta(days=back)
            if nine.weekday() < 5:
                rows += [dict(office_id=office.id, service_id=service.id, issued_service_id=service.id,
                              service_day=nine.date(), seq=n + 1, number=f"A{n + 1:03d}", token=f"past-{back}-{n}",
                              status="done", source="kiosk", language="vi", issued_at=nine + timedelta(minutes=5 * n),
                              arrived_at=nine + timedelta(minutes=5 * n), called_at=nine + timedelta(minutes=6 * n),
                              finished_at=nine + timedelta(minutes=6 * n + 10), counter_id=counter.id)
                         for n in range(10)]
        session.execute(insert(Ticket), rows)


def test_the_plan_shows_tomorrow_the_coming_days_and_the_estimate_s_accuracy(app: Flask, client: FlaskClient,
                                                                             morning: datetime) -> None:
    make_token(app, "kiosk")  # loads the office
    past_weeks(app, morning, 5)
    page = signed_in(app, client, "supervisor", "boss").page("/admin/plan")
    # Tomorrow is a Tuesday: ten arrivals in the 09:00 hour like every weekday, 10 minutes each.
    needed = counters_needed(10, 600, Target(15 * 60, 0.8))
    row = re.search(r'data-hour="9"[^>]*>\s*<td>09:00</td><td>10</td>\s*<td class="needed">(\d+)</td><td>(\S+)</td>',
                    page)
    assert row and int(row.group(1)) == needed and row.group(2) == "1", page
    assert page.count('data-day="') == 14 and 'data-day="2026-11-29"' in page  # Sunday: closed
    assert "Erlang C" in page and 'data-service="all"' in page


def test_late_in_the_day_the_desk_the_kiosk_and_the_phone_say_who_may_not_be_served(app: Flask,
                                                                                    client: FlaskClient) -> None:
    kiosk_token = make_token(app, "kiosk")
    for _ in range(25):  # two counters serve lost-passport reports at 6 minutes each: 21 are called by 17:00
        take_ticket(client, kiosk_token, "passport-lost")
    desk = signed_in(app, app.test_client(), "supervisor", "boss").page("/admin/live")
    alert = re.search(r'data-cut-off="passport-lost">([^<]*)<', desk)
    assert alert and "4 trong số 25 người" in alert.group(1) and "17:00" in alert.group(1), desk
    kiosk = paired_kiosk(app, app.test_client())
    services = kiosk.get("/kiosk/services")
    assert re.search(r'data-service="passport-lost".*?data-after-closing="yes"', services, re.S)
    assert not re.search(r'data-service="passport-first"[^/]*?data-after-closing', services, re.S)
    ticket = kiosk.html("/kiosk/tickets", service="passport-lost")
    assert 'data-after-closing="yes"' in ticket and "hôm nay bạn có thể không được phục vụ" in ticket
    rt: Runtime = app.extensions["kiosk"]
    token = rt.readonly_sessions().scalars(select(Ticket.token).order_by(Ticket.id.desc())).first()
    phone = client.get(f"/t/{token}?lang=en").get_data(as_text=True)
    assert "you may not be served today" in phone
    assert ('href="/book"' in phone) == any(rule.rule == "/book" for rule in app.url_map.iter_rules())
