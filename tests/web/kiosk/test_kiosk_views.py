"""The kiosk's views through the Flask test client, as htmx calls them (HX-Request, CSRF header)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import Declaration, Event, Office, Ticket
from kiosk.domain.appointments.check_in import book
from kiosk.runtime import Runtime
from tests.support.htmx_client import HtmxClient, paired_kiosk
from tests.support.kiosk_factories import TK01_STEPS, WRONG_ID


@pytest.fixture
def kiosk(app: Flask, client: FlaskClient) -> HtmxClient:
    """A paired kiosk browser: device cookie, session cookie, and the page's CSRF token on every htmx call."""
    return paired_kiosk(app, client)


def tickets(app: Flask) -> list[Ticket]:
    rt: Runtime = app.extensions["kiosk"]
    with rt.readonly_sessions() as session:
        return list(session.scalars(select(Ticket).order_by(Ticket.id)))


def test_only_a_paired_kiosk_opens(client: FlaskClient) -> None:
    assert client.get("/kiosk/").status_code == 401
    assert client.get("/kiosk/menu", headers={"HX-Request": "true"}).status_code == 401
    assert client.get("/kiosk/?device=wrong").status_code == 401


def test_a_walk_in_ticket_in_the_chosen_language(app: Flask, kiosk: HtmxClient) -> None:
    answer = kiosk.post("/kiosk/language", lang="zh")
    assert answer.status_code == 204 and answer.headers["HX-Redirect"] == "/kiosk/menu"
    services = kiosk.get("/kiosk/services")
    assert services.lstrip().startswith('<section id="services"') and "首次申领护照" in services
    ticket = kiosk.html("/kiosk/tickets", service="passport-first")
    assert ticket.lstrip().startswith('<section id="ticket"') and "A001" in ticket and "<svg" in ticket
    assert "下一位就是您" in ticket
    issued = tickets(app)[0]
    assert (issued.language, issued.source, issued.priority) == ("zh", "kiosk", None)
    answer = kiosk.client.get("/kiosk/menu", headers={"HX-Request": "true"})
    assert "HX-Request" in answer.headers["Vary"] and answer.headers["Cache-Control"] == "no-store"


def test_an_urgent_priority_is_marked_not_granted(app: Flask, kiosk: HtmxClient) -> None:
    assert "Trường hợp khẩn cấp" in kiosk.get("/kiosk/priority")
    assert "Đề nghị ưu tiên" in kiosk.html("/kiosk/priority", kind="urgent")
    kiosk.html("/kiosk/tickets", service="passport-reissue")
    kiosk.html("/kiosk/priority", kind="elderly")
    kiosk.html("/kiosk/tickets", service="passport-reissue")
    assert [(t.priority, t.priority_approved) for t in tickets(app)] == [("urgent", False), ("elderly", True)]


def test_a_refusal_is_a_screen(kiosk: HtmxClient) -> None:
    refused = kiosk.html("/kiosk/tickets", service="no-such-service")
    assert refused.lstrip().startswith('<section id="refusal"') and "no-such-service" in refused


def fill_tk01(kiosk: HtmxClient, contact: dict[str, str] | None = None) -> str:
    kiosk.html("/kiosk/declaration", kind="TK01")
    page = ""
    for key, values in TK01_STEPS.items():
        page = kiosk.html(f"/kiosk/declaration/{key}", action="next", **(contact if key == "contact" and contact
                                                                             else values))
        if 'data-step="contact"' in page and key == "contact":
            return page
    return page


def test_a_declaration_with_a_wrong_id_number_corrected(app: Flask, kiosk: HtmxClient) -> None:
    wrong = fill_tk01(kiosk, {**TK01_STEPS["contact"], "id_number": WRONG_ID})
    assert 'data-step="contact"' in wrong and 'aria-invalid="true"' in wrong
    assert "Số định danh này của người sinh năm 1996, nhưng ngày sinh đã nhập là năm 1995." in wrong
    assert 'value="0912345678"' in wrong and f'value="{WRONG_ID}"' in wrong  # nothing to type again
    kiosk.html("/kiosk/declaration/contact", action="next", **TK01_STEPS["contact"])
    for key in ("addresses", "family"):
        kiosk.html(f"/kiosk/declaration/{key}", action="next", **TK01_STEPS[key])
    review = kiosk.html("/kiosk/declaration/request", action="next", **TK01_STEPS["request"])
    assert 'data-step="review"' in review and "NGUYỄN" in review and "040195000123" in review
    done = kiosk.post("/kiosk/declaration/submit")
    assert done.headers["HX-Retarget"] == "#screen" and 'id="ticket"' in done.get_data(as_text=True)
    rt: Runtime = app.extensions["kiosk"]
    with rt.readonly_sessions() as session:
        declaration = session.scalars(select(Declaration)).one()
        assert declaration.status == "checked_in" and declaration.draft_key is None and declaration.code
        assert tickets(app)[0].declaration_id == declaration.id


