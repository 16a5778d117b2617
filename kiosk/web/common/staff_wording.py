"""Words and times the staff console and the supervisor's desk share (templates get them as context)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext

from kiosk.web.common.local_dates import local_day, local_moment, local_time

STATUS_NAMES = {
    "waiting": lazy_gettext("Waiting"),
    "called": lazy_gettext("Called"),
    "serving": lazy_gettext("Serving"),
    "done": lazy_gettext("Done"),
    "no_show": lazy_gettext("Did not come"),
    "cancelled": lazy_gettext("Given up by the citizen"),
    "transferred": lazy_gettext("Transferred, waiting"),
}
PRIORITY_NAMES = {
    "elderly": lazy_gettext("Elderly"),
    "child": lazy_gettext("Small child"),
    "disabled": lazy_gettext("Disability"),
    "pregnant": lazy_gettext("Pregnant"),
    "urgent": lazy_gettext("Urgent (green channel)"),
}
STATE_NAMES = {"open": lazy_gettext("Open"), "paused": lazy_gettext("Paused"), "closed": lazy_gettext("Closed")}
ROLE_NAMES = {"officer": lazy_gettext("Officer"), "supervisor": lazy_gettext("Supervisor"),
              "admin": lazy_gettext("Administrator"), "province": lazy_gettext("Province supervisor")}
DEVICE_ROLE_NAMES = {"kiosk": lazy_gettext("Kiosk"), "display": lazy_gettext("Hall display"),
                "staff": lazy_gettext("Counter tablet"), "counter_screen": lazy_gettext("Counter screen"),
                "rating_pad": lazy_gettext("Rating pad")}
# The citizen's language as the officer reads it (the ticket's language code, in the desk's words).
CITIZEN_LANGUAGES = {"vi": lazy_gettext("Vietnamese"), "en": lazy_gettext("English"), "zh": lazy_gettext("Chinese")}
PRINTER_STATES = {
    "ok": lazy_gettext("Printer ready"),
    "paper_out": lazy_gettext("Out of paper"),
    "cover_open": lazy_gettext("Cover open"),
    "offline": lazy_gettext("Printer offline"),
    "unknown": lazy_gettext("Printer state unknown"),
}


def staff_context() -> dict[str, Any]:
    return {"status_names": STATUS_NAMES, "priority_names": PRIORITY_NAMES, "state_names": STATE_NAMES,
            "role_names": ROLE_NAMES, "device_roles": DEVICE_ROLE_NAMES, "printer_states": PRINTER_STATES,
            "citizen_languages": CITIZEN_LANGUAGES,
            "local_time": local_time, "local_day": local_day, "local_moment": local_moment}
