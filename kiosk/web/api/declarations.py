"""Declarations for the national portal's bridge (and tests): a whole TK01/TK01a sent at once gets its code, and a
staff integration reads one by its code. The checks are the kiosk's (kiosk.domain.declarations)."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import get_locale
from flask_babel import gettext as _

from kiosk.data.models import Office
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.declarations.opening import open_by_code
from kiosk.domain.queue.numbering import service_day
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.blueprint import bp
from kiosk.web.api.errors import ApiError
from kiosk.web.api.inputs import read_body
from kiosk.web.api.shapes import Declare
from kiosk.web.common.db import db, runtime


@bp.post("/declarations")
@requires("kiosk", "staff")
def create_declaration() -> tuple[Response, int]:
    body = read_body(Declare)
    who, rt, session, now = caller(), runtime(), db(), runtime().clock()
    try:
        with session.begin():
            office = session.get_one(Office, who.office_id)
            declaration = declarations.declare(session, office, body.form, body.language or str(get_locale()),
                                               dict(body.fields), service_day(office, now), now, source="portal")
            config = rt.config["declarations"]
            answer = {"code": declaration.code,
                      "expires_at": declarations.valid_until(office, declaration, config).isoformat(),
                      "service": declarations.service_for(declaration, config)}
    except declarations.DeclarationRefusedError as refused:
        fields = {key: _(problem.message, **problem.params) for key, problem in refused.problems.items()}
        return jsonify(error=_("The declaration has mistakes; see each field."), fields=fields), 422
    return jsonify(answer), 201


@bp.get("/declarations/<code>")
@requires("staff")
def read_declaration(code: str) -> Response:
    """Personal data: staff tokens only, and each look is logged as an opening (who, which counter)."""
    who, rt, session = caller(), runtime(), db()
    with session.begin():
        office = session.get_one(Office, who.office_id)
        declaration = open_by_code(session, office, code, rt.clock(), who.actor, who.counter_number)
        if declaration is None:
            raise ApiError(404, _("We could not find this code. Please check the digits and try again."))
        answer = {"code": declaration.code, "form": declaration.kind, "status": declaration.status,
                  "language": declaration.language,
                  "submitted_at": declaration.submitted_at.isoformat() if declaration.submitted_at else None,
                  "expires_at": declarations.valid_until(office, declaration, rt.config["declarations"]).isoformat(),
                  "fields": dict(declaration.fields)}
    return jsonify(answer)
