"""Declaring on the phone through the Flask test client: the same steps and checks as the kiosk, the draft kept
against the cookie, a code and its QR, and that code checked in at the kiosk once a day."""

from __future__ import annotations

import io
import re

import pytest
import qrcode
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from kiosk.data.models import Declaration, Ticket
from kiosk.domain.office.setup import sync_office
from tests.support.htmx_client import csrf_of, paired_kiosk
from tests.support.kiosk_factories import TK01_STEPS, WRONG_ID


@pytest.fixture(autouse=True)
def office_loaded(app: Flask) -> None:
    """The office as `kiosk demo` loads it: /declare belongs to the configured office."""
    rt = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        sync_office(session, rt.config)


def post(client: FlaskClient, path: str, **form: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/declare").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **form})


def declare_tk01(client: FlaskClient) -> str:
    """A whole TK01, step by step as the phone's pages post it; the code it gets."""
    assert post(client, "/declare", kind="TK01").headers["Location"] == "/declare/who"
    for key, values in TK01_STEPS.items():
        answer = post(client, f"/declare/{key}", action="next", **values)
        assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    assert answer.headers["Location"] == "/declare/review"
    assert post(client, "/declare/submit").headers["Location"] == "/declare/done"
    done = client.get("/declare/done").get_data(as_text=True)
    return re.search(r'data-code="(\d{8})"', done).group(1)  # type: ignore[union-attr]


def test_the_phone_uses_the_kiosks_fields_and_checks(app: Flask, client: FlaskClient) -> None:
    client.get("/declare?lang=en")
    post(client, "/declare", kind="TK01")
    page = client.get("/declare/who").get_data(as_text=True)
    assert all(f'name="{key}"' in page for key in TK01_STEPS["who"])  # the field keys of domain.md
    assert 'inputmode="none"' not in page and 'inputmode="numeric"' in page  # the phone's own keyboard
    post(client, "/declare/who", action="next", **TK01_STEPS["who"])
    wrong = post(client, "/declare/contact", action="next", **{**TK01_STEPS["contact"], "id_number": WRONG_ID})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and 'id="problem-id_number"' in html and "1995" in html
    assert f'value="{WRONG_ID}"' in html  # nothing typed is lost, the wrong value included
    assert wrong.headers["Cache-Control"] == "no-store"


def test_the_draft_waits_for_the_citizen_and_a_code_comes_at_the_end(app: Flask, client: FlaskClient) -> None:
    post(client, "/declare", kind="TK01")
    post(client, "/declare/who", action="next", **TK01_STEPS["who"])
    again = app.test_client()  # a reload after the phone dropped its connection: the same cookie, a new request
    again.set_cookie("session", client.get_cookie("session").value)  # type: ignore[union-attr]
    assert 'value="Thị Ánh"' in again.get("/declare/who").get_data(as_text=True).replace("THỊ ÁNH", "Thị Ánh")
    assert "Go on with the declaration you started" in again.get("/declare?lang=en").get_data(as_text=True)
    code = declare_tk01(client)
    done = client.get("/declare/done?lang=en").get_data(as_text=True)
    assert code[:4] in done and "<svg" in done and "Valid until" in done
    image = client.get("/declare/done/code.png")
    assert image.mimetype == "image/png" and code in image.headers["Content-Disposition"]
    read = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    assert [found.text for found in read] == [code]  # the code and nothing else
    assert client.get("/declare/who").headers["Location"] == "/declare"  # the draft is gone once sent


def test_a_code_checks_in_once_and_shows_the_same_ticket_again(app: Flask, client: FlaskClient) -> None:
    code = declare_tk01(app.test_client())
    kiosk = paired_kiosk(app, client)
    ticket = kiosk.html("/kiosk/code", code=code)
    number = re.search(r'data-number="([A-Z]\d+)"', ticket).group(1)  # type: ignore[union-attr]
    assert f'data-code="{code}"' in ticket
    shown_again = kiosk.html("/kiosk/code", code=code)
    assert f'data-number="{number}"' in shown_again and "đã cho bạn một số thứ tự" in shown_again
    with app.extensions["kiosk"].readonly_sessions() as session:
        assert session.scalar(select(Ticket.number)) == number and len(session.scalars(select(Ticket)).all()) == 1
        declaration = session.scalars(select(Declaration)).one()
        assert (declaration.source, declaration.status) == ("phone", "checked_in")


CARD = "040195000123|187654321|Nguyễn Thị Ánh|25041995|Nữ|Phường Vinh Tân, Nghệ An|15042021"


def qr_photo(text: str) -> io.BytesIO:
    """A phone's photo of a QR: the code drawn large on a grey background, as a JPEG."""
    code = qrcode.make(text, box_size=8).get_image().convert("RGB")
    photo = Image.new("RGB", (code.width + 400, code.height + 300), (150, 150, 140))
    photo.paste(code, (200, 120))
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=85)
    out.seek(0)
    return out


def test_a_photo_of_the_id_card_fills_the_first_step(app: Flask, client: FlaskClient) -> None:
    post(client, "/declare", kind="TK01")
    token = csrf_of(client.get("/declare/who").get_data(as_text=True))
    read = client.post("/declare/who", data={"csrf_token": token, "action": "card",
                                             "card_photo": (qr_photo(CARD), "card.jpg")},
                       content_type="multipart/form-data")
    page = read.get_data(as_text=True)
    assert read.status_code == 200 and 'id="card-filled"' in page
    assert 'value="NGUYỄN"' in page and 'value="25/04/1995"' in page
    assert post(client, "/declare/who", action="next", **{**TK01_STEPS["who"], "surname": "NGUYỄN",
                                                           "given_names": "THỊ ÁNH"}).status_code == 302
    assert 'value="040195000123"' in client.get("/declare/contact").get_data(as_text=True)
    garbage = client.post("/declare/who", data={"csrf_token": token, "action": "card",
                                                "card_photo": (qr_photo("https://example.com"), "x.jpg")},
                          content_type="multipart/form-data")
    assert garbage.status_code == 422 and 'id="card-refused"' in garbage.get_data(as_text=True)


def test_a_card_scanned_into_a_kiosk_field_fills_the_step_and_a_bad_one_changes_nothing(
        app: Flask, client: FlaskClient) -> None:
    kiosk = paired_kiosk(app, client)
    kiosk.html("/kiosk/declaration", kind="TK01")
    wrong_card = CARD.replace("040195000123", "040196000123")
    refused = kiosk.html("/kiosk/declaration/who", action="next", surname=wrong_card)  # the scanner's Enter
    assert 'id="card-refused"' in refused and 'value="040196' not in refused and 'value=""' in refused
    filled = kiosk.html("/kiosk/declaration/who", action="next", given_names=CARD)
    assert 'id="card-filled"' in filled and 'value="THỊ ÁNH"' in filled and 'value="NGUYỄN"' in filled
