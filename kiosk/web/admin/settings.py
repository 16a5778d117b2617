"""The office's settings on the supervisor's desk: services, counters (and what they serve), staff accounts.

Each row is its own form, saved with one tap and swapped back in place with its problems beside the fields; a
new row reloads the page, where it takes its place in the list. Staff accounts are for admins only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, render_template
from flask_login import current_user
from htmx_flask import request
from sqlalchemy.orm import Session

from kiosk.data.models import OFFICE_ROLES, Counter, Office, Service, StaffUser
from kiosk.domain.languages import LANGUAGES
from kiosk.domain.office import accounts
from kiosk.domain.office import settings as office_settings
from kiosk.domain.office.accounts import AccountForm, SettingsError
from kiosk.domain.office.settings import CounterForm, ServiceForm
from kiosk.domain.whole_numbers import whole_number
from kiosk.web.admin.blueprint import bp
from kiosk.web.admin.views import office
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.sign_in import role_required

Saved = Service | Counter | StaffUser


@bp.get("/settings/services")
def services_page() -> str:
    rows = [(s.id, ServiceForm.of(s)) for s in office_settings.services(read_db(), office())]
    return render_template("admin/services.html", rows=rows, blank=ServiceForm("", "", {}), languages=LANGUAGES)


@bp.post("/settings/services", defaults={"service_id": None})
@bp.post("/settings/services/<int:service_id>")
def save_service(service_id: int | None) -> Response | str:
    form = ServiceForm(
        code=request.form.get("code", ""),
        prefix=request.form.get("prefix", ""),
        names={lang: request.form.get(f"name_{lang}", "") for lang in LANGUAGES},
        daily_cap=request.form.get("daily_cap", ""),
        needs_declaration="needs_declaration" in request.form,
        active="active" in request.form,
    )
    return save_row(
        "admin/_service_row.html", service_id, form, ServiceForm.of,
        lambda s, own: office_settings.save_service(s, own, service_id, form, runtime().clock(), current_user.actor),
        languages=LANGUAGES,
    )


@bp.get("/settings/counters")
def counters_page() -> str:
    session = read_db()
    rows = [(c.id, CounterForm.of(c), c.state) for c in office_settings.counters(session, office())]
    return render_template("admin/counters.html", rows=rows, blank=CounterForm("", "hall"),
                           services=office_settings.services(session, office()))


@bp.post("/settings/counters", defaults={"counter_id": None})
@bp.post("/settings/counters/<int:counter_id>")
def save_counter(counter_id: int | None) -> Response | str:
    weights = {service_id: value for key, value in request.form.items()
               if key.startswith("weight_") and (service_id := whole_number(key.removeprefix("weight_"))) is not None}
    form = CounterForm(number=request.form.get("number", ""), zone=request.form.get("zone", ""), weights=weights)
    return save_row(
        "admin/_counter_row.html", counter_id, form, CounterForm.of,
        lambda s, own: office_settings.save_counter(s, own, counter_id, form, runtime().clock(), current_user.actor),
        services=office_settings.services(read_db(), office()),
    )


@bp.get("/staff")
@role_required("admin")
def accounts_page() -> str:
    rows = [(u.id, AccountForm.of(u)) for u in accounts.accounts(read_db(), office())]
    return render_template("admin/accounts.html", rows=rows, blank=AccountForm("", "", "officer"), roles=OFFICE_ROLES)


@bp.post("/staff", defaults={"user_id": None})
@bp.post("/staff/<int:user_id>")
@role_required("admin")
def save_account(user_id: int | None) -> Response | str:
    form = AccountForm(
        username=request.form.get("username", ""),
        full_name=request.form.get("full_name", ""),
        role=request.form.get("role", ""),
        active="active" in request.form,
        password=request.form.get("password", ""),
    )
    return save_row(
        "admin/_account_row.html", user_id, form, AccountForm.of,
        lambda s, own: accounts.save_account(s, own, user_id, form, runtime().clock(), current_user.actor,
                                                 OFFICE_ROLES),
        roles=OFFICE_ROLES,
    )


def save_row(
    template: str, row_id: int | None, typed: Any, as_form: Callable[[Any], Any],
    save: Callable[[Session, Office], Saved], **context: Any,
) -> Response | str:
    """Save one row and show it again: as stored, or as typed with its problems."""
    session = db()
    try:
        with session.begin():
            saved = save(session, session.get_one(Office, current_user.office_id))
            shown = as_form(saved)
    except SettingsError as exc:
        return render_template(template, row_id=row_id, form=typed, problems=exc.problems, **context)
    if row_id is None:
        return Response(status=204, headers={"HX-Refresh": "true"})
    return render_template(template, row_id=row_id, form=shown, problems={}, saved=True, **context)
