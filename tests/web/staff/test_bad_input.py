"""Whatever a tablet sends, the answer is a page or a clear message, never a 500: ids no row can have, digits
that are not ASCII, text longer than a column holds (PostgreSQL refuses it), a counter the tablet is not paired
to."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.support.app import TOO_BIG, auth, make_token, routes
from tests.support.htmx_client import signed_in
from tests.support.staff_pages import shown_id
from tests.support.tickets import take_ticket


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


def test_the_console_refuses_a_note_longer_than_it_keeps_and_loses_no_ticket(client: FlaskClient, app: Flask) -> None:
    officer = signed_in(app, client, "officer")
    kiosk = make_token(app, "kiosk")
    take_ticket(client, kiosk), take_ticket(client, kiosk)
    officer.html("/staff/counters/1/call-next")
    shown = shown_id(officer.page("/staff/counters/1"))
    assert shown  # A001 is at the counter
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
    take_ticket(client, make_token(app, "kiosk"))
    assert client.get("/staff/counters/2").headers["Location"] == "/staff/counters/1"
    other = officer.post("/staff/counters/2/call-next")
    assert other.status_code == 403 and "Máy tính bảng này được gắn với quầy 1." in other.text
    assert "Đã gọi số A001." in officer.html("/staff/counters/1/call-next")
