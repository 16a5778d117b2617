"""Reprinting a ticket, for the kiosk ("print again") and staff (after the printer is fixed)."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from kiosk.data.models import Office
from kiosk.domain.printing import jobs
from kiosk.domain.queue.tickets import find_ticket
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.blueprint import bp
from kiosk.web.api.errors import ApiError
from kiosk.web.common.db import db, runtime
from kiosk.web.common.printing import reprint_refusal, wake_spooler


@bp.post("/tickets/<token>/reprint")
@requires("kiosk", "staff")
def reprint_ticket(token: str) -> tuple[Response, int]:
    """A kiosk reprints on its own printer; staff on the printer the ticket last went to (else their own)."""
    rt, session, who = runtime(), db(), caller()
    own = jobs.printer_for(who.role, who.printer_url, rt.config)
    with session.begin():
        ticket = find_ticket(session, session.get_one(Office, who.office_id), token)
        if who.role == "staff" and jobs.latest_job(session, ticket.id) is not None:
            own = None
        try:
            job = jobs.reprint(
                session, ticket, rt.clock(), printer_url=own, device_id=who.device_id if own else None,
                actor=who.actor,
            )
        except jobs.NoPrinterError:
            raise ApiError(409, _("No printer is set up for this ticket.")) from None
        except jobs.ReprintRefusedError as refused:
            raise ApiError(409, reprint_refusal(refused)) from None
        answer = {"job": jobs.job_payload(job, ticket.number), "print_status": job.status}
    wake_spooler()
    return jsonify(answer), 201