def test_back_keeps_what_was_typed_and_review_edits_one_block(kiosk: HtmxClient) -> None:
    kiosk.html("/kiosk/declaration", kind="TK01")
    kiosk.html("/kiosk/declaration/who", action="next", **TK01_STEPS["who"])
    back = kiosk.html("/kiosk/declaration/contact", action="back", phone="0912")
    assert 'data-step="who"' in back and 'value="NGUYỄN"' in back
    edit = kiosk.get("/kiosk/declaration/contact/edit")
    assert 'value="0912"' in edit and 'name="then" value="review"' in edit


def test_check_in_by_code(app: Flask, kiosk: HtmxClient) -> None:
    assert "Không tìm thấy mã này" in kiosk.html("/kiosk/code", code="12345678")
    fill_tk01(kiosk)
    kiosk.post("/kiosk/declaration/submit")
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        declaration = session.scalars(select(Declaration)).one()
        declaration.status = "submitted"  # as if declared on a phone, not yet checked in
    ticket = kiosk.html("/kiosk/code", code=str(declaration.code))
    assert 'id="ticket"' in ticket and "A002" in ticket
    again = kiosk.html("/kiosk/code", code=str(declaration.code))  # the same day: that ticket, not a second one
    assert "A002" in again and "đã cho bạn một số thứ tự" in again


def test_guessing_codes_is_stopped_and_leaves_a_trace(app: Flask, kiosk: HtmxClient) -> None:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = session.scalars(select(Office)).one()
        real = book(session, office, "passport-first", rt.clock(), "vi", rt.clock()).code
    guesses = [kiosk.html("/kiosk/code", code=f"{n:06d}") for n in range(6) if f"{n:06d}" != real]
    assert all("Không tìm thấy mã này" in page for page in guesses[:5])
    assert "Quá nhiều mã sai" in guesses[5]
    stopped = kiosk.html("/kiosk/code", code=real)  # even the right code waits: the guesser cannot tell
    assert "Quá nhiều mã sai" in stopped and 'id="ticket"' not in stopped
    with rt.readonly_sessions() as session:
        refused = session.scalars(select(Event).where(Event.kind == "checkin.refused")).all()
        assert len(refused) == 5 and {event.actor for event in refused} == {"device:1"}
        assert all(real not in str(event.payload) for event in refused) and tickets(app) == []


def test_a_wipe_forgets_the_draft_and_the_language(app: Flask, kiosk: HtmxClient) -> None:
    kiosk.post("/kiosk/language", lang="en")
    kiosk.html("/kiosk/declaration", kind="TK01")
    kiosk.html("/kiosk/declaration/who", action="next", **TK01_STEPS["who"])
    answer = kiosk.post("/kiosk/wipe")
    assert answer.headers["HX-Redirect"] == "/kiosk/"
    rt: Runtime = app.extensions["kiosk"]
    with rt.readonly_sessions() as session:
        assert session.scalars(select(Declaration)).all() == []
    assert "Bạn cần làm gì?" in kiosk.get("/kiosk/menu")
    gone = kiosk.client.get("/kiosk/declaration", headers={"HX-Request": "true"})
    assert gone.headers["HX-Redirect"] == "/kiosk/menu"


def test_out_of_service_while_the_office_is_closed(app: Flask, kiosk: HtmxClient) -> None:
    assert 'data-open="yes"' in kiosk.get("/kiosk/health")
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = session.scalars(select(Office)).one()
        office.enforce_hours, office.hours = True, {"sat": "07:30-11:30"}  # the fixed clock says Monday
    closed = kiosk.get("/kiosk/health")
    assert 'data-open="no"' in closed and "Tạm ngừng phục vụ" in closed and "Thứ Bảy" in closed


def test_back_from_the_first_step_keeps_the_draft_and_the_menu_offers_it(app: Flask, kiosk: HtmxClient) -> None:
    kiosk.html("/kiosk/declaration", kind="TK01")
    left = kiosk.post("/kiosk/declaration/who", action="back", **TK01_STEPS["who"])
    assert left.headers["HX-Redirect"] == "/kiosk/menu"
    menu = kiosk.get("/kiosk/menu")
    assert 'id="continue-declaration"' in menu
    again = kiosk.get("/kiosk/declaration")
    assert 'data-step="who"' in again and 'value="NGUYỄN"' in again


def test_erasing_from_the_review_asks_first(app: Flask, kiosk: HtmxClient) -> None:
    fill_tk01(kiosk)
    review = kiosk.get("/kiosk/declaration")
    assert 'data-step="review"' in review
    stop = re.search(r'<button[^>]*>[^<]*(?:Dừng và xóa)[^<]*</button>', review)
    assert stop and "popovertarget=\"erase-confirm\"" in stop.group(0) and "hx-post" not in stop.group(0)
    assert 'id="erase-confirm"' in review
