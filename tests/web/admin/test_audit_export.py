"""The audit log filtered by days, kind and person, downloaded as CSV and XLSX in the desk's words and language,
read back by real readers (csv, openpyxl)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.support.app import make_token
from tests.support.htmx_client import StaffClient, make_account, signed_in
from tests.support.tickets import take_ticket

DAYS = "day=2026-11-20&until=2026-11-23"


def test_the_filtered_log_downloads_in_the_readers_language(app: Flask, client: FlaskClient) -> None:
    make_account(app, "officer1", "officer")
    for _attempt in range(2):
        StaffClient(app.test_client()).sign_in("officer1", "wrong")
    take_ticket(client, make_token(app, "kiosk"))
    supervisor = signed_in(app, client, "supervisor", "boss")
    page = supervisor.page(f"/admin/audit?kind=staff.login_failed&actor=officer1&{DAYS}&lang=en")
    assert re.findall(r'data-kind="([^"]+)"', page) == ["staff.login_failed"] * 2
    assert "/admin/audit/export.csv?" in page and "/admin/audit/export.xlsx?" in page

    answer = client.get(f"/admin/audit/export.csv?kind=staff.login_failed&actor=officer1&{DAYS}&lang=zh")
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["时间", "类型", "操作人", "内容"]
    assert [row[1] for row in rows[1:]] == ["登录失败", "登录失败"]
    assert all(row[3].startswith("以officer1从") for row in rows[1:])

    book = load_workbook(io.BytesIO(client.get(f"/admin/audit/export.xlsx?{DAYS}&lang=vi").data))
    header, *events = list(book.active.values)
    assert header == ("Thời gian", "Loại", "Người thực hiện", "Nội dung")
    assert {row[1] for row in events} >= {"Đăng nhập thất bại"}
    assert all(isinstance(row[0], datetime) for row in events)  # a time the spreadsheet can sort
    assert len(events) == len(re.findall(r"data-event-id=", supervisor.page(f"/admin/audit?{DAYS}")))
    nothing = load_workbook(io.BytesIO(client.get("/admin/audit/export.xlsx?day=2026-11-24").data)).active
    assert len(list(nothing.values)) == 1  # the header alone
    assert client.get(f"/admin/audit/export.pdf?{DAYS}").status_code == 404
