"""The audit log in the desk's language: a name for each kind of event, who did it, and one sentence for what
happened, for every kind the product records. A kind this file does not know (a newer version's, say) is still
shown, as its kind and its details, never hidden."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import format_date, get_locale, lazy_gettext, ngettext
from flask_babel import gettext as _

from kiosk.data.models import Event
from kiosk.domain.events.audit import AuditNames
from kiosk.web.common.local_dates import local_moment
from kiosk.web.common.staff_wording import (
    CITIZEN_LANGUAGES,
    DEVICE_ROLE_NAMES,
    PRINTER_STATES,
    PRIORITY_NAMES,
    ROLE_NAMES,
)

Payload = dict[str, Any]
Sentence = Callable[[Payload, AuditNames], str]

KIND_NAMES = {
    "ticket.issued": lazy_gettext("Ticket issued"),
    "ticket.called": lazy_gettext("Ticket called"),
    "ticket.recalled": lazy_gettext("Called again"),
    "ticket.serving": lazy_gettext("Service started"),
    "ticket.done": lazy_gettext("Ticket done"),
    "ticket.no_show": lazy_gettext("Did not come"),
    "ticket.requeued": lazy_gettext("Back in the queue"),
    "ticket.transferred": lazy_gettext("Sent to another service"),
    "ticket.cancelled": lazy_gettext("Given up by the citizen"),
    "ticket.priority_approved": lazy_gettext("Priority approved"),
    "ticket.priority_refused": lazy_gettext("Priority refused"),
    "counter.state": lazy_gettext("Counter opened, paused or closed"),
    "counter.saved": lazy_gettext("Counter settings"),
    "service.saved": lazy_gettext("Service settings"),
    "staff.login": lazy_gettext("Sign-in"),
    "staff.login_failed": lazy_gettext("Failed sign-in"),
    "staff.logout": lazy_gettext("Sign-out"),
    "staff.account": lazy_gettext("Staff account"),
    "device.revoked": lazy_gettext("Device revoked"),
    "database.restored": lazy_gettext("Database restored"),
    "print.status": lazy_gettext("Printing"),
    "printer.state": lazy_gettext("Printer state"),
    "print.expired": lazy_gettext("Prints expired"),
    "declaration.opened": lazy_gettext("Declaration opened"),
    "checkin.refused": lazy_gettext("Code refused at the kiosk"),
    "rating.given": lazy_gettext("Rating by a citizen"),
    "appointment.booked": lazy_gettext("Time booked"),
    "appointment.cancelled": lazy_gettext("Booking cancelled"),
    "appointment.no_show": lazy_gettext("Booking missed"),
    "appointment.holder_checked": lazy_gettext("Booker's ID card checked"),
    "calendar.changed": lazy_gettext("Booking calendar changed"),
    "calendar.day": lazy_gettext("Booking calendar: a day set"),
    "calendar.day_removed": lazy_gettext("Booking calendar: a day removed"),
    "rating.details": lazy_gettext("Rating's details"),
    "case.opened": lazy_gettext("Complaint case opened"),
    "case.assigned": lazy_gettext("Complaint case assigned"),
    "case.called_back": lazy_gettext("Citizen called back"),
    "case.closed": lazy_gettext("Complaint case closed"),
}


def kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))


def kind_choices(kinds: list[str]) -> list[tuple[str, str]]:
    """The filter's choices, (kind, name), in the order of their names."""
    return sorted(((kind, kind_name(kind)) for kind in kinds), key=lambda choice: choice[1].casefold())


def who(actor: str | None, names: AuditNames) -> str:
    """The actor as the desk knows them: a person's name, a device's name, the citizen, or the system."""
    if actor is None:
        return _("The system")
    if actor == "citizen":
        return _("The citizen")
    kind, _colon, key = actor.partition(":")
    if kind == "staff" and key in names.staff:
        return f"{names.staff[key]} ({key})"
    if kind == "device" and key.isdigit() and int(key) in names.devices:
        return names.devices[int(key)]
    return key or actor


def what_happened(event: Event, names: AuditNames) -> str:
    """One sentence for the event; an unknown kind, or an old event missing a detail, as its raw details."""
    sentence = SENTENCES.get(event.kind)
    try:
        return sentence(event.payload, names) if sentence else details(event.payload)
    except (KeyError, TypeError, ValueError):
        return details(event.payload)


def details(payload: Payload) -> str:
    return " · ".join(f"{key} {value}" for key, value in sorted(payload.items()) if value not in (None, ""))


def named(words: Mapping[str, object], key: Any) -> str:
    """A code in words (a role, a language, a printer's state); the code itself if these words lack it."""
    return str(words.get(key, key)) if key is not None else "—"


def service(code: str, names: AuditNames) -> str:
    found = names.services.get(code)
    return found.name(str(get_locale())) if found else code


def _issued(p: Payload, n: AuditNames) -> str:
    words = {"number": p["number"], "service": service(p["service"], n),
             "language": named(CITIZEN_LANGUAGES, p.get("language"))}
    if p.get("priority"):
        return _("%(number)s issued for %(service)s (%(language)s), asking for priority.", **words)
    return _("%(number)s issued for %(service)s (%(language)s).", **words)


