"""The office's web application: the app factory only."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask
from flask_babel import Babel, get_locale
from htmx_flask import Htmx
from werkzeug.exceptions import HTTPException

from kiosk.config import instance_folder, load_config
from kiosk.data.engine import database_url
from kiosk.runtime import Runtime
from kiosk.runtime.housekeeping import Housekeeping
from kiosk.runtime.spooler import make_spooler
from kiosk.web.common.converters import RowNumber
from kiosk.web.common.csrf import protect
from kiosk.web.common.db import close_db
from kiosk.web.common.edge import guard_the_edge
from kiosk.web.common.error_pages import error_page
from kiosk.web.common.headers import security_headers
from kiosk.web.common.i18n import select_language
from kiosk.web.common.limits import set_up_limits
from kiosk.web.common.proxy import BehindProxies

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# One catalogue per part of the product (translations/<lang>/LC_MESSAGES/<domain>.po), so each part's wording
# is kept on its own; a missing catalogue is simply empty.
DOMAINS = ("messages", "ticket", "display", "kiosk", "staff", "phone", "errors", "declare", "book", "reports", "plan",
           "rating")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, database (migrated on start), event hub, blueprints."""
    test_config = test_config or {}
    environ = {**os.environ, **test_config.get("environ", {})}
    instance = instance_folder(environ)
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.url_map.converters["int"] = RowNumber
    config = load_config(environ=environ)
    app.config.update(
        SECRET_KEY=environ.get("KIOSK_SECRET_KEY") or _instance_secret(instance),
        BABEL_DEFAULT_LOCALE=config["i18n"]["default_language"],
        BABEL_TRANSLATION_DIRECTORIES=";".join([str(TRANSLATIONS)] * len(DOMAINS)),
        BABEL_DOMAIN=";".join(DOMAINS),
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=config["server"]["public_url"].startswith("https://"),
    )
    url = database_url(config["database"]["url"], instance)
    runtime = Runtime.open(config, instance, url, start_hub=test_config.get("start_hub", True))
    if "clock" in test_config:
        runtime.clock = test_config["clock"]
    app.extensions["kiosk"] = runtime
    spooler = make_spooler(runtime.sessions, runtime.readonly_sessions, config, runtime.settings, instance,
                           lambda: runtime.clock())
    app.extensions["printing"] = spooler
    app.extensions["housekeeping"] = housekeeping = Housekeeping(runtime)
    if test_config.get("start_hub", True):
        spooler.start()  # one print spooler thread per process; tests without threads call run_once()
        housekeeping.start()
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Vietnamese and Chinese as text, not \u escapes
    Babel(app, locale_selector=select_language)
    app.jinja_env.globals["get_locale"] = get_locale
    Htmx(app)
    app.teardown_appcontext(close_db)
    app.after_request(security_headers)
    guard_the_edge(app)
    set_up_limits(app, config["server"]["rate_limits"])
    app.register_error_handler(HTTPException, error_page)
    app.wsgi_app = BehindProxies(app.wsgi_app, config["server"]["proxies"])  # type: ignore[method-assign]

    from kiosk.web.api import bp as api_bp

    protect(app, api_bp)
    app.register_blueprint(api_bp)
    for blueprint in screen_blueprints():
        app.register_blueprint(blueprint)
    return app


def screen_blueprints() -> list[Blueprint]:
    """One blueprint per screen (kiosk, display, staff, admin, phone pages)."""
    from kiosk.web import admin, auth, book, counter_screen, declare, display, kiosk, phone, rating, reports, staff

    return [phone.bp, declare.bp, book.bp, display.bp, kiosk.bp, auth.bp, staff.bp, admin.bp, counter_screen.bp,
            rating.bp, reports.bp]


def _instance_secret(instance: Path) -> str:
    """A demo office needs no set-up: generate a secret once and keep it in the instance folder."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
