"""CSRF on every form and htmx request of the screens (the bearer-token API is exempt).

The token lives as long as the session it is tied to, not an hour: a counter tablet, the supervisor's desk, the
lobby kiosk and a citizen's phone stay open all day, and their buttons must keep working. A request whose
session no longer holds its token (the session ended) reloads the page, which brings a fresh one.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from htmx_flask import request
from werkzeug.wrappers import Response


def protect(app: Flask, api: Blueprint) -> None:
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf = CSRFProtect(app)
    csrf.exempt(api)  # bearer tokens, not cookies: no cross-site request can carry one
    app.register_error_handler(CSRFError, page_expired)


def page_expired(error: CSRFError) -> Response | tuple[str, int]:
    if request.htmx:
        return Response(status=400, headers={"HX-Refresh": "true"})
    referrer = request.referrer or ""
    back = referrer if referrer.startswith(request.host_url) else "/"
    return render_template("page_expired.html", back=back), 400
