"""Bearer tokens from `kiosk token create`: the token decides the office and what the caller may do."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_babel import gettext as _

from kiosk.domain.office.devices import device_for_token
from kiosk.web.api.errors import ApiError
from kiosk.web.common.db import runtime
from kiosk.web.common.devices import Caller

F = TypeVar("F", bound=Callable[..., Any])


def requires(*roles: str) -> Callable[[F], F]:
    """Let the view run only for a device token of one of these roles."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            g.caller = authenticate(roles)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def authenticate(roles: tuple[str, ...]) -> Caller:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, _("A valid device token is required."))
    with runtime().readonly_sessions() as session:
        device = device_for_token(session, token.strip())
        if device is None:
            raise ApiError(401, _("A valid device token is required."))
        if device.role not in roles:
            raise ApiError(403, _("This device may not do that."))
        return Caller.of(device)


def caller() -> Caller:
    return g.caller