def _called(p: Payload, _n: AuditNames) -> str:
    if p.get("out_of_order"):
        return _("%(number)s called out of turn to counter %(counter)s: %(reason)s.", number=p["number"],
                 counter=p["counter"], reason=p.get("reason") or "—")
    return _("%(number)s called to counter %(counter)s.", number=p["number"], counter=p["counter"])


def _done(p: Payload, _n: AuditNames) -> str:
    if p.get("counter") is None:
        return _("%(number)s finished.", number=p["number"])
    return _("%(number)s finished at counter %(counter)s.", number=p["number"], counter=p["counter"])


def _transferred(p: Payload, n: AuditNames) -> str:
    words = {"number": p["number"], "counter": p["from_counter"], "service": service(p["service"], n)}
    if p.get("note"):
        return _("%(number)s sent from counter %(counter)s to %(service)s, with the note: %(note)s", note=p["note"],
                 **words)
    return _("%(number)s sent from counter %(counter)s to %(service)s.", **words)


def _priority(approved: bool) -> Sentence:
    def say(p: Payload, _n: AuditNames) -> str:
        kind = named(PRIORITY_NAMES, p.get("asked"))
        if approved:
            return _("Priority for %(number)s (%(kind)s) approved.", number=p["number"], kind=kind)
        return _("Priority for %(number)s (%(kind)s) refused; it keeps its place as a normal ticket.",
                 number=p["number"], kind=kind)
    return say


def _counter_state(p: Payload, _n: AuditNames) -> str:
    said = {"open": _("Counter %(counter)s opened."), "paused": _("Counter %(counter)s paused."),
            "closed": _("Counter %(counter)s closed.")}
    return said[p["state"]] % {"counter": p["counter"]}


def _counter_saved(p: Payload, n: AuditNames) -> str:
    served = ", ".join(service(n.service_codes[sid], n) for sid in p["services"] if sid in n.service_codes)
    return _("Counter %(counter)s saved: zone %(zone)s, serving %(services)s.", counter=p["counter"], zone=p["zone"],
             services=served or "—")


def _service_saved(p: Payload, n: AuditNames) -> str:
    words = {"service": service(p["service"], n), "letter": p["prefix"]}
    if p.get("active") is False:
        return _("Service %(service)s (letter %(letter)s) saved and no longer offered.", **words)
    return _("Service %(service)s (letter %(letter)s) saved.", **words)


def _account(p: Payload, _n: AuditNames) -> str:
    words = {"username": p["username"], "role": named(ROLE_NAMES, p.get("role"))}
    if p.get("active") is False:
        return _("Account %(username)s (%(role)s) saved and switched off.", **words)
    if p.get("password_changed"):
        return _("Account %(username)s (%(role)s) saved, with a new password.", **words)
    return _("Account %(username)s (%(role)s) saved.", **words)


def _print_status(p: Payload, _n: AuditNames) -> str:
    status, number = p["print_status"], p["number"]
    if status == "pending" and p.get("attempts"):
        return _("%(number)s did not print (%(error)s); it waits for its printer.", number=number,
                 error=p.get("error") or named(PRINTER_STATES, p.get("printer_state")))
    said = {"pending": _("%(number)s sent to the printer."), "printing": _("%(number)s is printing."),
            "printed": _("%(number)s printed."),
            "skipped": _("%(number)s not printed: its citizen had already been called."),
            "expired": _("%(number)s never printed on its day."), "failed": _("%(number)s could not be printed.")}
    return said[status] % {"number": number}


def _printer_state(p: Payload, n: AuditNames) -> str:
    words = {"device": n.devices.get(p["device_id"], p["device_id"]), "state": PRINTER_STATES[p["state"]]}
    if p.get("detail"):
        return _("Printer of %(device)s: %(state)s (%(detail)s).", detail=p["detail"], **words)
    return _("Printer of %(device)s: %(state)s.", **words)


def _declaration(p: Payload, _n: AuditNames) -> str:
    if p.get("counter") is None:
        return _("Declaration of %(number)s opened.", number=p["number"])
    return _("Declaration of %(number)s opened at counter %(counter)s.", number=p["number"], counter=p["counter"])


def _code_refused(p: Payload, _n: AuditNames) -> str:
    said = {"unknown": _("A code typed at a kiosk was refused: no such code."),
            "used": _("A code typed at a kiosk was refused: it had already been used."),
            "not_today": _("A code typed at a kiosk was refused: its appointment is on another day."),
            "expired": _("A code typed at a kiosk was refused: it was past its validity."),
            "cancelled": _("A code typed at a kiosk was refused: its booking was cancelled."),
            "too_early": _("A code typed at a kiosk was refused: too early for its booked time."),
            "too_late": _("A code typed at a kiosk was refused: too late for its booked time.")}
    return said.get(p["reason"], _("A code typed at a kiosk was refused."))


