"""The province overview (`/admin/province`): every office on these servers side by side, for a province account.
Each office's figures are its own desk's (`day_figures`) and its reports' service level, one implementation."""

from __future__ import annotations

from flask import render_template

from kiosk.domain.office.province import office_day, offices
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.statistics.periods import Period
from kiosk.web.admin.blueprint import bp
from kiosk.web.common.db import read_db, runtime
from kiosk.web.common.report_figures import office_report
from kiosk.web.common.sign_in import role_required

REFRESH_S = 30


@bp.get("/province")
@role_required("province")
def province_page() -> str:
    session, now = read_db(), runtime().clock()
    rows = []
    for office in offices(session):
        today = service_day(office, now)
        rows.append((office_day(session, office, now), office_report(office, Period(today, today)).total))
    return render_template("admin/province.html", rows=rows, refresh_s=REFRESH_S)
