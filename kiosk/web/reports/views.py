"""The reports page and its exports: parse the period, compute the report once, show it or write one table."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from htmx_flask import request
from sqlalchemy import select
from werkzeug.wrappers import Response

from kiosk.data.models import Counter, Office, Service, StaffUser
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.statistics.kpis import SPLITS, Report
from kiosk.domain.statistics.periods import NAMED, Period, PeriodError, named_period, typed_period
from kiosk.web.common.db import read_db, runtime
from kiosk.web.common.exports import FORMATS, Table, download
from kiosk.web.common.htmx import no_store
from kiosk.web.common.report_figures import office_report
from kiosk.web.common.sign_in import require, staff_language
from kiosk.web.reports import charts, tables
from kiosk.web.reports.blueprint import bp

DEFAULT_PERIOD = "month"


@bp.before_request
def guard() -> Response | None:
    staff_language()
    return require("supervisor")()


bp.after_request(no_store)


@dataclass(frozen=True)
class Computed:
    report: Report
    tables: dict[str, Table]


@bp.get("")
def page() -> tuple[str, int] | str:
    own = read_db().get_one(Office, current_user.office_id)
    chosen = _chosen(own)
    if isinstance(chosen, str):
        return render_template("reports/page.html", problem=chosen, **_form(own)), 400
    computed = _compute(own, chosen)
    by = request.args.get("by", "service") if request.args.get("by") in SPLITS else "service"
    target_min = runtime().config["reports"]["target_wait_min"]
    return render_template(
        "reports/page.html", computed=computed, by=by, period=chosen, problem=None, target_min=target_min,
        waiting_chart=charts.waiting_chart(computed.tables["waiting"]),
        waits_chart=charts.waits_chart(computed.tables["waits"]),
        level_chart=charts.level_chart(computed.tables["day"], target_min), **_form(own))


@bp.get("/export.<file_format>")
def export(file_format: str) -> Response:
    """One of the page's tables as CSV or XLSX, for the same period."""
    own = read_db().get_one(Office, current_user.office_id)
    chosen = _chosen(own)
    if file_format not in FORMATS or isinstance(chosen, str):
        abort(404 if file_format not in FORMATS else 400)
    table = _compute(own, chosen).tables.get(request.args.get("table", "summary"))
    if table is None:
        abort(404)
    return download(table, file_format)


def _chosen(own: Office) -> Period | str:
    """The period asked for (this month unless told), or what is wrong with it."""
    name = request.args.get("period", DEFAULT_PERIOD)
    try:
        if name == "custom":
            return typed_period(request.args.get("from", ""), request.args.get("to", ""))
        return named_period(name if name in NAMED else DEFAULT_PERIOD, service_day(own, runtime().clock()))
    except PeriodError:
        return _("Choose a start and an end day, the end not before the start, at most three years apart.")


def _compute(own: Office, period: Period) -> Computed:
    session = read_db()
    done = office_report(own, period)
    names = tables.Names(
        {s.id: s.name(str(get_locale())) for s in session.scalars(select(Service).where(Service.office_id == own.id))},
        {row.id: row.number for row in session.execute(select(Counter.id, Counter.number)
                                                          .where(Counter.office_id == own.id))},
        {row.id: row.full_name for row in session.execute(select(StaffUser.id, StaffUser.full_name)
                                                          .where(StaffUser.office_id == own.id))})
    made = {"summary": tables.summary(done), "arrivals": tables.arrivals(done.shape),
            "waiting": tables.waiting(done.shape), "waits": tables.waits(done)} | {
        by: tables.split(done, by, names) for by in SPLITS}
    return Computed(done, made)


def _form(own: Office) -> dict[str, object]:
    query = {key: request.args.get(key, "") for key in ("period", "from", "to")}
    return {"named": NAMED, "splits": SPLITS, "split_names": tables.SPLIT_NAMES, "timezone": own.timezone,
            "query": query | {"period": query["period"] or DEFAULT_PERIOD}}
