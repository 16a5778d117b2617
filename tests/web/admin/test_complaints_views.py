"""Complaint cases on the supervisor's desk through the test client: a bad rating's case listed, assigned, called
back and closed, each step a partial with what happened; CSRF on every step; nobody sees a case about their own
service; officers do not reach the page at all."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import Event
from kiosk.runtime import Runtime
from tests.support.htmx_client import HtmxClient, make_account, signed_in
from tests.support.ratings import serve
from tests.support.staff_pages import outcome


def rate(app: Flask, client: FlaskClient, level: str, by: str = "staff:officer1", **details: str) -> str:
    """A ticket served by `by`, rated on its phone page; its number."""
    ticket = serve(app, by=by)
    phone = HtmxClient(client, f"/t/{ticket.token}")
    phone.html(f"/t/{ticket.token}/rating", level=level)
    if details:
        phone.html(f"/t/{ticket.token}/rating/details", **details)
    return ticket.number


def test_a_case_from_the_list_to_its_outcome(app: Flask, client: FlaskClient) -> None:
    make_account(app, "officer1", "officer")
    rate(app, app.test_client(), "very_satisfied")
    number = rate(app, app.test_client(), "dissatisfied", reason="attitude", comment="Cán bộ nói trống không",
                  call_back="yes", phone="0912345678")
    boss = signed_in(app, client, "supervisor", "boss")
    desk = boss.page("/admin/complaints")
    cases = re.findall(r'data-case="(\d+)" data-status="open"\s+data-ticket="([A-Z]\d+)"', desk)
    assert [ticket for _id, ticket in cases] == [number]  # the good rating opened no case
    assert re.search(r'<tr data-key="1">\s*<td>1</td><td>2</td><td>2</td>\s*<td>100 %</td>\s*<td>50 %</td>', desk)
    case = f"/admin/complaints/{cases[0][0]}"
    page = boss.page(case)
    assert "Cán bộ nói trống không" in page and "0912345678" in page and "Thái độ của cán bộ" in page
    assert client.post(f"{case}/close", data={"outcome": "x"}, headers={"HX-Request": "true"}).status_code == 400
    boss_id = re.search(r'<option value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    assert outcome(boss.html(f"{case}/assign", assignee=boss_id)) == "Đã giao xử lý phản ánh."
    assert outcome(boss.html(f"{case}/call_back", note="Đã gọi, xin lỗi công dân")) == "Đã ghi nhận cuộc gọi lại."
    empty = boss.post(f"{case}/close", outcome="  ")
    assert empty.status_code == 422 and "tối đa 1000 ký tự" in empty.get_data(as_text=True)
    closed = boss.html(f"{case}/close", outcome="Đã nhắc nhở cán bộ")
    assert outcome(closed) == "Đã đóng phản ánh." and 'data-status="closed"' in closed
    assert boss.post(f"{case}/close", outcome="Again").status_code == 409
    rt: Runtime = app.extensions["kiosk"]
    with rt.readonly_sessions() as session:
        kinds = session.scalars(select(Event.kind).where(Event.kind.like("case.%")).order_by(Event.id)).all()
    assert kinds == ["case.opened", "case.assigned", "case.called_back", "case.closed"]
    audit = boss.page("/admin/audit?kind=case.closed")
    assert "đã đóng đúng hạn" in audit


def test_nobody_sees_a_case_about_their_own_service(app: Flask, client: FlaskClient) -> None:
    boss = signed_in(app, client, "supervisor", "boss")
    rate(app, app.test_client(), "dissatisfied", by="staff:boss")  # the supervisor served at a counter
    desk = boss.page("/admin/complaints")
    assert "data-case=" not in desk
    assert client.get("/admin/complaints/1").status_code == 404
    assert boss.post("/admin/complaints/1/close", outcome="Nothing wrong").status_code == 404
    officer = signed_in(app, app.test_client(), "officer", "officer1")
    assert officer.client.get("/admin/complaints").status_code == 403
