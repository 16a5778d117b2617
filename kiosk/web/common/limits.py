"""Rate limits (Flask-Limiter): guessing a password or a code, or flooding a form, costs the guesser and not the
office. Counted per process in memory: with several PostgreSQL workers an address gets that many times the
allowance, which still turns a guess a millisecond into a guess a minute.
"""

from __future__ import annotations

from flask import Flask, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

# Sign-in attempts per address, whatever the name (a wrong name or password is also refused per name and address
# by the account's own lock, which a stranger's attempts elsewhere cannot set off).
SIGN_IN_PER_ADDRESS = "10 per minute;60 per hour"
# Wrong codes per kiosk (or per phone's address): a citizen mistypes once or twice; a guesser needs thousands.
WRONG_CODES = "5 per minute;30 per hour"

limiter = Limiter(get_remote_address, storage_uri="memory://", strategy="moving-window", headers_enabled=True)


def set_up_limits(app: Flask, enabled: bool) -> None:
    app.config["RATELIMIT_ENABLED"] = enabled  # set, not setdefault: the extension remembers the last app's choice
    limiter.init_app(app)


def device_or_address() -> str:
    """A paired kiosk counts as itself (several may share an address behind a switch), anyone else by address."""
    device = g.get("device")
    return f"device:{device.device_id}" if device is not None else get_remote_address()


def refused(_response: Response) -> bool:
    """Only refusals count towards a limit: a citizen with the right code is never held up."""
    return bool(g.get("refused"))
