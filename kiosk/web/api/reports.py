"""The office's figures as JSON (`GET /reports/summary?from=&to=&by=`): the report of the reports page, for a
staff token, each group named by its code, number or username."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _
from htmx_flask import request
from sqlalchemy import select

from kiosk.data.models import Counter, Office, Service, StaffUser
from kiosk.domain.statistics.figures import SPLITS
from kiosk.domain.statistics.periods import Period, PeriodError
from kiosk.domain.statistics.tally import Tally
from kiosk.web.api import shapes
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.blueprint import bp
from kiosk.web.api.errors import ApiError
from kiosk.web.common.db import read_db
from kiosk.web.common.report_figures import office_report

KEYED_BY_ID: dict[str, tuple[Any, Any]] = {"service": (Service, Service.code), "counter": (Counter, Counter.number),
                                           "officer": (StaffUser, StaffUser.username)}


@bp.get("/reports/summary")
@requires("staff")
def report_summary() -> Response:
    by = request.args.get("by", "service")
    if by not in SPLITS:
        raise ApiError(422, _("Field %(field)s must be one of: %(choices)s.", field="by", choices=", ".join(SPLITS)))
    try:
        period = Period(_day("from"), _day("to"))
    except PeriodError:
        raise ApiError(422, _("Choose a start and an end day, the end not before the start, at most three years "
                              "apart.")) from None
    office = read_db().get_one(Office, caller().office_id)
    done = office_report(office, period)
    names = _names(office, by)
    groups = [_figures(tally, names.get(key, key) if names else _plain(key))
              for key, tally in sorted(done.splits[by].items(), key=lambda item: (item[0] is not None, item[0]))]
    summary = shapes.ReportSummary(
        first=period.first, last=period.last, by=by, total=_figures(done.total, None),
        median_wait_s=done.median_wait_s, p90_wait_s=done.p90_wait_s, appointments_kept=done.appointments_kept,
        appointments_missed=done.appointments_missed, groups=groups)
    return jsonify(summary.model_dump(mode="json", by_alias=True))


def _day(name: str) -> date:
    try:
        return date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        raise ApiError(422, _("Field %(field)s must be a date like 2026-11-24.", field=name)) from None


def _names(office: Office, by: str) -> dict[int, str | int] | None:
    """What the split's ids stand for outside the database: codes, numbers, usernames."""
    if by not in KEYED_BY_ID:
        return None
    model, name = KEYED_BY_ID[by]
    return {row[0]: row[1] for row in read_db().execute(select(model.id, name).where(model.office_id == office.id))}


def _plain(key: Any) -> str | None:
    return None if key is None else key.isoformat() if isinstance(key, date) else str(key)


def _figures(t: Tally, key: str | int | None) -> shapes.ReportFigures:
    return shapes.ReportFigures(
        key=key, issued=t.issued, served=t.served, no_show=t.no_show, cancelled=t.cancelled,
        transferred=t.transferred, mean_wait_s=t.mean_wait_s, mean_walk_up_s=t.mean_walk_up_s,
        mean_service_s=t.mean_service_s, mean_visit_s=t.mean_visit_s, service_level=t.service_level,
        no_show_rate=t.no_show_rate, cancelled_rate=t.cancelled_rate, priority_share=t.priority_share,
        green_channel_share=t.green_channel_share, idle_s=t.idle_s)