def _booking(said: Any) -> Sentence:  # a lazy string: translated when the page is drawn
    def sentence(p: Payload, n: AuditNames) -> str:
        slot = local_moment(datetime.fromisoformat(p["slot"]), n.timezone, year=False)
        return str(said) % {"service": service(p["service"], n), "slot": slot}
    return sentence


def _calendar_changed(p: Payload, n: AuditNames) -> str:
    if not p["kept"]:
        return _("The booking calendar of %(service)s was changed.", service=service(p["service"], n))
    return ngettext("The booking calendar of %(service)s was changed; %(num)s booking it strands was kept.",
                    "The booking calendar of %(service)s was changed; %(num)s bookings it strands were kept.",
                    p["kept"], service=service(p["service"], n))


def _calendar_day(p: Payload, _n: AuditNames) -> str:
    day = format_date(date.fromisoformat(p["day"]))
    if p.get("kind") == "extra":
        return _("Extra booking hours on %(day)s.", day=day)
    return _("No bookings on %(day)s (closed).", day=day)


SENTENCES: dict[str, Sentence] = {
    "ticket.issued": _issued,
    "ticket.called": _called,
    "ticket.recalled": lambda p, _n: _("%(number)s called again to counter %(counter)s (call %(calls)s).",
                                       number=p["number"], counter=p["counter"], calls=p["recall_count"] + 1),
    "ticket.serving": lambda p, _n: _("Counter %(counter)s started serving %(number)s.", number=p["number"],
                                      counter=p["counter"]),
    "ticket.done": _done,
    "ticket.no_show": lambda p, _n: _("%(number)s did not come to counter %(counter)s.", number=p["number"],
                                      counter=p["counter"]),
    "ticket.requeued": lambda p, _n: _("%(number)s did not come and went back to the end of the queue.",
                                       number=p["number"]),
    "ticket.transferred": _transferred,
    "ticket.cancelled": lambda p, _n: _("%(number)s was given up by the citizen.", number=p["number"]),
    "ticket.priority_approved": _priority(approved=True),
    "ticket.priority_refused": _priority(approved=False),
    "counter.state": _counter_state,
    "counter.saved": _counter_saved,
    "service.saved": _service_saved,
    "staff.login": lambda p, n: _("%(name)s signed in as %(role)s from %(address)s.", address=p["address"],
                                  name=who(f"staff:{p['username']}", n), role=ROLE_NAMES[p["role"]]),
    "staff.login_failed": lambda p, _n: _("Failed sign-in as %(username)s from %(address)s.",
                                          username=p["username"], address=p["address"]),
    "staff.logout": lambda p, n: _("%(name)s signed out.", name=who(f"staff:{p['username']}", n)),
    "staff.account": _account,
    "device.revoked": lambda p, _n: _("%(device)s (%(role)s) revoked: it works again only with a new token.",
                                      device=p["name"], role=DEVICE_ROLE_NAMES[p["role"]]),
    "database.restored": lambda p, _n: _("The database was restored from the backup %(backup)s.",
                                         backup=p["backup"]),
    "print.status": _print_status,
    "printer.state": _printer_state,
    "print.expired": lambda p, _n: ngettext("%(num)s ticket never printed on its day and expired.",
                                            "%(num)s tickets never printed on their day and expired.", p["count"]),
    "declaration.opened": _declaration,
    "checkin.refused": _code_refused,
    # A rating's level and what the citizen wrote stay on the complaints page: the log says only that it came.
    "rating.given": lambda p, _n: (_("A citizen rated a ticket on the rating pad.") if p.get("source") == "pad"
                                   else _("A citizen rated a ticket on their phone.")),
    "rating.details": lambda p, _n: _("A citizen added details to their rating."),
    "appointment.booked": _booking(lazy_gettext("%(service)s booked for %(slot)s.")),
    "appointment.cancelled": _booking(lazy_gettext("The booking for %(service)s at %(slot)s was cancelled.")),
    "appointment.no_show": _booking(lazy_gettext("The booking for %(service)s at %(slot)s was never checked in.")),
    "appointment.holder_checked": lambda p, _n: (
        _("The ID card shown for %(number)s is the one its booking was made with.", number=p["number"])
        if p["matches"] else
        _("The ID card shown for %(number)s is NOT the one its booking was made with.", number=p["number"])),
    "calendar.changed": _calendar_changed,
    "calendar.day": _calendar_day,
    "calendar.day_removed": lambda p, _n: _("The booking calendar's special day %(day)s was removed.",
                                            day=format_date(date.fromisoformat(p["day"]))),
    "case.opened": lambda p, _n: _("Complaint case %(case)s opened by a rating below satisfied.", case=p["case_id"]),
    "case.assigned": lambda p, n: _("Complaint case %(case)s assigned to %(name)s.", case=p["case_id"],
                                    name=who(f"staff:{p['assignee']}", n)),
    "case.called_back": lambda p, _n: _("The citizen of complaint case %(case)s was called back.", case=p["case_id"]),
    "case.closed": lambda p, _n: (_("Complaint case %(case)s closed after its deadline.", case=p["case_id"])
                                  if p.get("late")
                                  else _("Complaint case %(case)s closed in time.", case=p["case_id"])),
}
