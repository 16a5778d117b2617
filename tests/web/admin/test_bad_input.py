"""Whatever the desk's forms send, the answer names the problem in the form, never a 500: digits that are not
ASCII, numbers no column holds, text longer than a column holds (PostgreSQL refuses it)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.app import TOO_BIG
from tests.support.htmx_client import signed_in


def problems_of(html: str) -> list[str]:
    return re.findall(r'class="problem" role="alert">([^<]+)<', html)


@pytest.mark.parametrize("typed", ["²", TOO_BIG, "0"])
def test_a_number_the_desk_cannot_take_is_named_in_the_form(client: FlaskClient, app: Flask, typed: str) -> None:
    admin = signed_in(app, client, "admin")
    counter = admin.post("/admin/settings/counters", number=typed, zone="hall", weight_1="1", **{"weight_²": "1"})
    assert counter.status_code == 200 and problems_of(counter.text) == ["Một số nguyên, từ 1 trở lên."]
    service = admin.post("/admin/settings/services", code="new-service", prefix="Q", name_vi="Mới", daily_cap=typed)
    assert service.status_code == 200 and problems_of(service.text) == ["Một số nguyên, từ 1 trở lên."]


def test_text_longer_than_the_office_keeps_is_named_in_the_form(client: FlaskClient, app: Flask) -> None:
    admin = signed_in(app, client, "admin")
    counter = admin.post("/admin/settings/counters", number="9", zone="z" * 65, weight_1="1")
    assert counter.status_code == 200 and problems_of(counter.text) == ["Tối đa 64 ký tự."]
    service = admin.post("/admin/settings/services", code="new-service", prefix="Q", name_vi="Mới", name_en="n" * 65)
    assert service.status_code == 200 and problems_of(service.text) == ["Tối đa 64 ký tự."]
    account = admin.post("/admin/staff", username="officer9", full_name="N" * 65, role="officer",
                         password="long enough", active="1")
    assert account.status_code == 200 and problems_of(account.text) == ["Tối đa 64 ký tự."]
    assert admin.post("/admin/settings/counters", number="9", zone="z" * 64, weight_1="1").status_code == 204  # saved
