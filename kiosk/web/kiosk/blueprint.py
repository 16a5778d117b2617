"""The lobby kiosk's blueprint (`/kiosk`): every address needs the kiosk's device cookie; the words and the
office's state every kiosk page shows."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template, session
from flask_babel import get_locale, lazy_gettext
from htmx_flask import request

from kiosk.data.models import Device, Office
from kiosk.domain.languages import LANGUAGES
from kiosk.domain.queue.opening_hours import office_is_open, opening_week
from kiosk.web.common.db import read_db, runtime
from kiosk.web.common.htmx import no_store
from kiosk.web.common.i18n import LANGUAGE_NAMES, in_each_language
from kiosk.web.common.local_dates import local_time
from kiosk.web.common.pairing import paired_device
from printers import PrinterStatus

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
bp.after_request(no_store)  # nothing of a citizen stays in the browser's cache
PRIORITY_NAMES = {
    "elderly": lazy_gettext("An elderly person"),
    "child": lazy_gettext("A parent with a small child"),
    "disabled": lazy_gettext("A person with a disability"),
    "pregnant": lazy_gettext("A pregnant woman"),
    "urgent": lazy_gettext("An urgent case (green channel)"),
}
WEEKDAY_NAMES = {
    "mon": lazy_gettext("Monday"), "tue": lazy_gettext("Tuesday"), "wed": lazy_gettext("Wednesday"),
    "thu": lazy_gettext("Thursday"), "fri": lazy_gettext("Friday"), "sat": lazy_gettext("Saturday"),
    "sun": lazy_gettext("Sunday"),
}

@bp.before_request
def require_kiosk() -> tuple[str, int] | None:
    """Every kiosk address but the paired welcome one needs the kiosk's device cookie."""
    # Until the citizen chooses, the office's language, not the kiosk browser's own locale.
    g.language = session.get("kiosk_language") or runtime().config["i18n"]["default_language"]
    if request.endpoint == "kiosk.welcome":
        return None  # @paired handles `?device=` there
    g.device = paired_device("kiosk")
    if g.device is None:
        return render_template("unpaired.html", role="kiosk"), 401
    return None


@bp.context_processor
def kiosk_context() -> dict[str, Any]:
    return {"kiosk_config": runtime().config["kiosk"], "language_names": LANGUAGE_NAMES, "languages": LANGUAGES,
            "office_name": office_name, "office_state": office_state, "priority_names": PRIORITY_NAMES,
            "weekday_names": WEEKDAY_NAMES, "in_each_language": in_each_language}


def office_state() -> dict[str, Any]:
    """Whether the office issues tickets now, and since when this kiosk's printer is not working (None: it is)."""
    session = read_db()
    office, kiosk = session.get_one(Office, g.device.office_id), session.get_one(Device, g.device.device_id)
    since = None if PrinterStatus(kiosk.printer_state).ready else kiosk.printer_state_since
    return {"office": office, "is_open": office_is_open(office, runtime().clock()), "week": opening_week(office.hours),
            "printer_down_since": local_time(since, office.timezone) if since else None}


def office_name() -> str:
    """Called only by the full page's header, so a swapped partial costs no query."""
    office = read_db().get_one(Office, g.device.office_id)
    return office.name(str(get_locale()))
