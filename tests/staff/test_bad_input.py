"""Whatever a tablet or a desk sends, the answer is a page or a clear message, never a 500: ids no row can have,
digits that are not ASCII, text longer than a column holds (PostgreSQL refuses it), a counter the tablet is not
paired to."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.staff.staff_support import StaffBrowser, make_account, signed_in, take
from tests.staff.test_staff_access import routes
from tests.support.app import auth, make_token

TOO_BIG = "99999999999999999999"  # more than any INTEGER column holds


def test_an_id_no_row_can_have_is_not_found(client: FlaskClient, app: Flask) -> None:
    admin = signed_in(app, client, "admin")
    numbered = [(m, path) for prefix in ("/staff", "/admin") for m, path in routes(app, prefix) if "/1" in path]
    assert len(numbered) >= 12
    for method, path in numbered:
        path = path.replace("/1", f"/{TOO_BIG}", 1)
        answer = client.open(path, method=method, data={"csrf_token": admin.csrf})
        assert answer.status_code == 404, (method, path, answer.status_code)
    assert client.get(f"/admin/audit?before={TOO_BIG}").status_code == 200
    assert client.get("/api/v1/events", headers={**auth(make_token(app, "display")),
                                                  "Last-Event-ID": TOO_BIG}).status_code == 400


def problems_of(html: str) -> list[str]:
    return re.findall(r'class="problem" role="alert">([^<]+)<', html)


@pytest.mark.parametrize("typed", ["²", TOO_BIG, "0"])
def test_a_number_the_desk_cannot_take_is_named_in_the_form(client: FlaskClient, app: Flask, typed: str) -> None:
    admin = signed_in(app, client, "admin")
    counter = admin.post("/admin/settings/counters", number=typed, zone="hall", weight_1="1", **{"weight_²": "1"})
    assert counter.status_code == 200 and problems_of(counter.text) == ["Một số nguyên, từ 1 trở lên."]
    service = admin.post("/admin/settings/services", code="new-service", prefix="Q", name_vi="Mới", daily_cap=typed)
    assert service.status_code == 200 and problems_of(service.text) == ["Một số nguyên, từ 1 trở lên."]


def test_text_longer_than_the_office_keeps_is_named_in_the_form(client: FlaskClient, app: Flask) -> None:
    admin = signed_in(app, client, "admin")
    counter = admin.post("/admin/settings/counters", number="9", zone="z" * 65, weight_1="1")
    assert counter.status_code == 200 and problems_of(counter.text) == ["Tối đa 64 ký tự."]
    service = admin.post("/admin/settings/services", code="new-service", prefix="Q", name_vi="Mới", name_en="n" * 65)
    assert service.status_code == 200 and problems_of(service.text) == ["Tối đa 64 ký tự."]
    account = admin.post("/admin/staff", username="officer9", full_name="N" * 65, role="officer",
                         password="long enough", active="1")
    assert account.status_code == 200 and problems_of(account.text) == ["Tối đa 64 ký tự."]
    assert admin.post("/admin/settings/counters", number="9", zone="z" * 64, weight_1="1").status_code == 204  # saved


def test_a_long_name_typed_at_sign_in_is_only_a_wrong_name(client: FlaskClient, app: Flask) -> None:
    make_account(app, "officer1", "officer")
    browser = StaffBrowser(client)
    answer = browser.sign_in("x" * 200, "whatever")
    assert answer.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in answer.text


def test_the_console_refuses_a_note_longer_than_it_keeps_and_loses_no_ticket(client: FlaskClient, app: Flask) -> None:
    officer = signed_in(app, client, "officer")
    kiosk = make_token(app, "kiosk")
    take(client, kiosk), take(client, kiosk)
    officer.html("/staff/counters/1/call-next")
    shown = re.search(r'name="shown" value="(\d+)"', officer.get("/staff/counters/1")).group(1)  # type: ignore[union-attr]
    long = officer.html("/staff/counters/1/transfer", service="passport-reissue", note="n" * 201, shown=shown)
    assert "Lý do hoặc ghi chú tối đa 200 ký tự." in long and "A001" in long  # still at this counter
    out_of_turn = officer.html("/staff/counters/1/call", number="A002", reason="r" * 201, shown=shown)
    assert "Lý do hoặc ghi chú tối đa 200 ký tự." in out_of_turn
    assert "Đã gọi số A001." not in officer.html("/staff/counters/1/call-next", shown="²")  # a stale screen


def test_a_stream_for_a_counter_that_does_not_exist_is_not_found(client: FlaskClient, app: Flask) -> None:
    signed_in(app, client, "officer")
    assert client.get("/staff/counters/99/stream").status_code == 404


def test_a_tablet_paired_to_a_counter_works_that_counter_only(client: FlaskClient, app: Flask) -> None:
    client.get(f"/staff?device={make_token(app, 'staff', counter=1)}")
    officer = signed_in(app, client, "officer")
    take(client, make_token(app, "kiosk"))
    assert client.get("/staff/counters/2").headers["Location"] == "/staff/counters/1"
    other = officer.post("/staff/counters/2/call-next")
    assert other.status_code == 403 and "Máy tính bảng này được gắn với quầy 1." in other.text
    assert "Đã gọi số A001." in officer.html("/staff/counters/1/call-next")
