"""What the counter console says after a button did its work, in the officer's language."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from kiosk.data.models import Ticket
from kiosk.domain.queue.at_counter import CounterRequest


def outcome(ask: CounterRequest, ticket: Ticket | None) -> str:
    if ask.action == "state":
        return {"open": _("The counter is open."), "paused": _("The counter is paused."),
                "closed": _("The counter is closed.")}[ask.state]
    if ticket is None:
        return _("Nobody is waiting.")
    number = ticket.number
    if ask.action == "call_next":
        return _("Called %(number)s.", number=number)
    if ask.action == "call":
        return _("Called %(number)s out of turn.", number=number)
    if ask.action == "recall":
        return _("Called %(number)s again (%(count)s).", number=number, count=ticket.recall_count)
    if ask.action == "start":
        return _("Serving %(number)s.", number=number)
    if ask.action == "complete":
        return _("%(number)s is done.", number=number)
    if ask.action == "no_show" and ask.requeue:
        return _("%(number)s did not come and is back at the end of the queue.", number=number)
    if ask.action == "no_show":
        return _("%(number)s did not come.", number=number)
    return _("%(number)s was sent to %(service)s, keeping its place.", number=number,
             service=ticket.service.name(str(get_locale())))
