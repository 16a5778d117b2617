"""`/declare`: the same steps, fields and checks as the kiosk's wizard (kiosk.domain.declarations), typed on the
citizen's own phone. Plain pages and forms, one step per page, so a slow Wi-Fi, a reload or a dropped connection
loses nothing: every step is kept in the draft on the server, found again through the session cookie for the rest
of the day. The answer is a code (and its QR) to check in with at the kiosk; the code is all the QR holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import zxingcpp
from flask import Blueprint, Response, abort, redirect, render_template, session, url_for
from flask_babel import force_locale, format_date, get_locale
from htmx_flask import request
from PIL import Image
from werkzeug.wrappers import Response as BaseResponse

from kiosk.data.models import Declaration
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.declarations.form import FORM_TITLES, FORMS, Step, choice_label, step, step_after, step_before, steps
from kiosk.domain.queue.numbering import service_day
from kiosk.web.common.db import configured_office, db, keep_chosen_office, read_db, runtime
from kiosk.web.common.edge import takes_photo
from kiosk.web.common.htmx import no_store
from kiosk.web.common.i18n import LANGUAGE_NAMES, keep_chosen_language
from kiosk.web.common.pick_lists import pick_suggestions
from kiosk.web.common.qr import qr_png, qr_svg

bp = Blueprint("declare", __name__, url_prefix="/declare")
REVIEW = "review"


bp.before_request(keep_chosen_language("declare_language"))
bp.before_request(keep_chosen_office)


bp.after_request(no_store)  # every page holds what the citizen typed


@bp.context_processor
def page_context() -> dict[str, object]:
    return {"language_names": LANGUAGE_NAMES, "form_titles": FORM_TITLES}


@bp.get("")
def start_page() -> str:
    """Choose the form, or go on with the draft kept from earlier today."""
    return render_template("declare/start.html", draft=_draft(), forms=FORMS)


@bp.post("")
def start() -> BaseResponse:
    kind = request.form.get("kind", "")
    if kind not in FORMS:
        abort(400)
    with db().begin():
        declarations.discard(db(), session.get("declare_draft"))
        draft = declarations.start_draft(db(), configured_office(db()), kind, str(get_locale()), runtime().clock(),
                                         source="phone")
    session.permanent = True  # the cookie outlives a closed browser: the draft waits for the rest of the day
    session["declare_draft"] = draft.draft_key
    return redirect(url_for("declare.step_page", step_key=steps(kind)[0].key))


@bp.get("/<step_key>")
def step_page(step_key: str) -> str | BaseResponse:
    draft = _draft()
    if draft is None:
        return redirect(url_for("declare.start_page"))
    if step_key == REVIEW:
        return _review(draft)
    return _step(draft, _form_step(draft, step_key), then=request.args.get("then"))


@bp.post("/picks/<field_key>")
def pick_options(field_key: str) -> str:
    """What the letters typed in a pick field find (static/pick-list.js asks as the citizen types)."""
    return pick_suggestions(field_key)


@bp.post("/<step_key>")
@takes_photo
def save_step(step_key: str) -> tuple[str, int] | BaseResponse:
    with db().begin():
        draft = _draft()
        if draft is None:
            return redirect(url_for("declare.start_page"))
        current = _form_step(draft, step_key)
        raw = {item.key: request.form.get(item.key, "") for item in current.fields}
        card = declarations.scanned_card(draft, current, raw, _today(), runtime().clock(), _card_line())
        if card is None:
            result = declarations.save_step(draft, current, raw, _today(), runtime().clock())
    then = request.form.get("then")
    if card is not None:
        return _step(draft, current, then=then, card=card), 200 if card.problem is None else 422
    if request.form.get("action") == "back":
        earlier = step_before(draft.kind, current)
        return redirect(url_for("declare.step_page", step_key=earlier.key) if earlier
                        else url_for("declare.start_page"))
    if not result.ok:
        return _step(draft, current, problems=result.problems, then=then), 422
    following = step_after(draft.kind, current)
    target = REVIEW if following is None or then == REVIEW else following.key
    return redirect(url_for("declare.step_page", step_key=target))


@bp.post("/submit")
def submit() -> str | BaseResponse:
    try:
        with db().begin():
            draft = _draft()
            if draft is None:
                return redirect(url_for("declare.start_page"))
            declarations.submit(db(), draft, _today(), runtime().clock())
    except declarations.DeclarationIncompleteError as missing:
        return redirect(url_for("declare.step_page", step_key=str(missing), then=REVIEW))
    session.pop("declare_draft", None)
    session["declare_done"] = draft.id
    return redirect(url_for("declare.done"))


@bp.post("/erase")
def erase() -> BaseResponse:
    with db().begin():
        declarations.discard(db(), session.pop("declare_draft", None))
    return redirect(url_for("declare.start_page"))


@bp.get("/done")
def done() -> str | BaseResponse:
    declaration = _declared()
    if declaration is None:
        return redirect(url_for("declare.start_page"))
    return render_template("declare/done.html", declaration=declaration, qr=qr_svg(str(declaration.code)),
                           valid_until=format_date(_valid_until(declaration), "full"))


@bp.get("/done/code.png")
def code_image() -> Response:
    """The code's QR with the code under it, to keep in the phone's photos."""
    declaration = _declared()
    if declaration is None:
        abort(404)
    return Response(qr_png(str(declaration.code), caption=str(declaration.code)), mimetype="image/png",
                    headers={"Content-Disposition": f'attachment; filename="to-khai-{declaration.code}.png"'})


@bp.get("/done/sheet")
def sheet() -> str | BaseResponse:
    """The declaration on one A4 page to print and sign, with the photo box: in Vietnamese whatever the page's
    language, because it is the legal form."""
    declaration = _declared()
    if declaration is None:
        return redirect(url_for("declare.start_page"))
    with force_locale("vi"):
        return render_template("declare/sheet.html", declaration=declaration, steps=steps(declaration.kind),
                               values=declaration.fields, choice_label=choice_label)


def _step(draft: Declaration, shown: Step, problems: Mapping[str, object] | None = None,
          then: str | None = None, card: declarations.CardScan | None = None) -> str:
    all_steps = steps(draft.kind)
    return render_template("declare/step.html", draft=draft, step=shown, values=draft.fields, problems=problems or {},
                           then=then if then == REVIEW else None, number=all_steps.index(shown) + 1,
                           total=len(all_steps) + 1, card=card, first=shown == all_steps[0],
                           pick_endpoint="declare.pick_options")


def _card_line() -> str | None:
    """The line of the card's QR: read live by the phone's camera (BarcodeDetector, static/card-camera.js), else
    from a photo of the card the phone sent, read here on the office's own server (empty: no QR in it, refused as
    no card's); None when neither was sent."""
    live = request.form.get("card_line", "")
    if live:
        return live
    photo = request.files.get("card_photo")
    if photo is None or not photo.filename:
        return None
    try:
        image = Image.open(photo.stream)
        image.load()
    except (OSError, Image.DecompressionBombError):
        return ""
    found = [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]
    return found[0] if found else ""


def _review(draft: Declaration) -> str:
    total = len(steps(draft.kind)) + 1
    return render_template("declare/review.html", draft=draft, steps=steps(draft.kind), values=draft.fields,
                           warnings=draft.warnings, choice_label=choice_label, number=total, total=total)


def _draft() -> Declaration | None:
    return declarations.find_draft(db(), session.get("declare_draft"))


def _declared() -> Declaration | None:
    declaration_id = session.get("declare_done")
    declaration = read_db().get(Declaration, declaration_id) if isinstance(declaration_id, int) else None
    return declaration if declaration is not None and declaration.status == "submitted" else None


def _form_step(draft: Declaration, key: str) -> Step:
    try:
        return step(draft.kind, key)
    except KeyError:
        abort(404)


def _today() -> date:
    return service_day(configured_office(db()), runtime().clock())


def _valid_until(declaration: Declaration) -> date:
    return declarations.valid_until(configured_office(db()), declaration, runtime().config["declarations"])
