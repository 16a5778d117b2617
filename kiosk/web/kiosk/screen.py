"""What the kiosk's screens share: a partial or the whole page, issuing a ticket and showing it, forgetting the
citizen.

The citizen's state lives on the server: the chosen language, the ticket just issued and the key of an unfinished
declaration are in the session (signed cookie, nothing personal); the declaration itself is a database draft.
A wipe (idle timeout, "done", back at the welcome screen) forgets all of it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import g, render_template, session
from flask_babel import get_locale
from htmx_flask import request
from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office, Ticket
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.printing import jobs
from kiosk.domain.queue.errors import QueueError
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.printing import wake_spooler
from kiosk.web.common.public_ticket import issued_ticket, public_ticket
from kiosk.web.common.qr import qr_svg
from kiosk.web.common.refusals import queue_refusal

# Everything one citizen leaves in the session; the next citizen starts without any of it.
SESSION_KEYS = ("kiosk_language", "kiosk_draft", "kiosk_step", "kiosk_ticket", "kiosk_priority")
Issue = Callable[[Session, Office, datetime, dict[str, Any]], Ticket]


def screen(partial: str, **context: Any) -> str:
    """The partial for htmx; the whole kiosk page around it for a first load or a reload."""
    return render_template(partial if request.htmx else "kiosk/page.html", partial=partial, **context)


def issue_and_show(issue: Issue) -> str:
    """Issue in one transaction, then show the ticket; a queue refusal is a screen, not an error page."""
    rt, session_ = runtime(), db()
    options = {"priority": session.get("kiosk_priority"), "language": str(get_locale()), "source": "kiosk",
               "actor": g.device.actor}
    try:
        with session_.begin():
            office = session_.get_one(Office, g.device.office_id)
            now = rt.clock()
            ticket = issue(session_, office, now, options)
            printer_url = jobs.printer_for("kiosk", g.device.printer_url, rt.config)
            if printer_url:  # the job commits with the ticket; the screen shows the ticket either way
                jobs.enqueue(session_, ticket, printer_url, now, g.device.device_id)
    except QueueError as exc:
        return screen("kiosk/_refusal.html", message=queue_refusal(exc)[1])
    if printer_url:
        wake_spooler()
    for key in ("kiosk_draft", "kiosk_step", "kiosk_priority"):
        session.pop(key, None)
    session["kiosk_ticket"] = ticket.id
    return ticket_screen(issued_ticket(session_, ticket, office, printing=bool(printer_url)), ticket)


def show_ticket(ticket_id: int, again: bool = False) -> str:
    """A ticket issued earlier; `again`: a code used earlier today, its ticket shown rather than a new one."""
    return ticket_screen(public_ticket(read_db(), ticket_id), read_db().get_one(Ticket, ticket_id), again)


def ticket_screen(ticket: dict[str, Any], row: Ticket, again: bool = False) -> str:
    """The public ticket, the priority the citizen just asked for (from its row, never sent in the public one) and
    the code of the declaration it brings."""
    declared = read_db().get(Declaration, row.declaration_id) if row.declaration_id else None
    return screen("kiosk/_ticket.html", ticket=ticket, asked=row.priority, qr=qr_svg(ticket["status_url"]),
                  declaration_code=declared.code if declared else None, again=again)


def wipe_citizen() -> None:
    """Forget the citizen: the unfinished draft in the database and everything in the session."""
    key = session.get("kiosk_draft")
    if key:
        with db().begin():
            declarations.discard(db(), key)
    for name in SESSION_KEYS:
        session.pop(name, None)
