"""The booking calendar on the supervisor's desk: each service's slots, places, walk-in share and horizon by
weekday; closed days and extra sessions. Effective at once; a change that would strand bookings lists them and
is saved only when the supervisor keeps them."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from htmx_flask import request

from kiosk.data.models import Appointment, Office, Service
from kiosk.domain.appointments import calendar, calendar_desk
from kiosk.domain.appointments.calendar_desk import CalendarForm, CalendarPlan, DayForm
from kiosk.domain.queue.opening_hours import WEEKDAYS
from kiosk.domain.whole_numbers import whole_number
from kiosk.web.admin.blueprint import bp
from kiosk.web.admin.views import office
from kiosk.web.common.bookings import booking_rules
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.local_dates import local_day, local_moment


@bp.get("/calendar")
def calendar_page() -> str:
    return _page()


@bp.post("/calendar/<int:service_id>")
def save_calendar(service_id: int) -> tuple[str, int] | str:
    form = CalendarForm(
        bookable="bookable" in request.form, slot_min=request.form.get("slot_min", ""),
        places=request.form.get("places", ""), walk_in_percent=request.form.get("walk_in_percent", ""),
        horizon_days=request.form.get("horizon_days", ""),
        sessions={day: request.form.get(f"sessions_{day}", "") for day in WEEKDAYS})
    session = db()
    with session.begin():
        own = session.get_one(Office, current_user.office_id)
        service = _service(own, service_id)
        if service is None:
            return _page(error=_("No such service.")), 404
        plan = calendar_desk.save_calendar(session, own, service, form, runtime().clock(), booking_rules(),
                                           current_user.actor, keep_stranded="keep" in request.form)
    return _answer(plan, {service_id: form}, service_id)


@bp.post("/calendar/days")
def add_day() -> tuple[str, int] | str:
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        return _page(error=_("Choose a day from today on.")), 422
    service_id = whole_number(request.form.get("service", "")) if request.form.get("service") else None
    form = DayForm(day, request.form.get("kind", ""), service_id, request.form.get("opens", ""),
                   request.form.get("closes", ""), request.form.get("note", ""))
    session = db()
    with session.begin():
        own = session.get_one(Office, current_user.office_id)
        if service_id is not None and _service(own, service_id) is None:
            return _page(error=_("No such service.")), 404
        plan = calendar_desk.add_day(session, own, form, runtime().clock(), booking_rules(), current_user.actor,
                                     keep_stranded="keep" in request.form)
    return _answer(plan, {}, None, day_form=form)


@bp.post("/calendar/days/<int:day_id>/remove")
def remove_day(day_id: int) -> str:
    session = db()
    with session.begin():
        calendar_desk.remove_day(session, session.get_one(Office, current_user.office_id), day_id,
                                 runtime().clock(), current_user.actor)
    return _page(message=_("Removed."))


def _answer(plan: CalendarPlan, forms: dict[int, CalendarForm], service_id: int | None,
            day_form: DayForm | None = None) -> tuple[str, int] | str:
    if plan.problems:
        problems = {key: _(p.message, **p.params) for key, p in plan.problems.items()}
        return _page(forms=forms, problems={service_id: problems}, error=next(iter(problems.values()))), 422
    if not plan.saved:
        return _page(forms=forms, stranded=plan.stranded, asking=service_id, day_form=day_form), 409
    kept = ngettext("Saved. %(num)s booking kept at its time.", "Saved. %(num)s bookings kept at their times.",
                    len(plan.stranded)) if plan.stranded else None
    return _page(message=kept or _("Saved."))


def _service(own: Office, service_id: int) -> Service | None:
    return next((s for s in own.services if s.id == service_id), None)


def _page(*, forms: dict[int, CalendarForm] | None = None, problems: dict[int | None, dict[str, str]] | None = None,
          stranded: list[Appointment] | None = None, asking: int | None = None, day_form: DayForm | None = None,
          message: str | None = None, error: str | None = None) -> str:
    own, rules, session = office(), booking_rules(), read_db()
    shown = {s.id: (forms or {}).get(s.id) or CalendarForm.of(calendar.calendar_of(session, own, s, rules))
             for s in own.services if s.active}
    return render_template("admin/calendar.html", services=[s for s in own.services if s.active], forms=shown,
                           problems=problems or {}, stranded=stranded or [], asking=asking, day_form=day_form,
                           days=calendar_desk.days_ahead(session, own, runtime().clock()), weekdays=WEEKDAYS,
                           message=message, error=error, local_day=local_day, local_moment=local_moment,
                           timezone=own.timezone, hours=own.hours)
