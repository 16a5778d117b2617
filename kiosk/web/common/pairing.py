"""Screens open paired to a device: `/kiosk?device=TOKEN` once, then the token lives in a cookie.

The token is moved out of the address straight away (a redirect), so it is not left in the browser's history
or on the screen, and each role has its own cookie, so one test laptop can be kiosk, display and tablet at once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import g, redirect, render_template, request
from werkzeug.wrappers import Response

from kiosk.domain.office.devices import device_for_token, mark_seen, seen_lately
from kiosk.web.common.db import runtime
from kiosk.web.common.devices import Caller

F = TypeVar("F", bound=Callable[..., Any])
COOKIE_MAX_AGE_S = 400 * 24 * 3600  # a kiosk is paired once; browsers cap cookies at 400 days


def cookie_name(role: str) -> str:
    return f"device_{role}"


def paired(role: str) -> Callable[[F], F]:
    """Let the view run only on a browser paired to a device of this role; `g.device` is that device."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            offered = request.args.get("device")
            if offered is not None:
                return pair(role, offered)
            device = paired_device(role)
            if device is None:
                return render_template("unpaired.html", role=role), 401
            g.device = device
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def paired_device(role: str) -> Caller | None:
    token = request.cookies.get(cookie_name(role), "")
    return device_caller(token, role) if token else None


def device_caller(token: str, role: str) -> Caller | None:
    """The device behind the token if it has this role; noted as seen (at most every SEEN_EVERY)."""
    rt = runtime()
    with rt.readonly_sessions() as session:
        device = device_for_token(session, token)
        if device is None or device.role != role:
            return None
        found = Caller.of(device)
        fresh = seen_lately(device.last_seen_at, rt.clock())
    if not fresh:
        with rt.sessions.begin() as session:
            mark_seen(session, [found.device_id], rt.clock())
    return found


def pair(role: str, token: str) -> Response | tuple[str, int]:
    """Keep a valid token in the role's cookie and reload the address without it; an unknown token gets 401."""
    if device_caller(token, role) is None:
        return render_template("unpaired.html", role=role), 401
    query = urlencode([(key, value) for key, value in request.args.items(multi=True) if key != "device"])
    response = redirect(request.path + (f"?{query}" if query else ""))
    response.set_cookie(
        cookie_name(role), token, max_age=COOKIE_MAX_AGE_S, httponly=True, samesite="Lax",
        secure=request.is_secure,
    )
    return response
