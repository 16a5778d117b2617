"""The desk's plan (`/admin/plan`): arrivals forecast and counters needed for tomorrow and the coming days, set
against the counters open lately, and how close the wait estimate came to the waits, before and now."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import get_locale
from sqlalchemy import select

from kiosk.data.models import Service
from kiosk.domain.forecast.backtest import ALL, recent_accuracy
from kiosk.domain.forecast.plan import office_plan
from kiosk.domain.forecast.staffing import Target
from kiosk.web.admin.blueprint import bp
from kiosk.web.admin.views import office
from kiosk.web.common.db import read_db, runtime

ACCURACY_DAYS = 28


@bp.get("/plan")
def plan_page() -> str:
    session, own, rt = read_db(), office(), runtime()
    wanted, now = rt.config["forecast"], rt.clock()
    target = Target(rt.config["reports"]["target_wait_min"] * 60, wanted["service_level"])
    plan = office_plan(session, own, now, target, wanted["horizon_days"], rt.settings.default_service_s)
    accuracy = recent_accuracy(session, own, now, rt.settings, ACCURACY_DAYS)
    services = {s.id: s.name(str(get_locale())) for s in session.scalars(select(Service).where(
        Service.office_id == own.id))}
    return render_template("admin/plan.html", plan=plan, accuracy=accuracy, services=services, everything=ALL,
                           accuracy_days=ACCURACY_DAYS)


@bp.app_template_global()
def booking_url() -> str | None:
    """The booking page's address when this server has one: the kiosk and the phone page offer it to a citizen
    who may not be served today (registered app-wide for them; booking is a screen of its own, maybe absent)."""
    return next((rule.rule for rule in current_app.url_map.iter_rules() if rule.rule == "/book"), None)
