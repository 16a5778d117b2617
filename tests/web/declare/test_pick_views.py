"""Pick lists reached from the kiosk and the phone through the Flask test client: the same suggestions, the same
field names, the same checks; and the A4 sheet the citizen prints after sending, in Vietnamese."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.domain.office.setup import sync_office
from tests.support.htmx_client import HtmxClient, paired_kiosk
from tests.web.declare.test_declare_views import declare_tk01, post

PICKED = re.compile(r'data-value="([^"]+)"')


@pytest.fixture(autouse=True)
def office_loaded(app: Flask) -> None:
    rt = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        sync_office(session, rt.config)


@pytest.fixture
def kiosk(app: Flask) -> HtmxClient:
    kiosk = paired_kiosk(app, app.test_client())
    kiosk.post("/kiosk/language", lang="en")
    kiosk.html("/kiosk/declaration", kind="TK01")
    return kiosk


def test_the_kiosk_and_the_phone_suggest_the_same_names(client: FlaskClient, kiosk: HtmxClient) -> None:
    client.get("/declare?lang=zh")
    on_phone = post(client, "/declare/picks/place_of_birth", q="nhat").get_data(as_text=True)
    at_kiosk = kiosk.html("/kiosk/declaration/picks/place_of_birth", q="nhat")
    assert PICKED.findall(on_phone) == PICKED.findall(at_kiosk) and PICKED.findall(on_phone)[0] == "Nhật Bản"
    assert "日本" in on_phone  # the name in the citizen's language beside the stored Vietnamese one
    assert "(Bình Dương)" in kiosk.html("/kiosk/declaration/picks/place_of_birth", q="binh duong")
    assert "Nothing in the list" in kiosk.html("/kiosk/declaration/picks/religion", q="zzz")
    assert post(client, "/declare/picks/surname", q="a").status_code == 404
    assert kiosk.post("/kiosk/declaration/picks/nothing").status_code == 404
    assert client.post("/declare/picks/religion", data={"q": "phat"}).status_code == 400  # no CSRF token


def test_the_same_fields_and_checks_on_the_kiosk_and_the_phone(
        app: Flask, client: FlaskClient, kiosk: HtmxClient) -> None:
    client.get("/declare?lang=en")
    post(client, "/declare", kind="TK01")
    phone_page = client.get("/declare/who").get_data(as_text=True)
    kiosk_page = kiosk.get("/kiosk/declaration")
    for key in ("place_of_birth", "ethnicity", "religion"):
        assert f'name="{key}"' in phone_page and f'name="{key}"' in kiosk_page
        assert f'aria-controls="picks-{key}"' in phone_page and f'aria-controls="picks-{key}"' in kiosk_page
    typed = {"surname": "Nguyen", "given_names": "An", "sex": "male", "date_of_birth": "01/02/1990",
             "place_of_birth": "Atlantis", "ethnicity": "kinh", "religion": "khong"}
    refused = post(client, "/declare/who", action="next", **typed)
    at_kiosk = kiosk.html("/kiosk/declaration/who", action="next", **typed)
    message = "Not in the list: type the first letters and choose one."
    assert refused.status_code == 422 and message in refused.get_data(as_text=True) and message in at_kiosk
    assert 'id="problem-place_of_birth"' in at_kiosk and 'value="Atlantis"' in at_kiosk  # kept as typed
    post(client, "/declare/who", action="next", **{**typed, "place_of_birth": "da nang"})
    kiosk.html("/kiosk/declaration/who", action="next", **{**typed, "place_of_birth": "da nang"})
    for page in (client.get("/declare/who").get_data(as_text=True), kiosk.get("/kiosk/declaration/who/edit")):
        assert 'value="Đà Nẵng"' in page and 'value="Kinh"' in page and 'value="Không"' in page


def test_the_a4_sheet_is_vietnamese_whatever_the_phones_language(app: Flask, client: FlaskClient) -> None:
    assert client.get("/declare/done/sheet").headers["Location"] == "/declare"  # nothing sent yet
    client.get("/declare?lang=zh")
    code = declare_tk01(client)
    done = client.get("/declare/done").get_data(as_text=True)
    assert 'href="/declare/done/sheet"' in done
    sheet = client.get("/declare/done/sheet")
    html = sheet.get_data(as_text=True)
    assert sheet.headers["Cache-Control"] == "no-store" and '<html lang="vi">' in html
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỜ KHAI", "Ảnh 4 × 6 cm", "Mẫu TK01", code,
                  "Tôi xin cam đoan những thông tin trên là đúng sự thật.", "(Ký, ghi rõ họ tên)", "Người đề nghị",
                  "NGUYỄN", "Nữ", "Giáo viên", "040195000123"):
        assert words in html, words
    assert "申请" not in html
