"""The supervisor's desk through the test client: priority decisions, reprints, counters, devices, settings
that count at once, staff accounts and the audit log."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import PrintJob, Service
from kiosk.runtime import Runtime
from tests.support.app import auth, make_token
from tests.support.htmx_client import StaffClient, make_account, signed_in
from tests.support.staff_pages import outcome
from tests.support.tickets import take_ticket


@pytest.fixture
def supervisor(app: Flask, client: FlaskClient) -> StaffClient:
    return signed_in(app, client, "supervisor", "boss")


def test_an_approved_green_channel_ticket_is_called_first(app: Flask, client: FlaskClient,
                                                          supervisor: StaffClient) -> None:
    kiosk, staff = make_token(app, "kiosk"), make_token(app, "staff")
    take_ticket(client, kiosk)
    take_ticket(client, kiosk, priority="urgent")
    desk = supervisor.page("/admin")
    request = re.search(r'data-ticket="A002".*?hx-post="(/admin/tickets/\d+/priority)"', desk, re.S)
    assert request, desk
    answer = supervisor.html(request.group(1), decision="approve")
    assert outcome(answer) == "Số A002 được ưu tiên gọi trước." and 'data-ticket="A002"' not in answer
    assert "Số A002 vừa thay đổi" in outcome(supervisor.html(request.group(1), decision="refuse"))
    called = client.post("/api/v1/counters/1/call-next", headers=auth(staff)).get_json()["ticket"]
    assert called["number"] == "A002"


def test_reprint_counters_and_devices_on_the_desk(app: Flask, client: FlaskClient, supervisor: StaffClient) -> None:
    ticket = take_ticket(client, make_token(app, "kiosk"))
    printed = supervisor.html("/admin/reprint", number=ticket["number"].lower())
    assert outcome(printed) == "Đang in lại số A001."
    rt: Runtime = app.extensions["kiosk"]
    assert len(rt.readonly_sessions().scalars(select(PrintJob)).all()) == 2
    assert outcome(supervisor.html("/admin/reprint", number="B999")) == "Không tìm thấy số thứ tự này."
    closed = supervisor.html("/admin/counters/3/state", state="closed")
    assert re.search(r'data-counter="3" data-state="closed"', closed)
    display = make_token(app, "display")
    client.get(f"/display?device={display}")  # the display opens: it is seen
    devices = supervisor.page("/admin/live")
    assert re.search(r'data-device="test-display" data-connected="yes"', devices)
    assert re.search(r'data-device="test-kiosk" data-connected="no" data-printer="unknown"', devices)


def test_service_and_counter_settings_count_at_once(app: Flask, client: FlaskClient,
                                                    supervisor: StaffClient) -> None:
    kiosk, staff = make_token(app, "kiosk"), make_token(app, "staff")  # (making a token loads the configured office)
    refused = supervisor.html("/admin/settings/services", code="apec", prefix="A", name_vi="Thẻ ABTC")
    assert "Chữ cái này đã thuộc về dịch vụ khác." in refused and 'value="apec"' in refused
    created = supervisor.post("/admin/settings/services", code="apec", prefix="G", name_vi="Thẻ ABTC", active="on")
    assert created.status_code == 204 and created.headers["HX-Refresh"] == "true"
    rt: Runtime = app.extensions["kiosk"]
    apec = rt.readonly_sessions().scalars(select(Service).where(Service.code == "apec")).one()
    assert apec.names == {"vi": "Thẻ ABTC"} and apec.active and not apec.needs_declaration
    page = supervisor.page("/admin/settings/counters")
    counter_id = re.search(r'id="counter-(\d+)"', page).group(1)  # type: ignore[union-attr]
    saved = supervisor.html(f"/admin/settings/counters/{counter_id}", number="1", zone="hall",
                            **{f"weight_{apec.id}": "2"})
    assert "Đã lưu." in saved and f'name="weight_{apec.id}" value="2"' in saved
    ticket = take_ticket(client, kiosk, "apec")
    called = client.post("/api/v1/counters/1/call-next", headers=auth(staff)).get_json()
    assert ticket["number"] == called["ticket"]["number"] == "G001"
    renamed = supervisor.html(f"/admin/settings/services/{apec.id}", code="apec", prefix="G", name_vi="Thẻ APEC",
                              active="")
    assert "Đã lưu." in renamed and 'value="Thẻ APEC"' in renamed


def test_admins_manage_staff_accounts(app: Flask, client: FlaskClient) -> None:
    admin = signed_in(app, client, "admin")
    refused = admin.html("/admin/staff", username="Officer 2", full_name="", role="officer", password="short")
    assert {"username", "full_name", "password"} <= set(re.findall(r'name="(\w+)"[^>]*>\s*<span class="problem"',
                                                                    refused))
    assert admin.post("/admin/staff", username="officer2", full_name="Trần Thị Bình", role="officer",
                      password="long enough", active="on").status_code == 204
    other = StaffClient(app.test_client())
    assert other.sign_in("officer2", "long enough").headers["Location"] == "/staff"


def test_the_audit_log_is_filtered(app: Flask, client: FlaskClient, supervisor: StaffClient) -> None:
    make_account(app, "officer1", "officer")
    StaffClient(app.test_client()).sign_in("officer1", "wrong")
    take_ticket(client, make_token(app, "kiosk"))
    everything = supervisor.page("/admin/audit")
    assert 'data-kind="ticket.issued"' in everything and 'data-kind="staff.login_failed"' in everything
    failed = supervisor.page("/admin/audit?kind=staff.login_failed&actor=officer1&day=2026-11-23")
    assert re.findall(r'data-kind="([^"]+)"', failed) == ["staff.login_failed"]
    assert "Không có mục nào" in supervisor.page("/admin/audit?day=2026-11-24")
