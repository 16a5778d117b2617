"""The hall display: a wall screen nobody touches, live over its own SSE stream, announcing every call."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, g, render_template, request, send_file, stream_with_context
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from kiosk.data.models import Office
from kiosk.domain.hall.announcer import DELIVERIES, Announcer, SingleFlight
from kiosk.domain.hall.board import DisplaySettings, call_event
from kiosk.domain.hall.voices import SpeechError
from kiosk.domain.whole_numbers import whole_number
from kiosk.web.common.db import read_db, runtime
from kiosk.web.common.i18n import speak_the_office_language
from kiosk.web.common.local_dates import TODAY, local_day
from kiosk.web.common.pairing import paired
from kiosk.web.common.sse import sse_response
from kiosk.web.display.stream import Display, current_screen, hall_now, hall_stream

bp = Blueprint("display", __name__, url_prefix="/display")


@bp.record_once
def set_up(state: BlueprintSetupState) -> None:
    """Check the [display] settings at start-up, not at the first call, and find the voices once."""
    app = state.app
    config = app.extensions["kiosk"].config
    settings = DisplaySettings.from_config(config)
    audio_root = Path(app.static_folder or "static") / "audio"
    announcer = Announcer(Path(app.instance_path) / "announcements", audio_root, audio_root / "chime.wav", settings)
    app.extensions["display"] = Display(settings, announcer, SingleFlight(keep=64), SingleFlight(keep=256))


bp.before_request(speak_the_office_language)


@bp.get("")
@paired("display")
def page() -> str:
    screen = current_screen()
    display: Display = current_app.extensions["display"]
    hall = hall_now(screen)
    return render_template("display/page.html", screen=screen, hall=hall, settings=display.settings,
                           today=local_day(runtime().clock(), hall.timezone, TODAY))


@bp.get("/stream")
@paired("display")
def stream() -> Response:
    # The browser's own reconnect sends Last-Event-ID; htmx's rebuilt EventSource does not (the snapshot covers it).
    last_seen = request.headers.get("Last-Event-ID", "")
    resume = whole_number(last_seen)
    return sse_response(stream_with_context(hall_stream(current_screen(), resume)))


@bp.get("/calls/<int:event_id>.wav")
@paired("display")
def call_audio(event_id: int) -> Response:
    display: Display = current_app.extensions["display"]
    office_id = g.device.office_id
    call = display.calls.get((office_id, event_id), lambda: call_event(read_db(), office_id, event_id))
    if call is None:
        abort(404)
    delivery = request.args.get("delivery", "alone")
    if delivery not in DELIVERIES:
        abort(404)
    try:
        path = display.announcer.wav(call, read_db().get_one(Office, office_id).languages, delivery)
    except SpeechError:
        current_app.logger.exception("announcement of %s failed; the display falls back to its own speech", call)
        abort(503)
    if path is None:
        abort(404)  # no voice on the server: the display speaks with the browser's
    return send_file(path, mimetype="audio/wav", max_age=24 * 3600)
