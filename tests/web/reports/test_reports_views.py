"""The reports page and its exports through the test client, on a fortnight of the demo history: the CSV and the
XLSX read back by real readers add up to what the page shows."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from kiosk.data.models import Office
from kiosk.domain.statistics.history import fill_history
from kiosk.runtime import Runtime
from tests.support.app import make_token
from tests.support.htmx_client import StaffClient, signed_in

FORTNIGHT = "period=custom&from=2026-11-09&to=2026-11-22"


@pytest.fixture
def supervisor(app: Flask, client: FlaskClient) -> StaffClient:
    make_token(app, "kiosk")  # loads the office
    return signed_in(app, client, "supervisor", "boss")


def fill_fortnight(app: Flask) -> None:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        fill_history(session, session.scalars(select(Office)).one(), 14, date(2026, 11, 23))


def figure(html: str, name: str) -> str:
    found = re.search(rf"<dt>{re.escape(name)}</dt><dd class=\"figure-value\">([^<]*)</dd>", html)
    assert found, name
    return found.group(1)


def test_the_page_and_its_csv_and_xlsx_add_up(app: Flask, supervisor: StaffClient, client: FlaskClient) -> None:
    fill_fortnight(app)
    html = supervisor.page(f"/admin/reports?{FORTNIGHT}&by=officer&lang=en")
    issued, served = int(figure(html, "Tickets issued")), int(figure(html, "Served"))
    assert 4000 < issued < 7000
    assert 0 < float(figure(html, "Service level (%)")) <= 100
    assert html.count('src="data:image/svg+xml;base64,') == 3 and 'class="heat-map"' in html
    assert "Wait = call − arrival" in html  # the definitions stand beside the figures
    assert "By officer" in html and "Hoàng Văn Cường" in html
    answer = client.get(f"/admin/reports/export.csv?{FORTNIGHT}&table=service")
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert sum(int(r["Tickets issued"]) for r in rows) == issued and sum(int(r["Served"]) for r in rows) == served
    book = load_workbook(io.BytesIO(client.get(f"/admin/reports/export.xlsx?{FORTNIGHT}&table=day").data))
    sheet = book.active
    header, *days = list(sheet.values)
    assert header[:3] == ("By day", "Tickets issued", "Served")
    assert sum(row[1] for row in days) == issued and sum(row[2] for row in days) == served
    assert isinstance(days[0][0], datetime) and len(days) == 12  # a day is a date to the spreadsheet
    summary = load_workbook(io.BytesIO(client.get(f"/admin/reports/export.xlsx?{FORTNIGHT}").data)).active
    assert dict((row[0], row[1]) for row in summary.values)["Tickets issued"] == issued


def test_a_bad_period_or_table_is_refused_in_words(supervisor: StaffClient, client: FlaskClient) -> None:
    answer = client.get("/admin/reports?period=custom&from=2026-11-22&to=2026-11-01&lang=en")
    assert answer.status_code == 400 and "the end not before the start" in answer.get_data(as_text=True)
    assert client.get(f"/admin/reports/export.pdf?{FORTNIGHT}").status_code == 404
    assert client.get(f"/admin/reports/export.csv?{FORTNIGHT}&table=secrets").status_code == 404


def test_reports_need_a_supervisor(app: Flask, client: FlaskClient) -> None:
    officer = signed_in(app, client, "officer", "clerk")
    assert officer.client.get("/admin/reports").status_code in (302, 303, 403)
