"""GET /api/v1/reports/summary through the test client: the page's figures as JSON for a staff token, each group
named as the API names things, and a bad question refused in the caller's language."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from kiosk.web.api.shapes import ReportSummary
from tests.support.app import auth, make_token
from tests.web.reports.test_reports_views import fill_fortnight

SPAN = "from=2026-11-09&to=2026-11-22"


def test_the_summary_adds_up_and_names_groups_as_the_api_does(app: Flask, client: FlaskClient) -> None:
    staff = auth(make_token(app, "staff"))
    fill_fortnight(app)
    answer = client.get(f"/api/v1/reports/summary?{SPAN}&by=service", headers=staff)
    assert answer.status_code == 200, answer.get_json()
    summary = ReportSummary.model_validate(answer.get_json())
    body = answer.get_json()
    assert (body["from"], body["to"], body["by"]) == ("2026-11-09", "2026-11-22", "service")
    assert 4000 < summary.total.issued == sum(g.issued for g in summary.groups)
    assert {g.key for g in summary.groups} >= {"passport-first", "passport-reissue"}
    assert 0 < summary.total.service_level <= 1 and summary.median_wait_s <= summary.p90_wait_s  # type: ignore[operator]
    officers = client.get(f"/api/v1/reports/summary?{SPAN}&by=officer", headers=staff).get_json()
    named = [g for g in officers["groups"] if g["key"] is not None]
    assert all(g["key"].startswith("officer") for g in named)
    assert all(g["idle_s"] is not None and g["idle_s"] >= 0 for g in named)  # from the sign-ins of the history
    days = client.get(f"/api/v1/reports/summary?{SPAN}&by=day", headers=staff).get_json()
    assert days["groups"][0]["key"] == "2026-11-09" and len(days["groups"]) == 12  # two Sundays closed


def test_a_bad_question_is_refused_in_words(app: Flask, client: FlaskClient) -> None:
    staff = auth(make_token(app, "staff"), **{"Accept-Language": "en"})
    refused = {
        "from=2026-11-22&to=2026-11-01": "the end not before the start",
        "from=yesterday&to=2026-11-01": "Field from must be a date",
        f"{SPAN}&by=mood": "Field by must be one of",
        "from=0001-01-01&to=0001-01-02": "the end not before the start",
    }
    for query, words in refused.items():
        answer = client.get(f"/api/v1/reports/summary?{query}", headers=staff)
        assert answer.status_code == 422 and words in answer.get_json()["error"], (query, answer.get_json())
    vietnamese = client.get("/api/v1/reports/summary?from=x&to=y", headers=auth(make_token(app, "staff"),
                                                                                  **{"Accept-Language": "vi"}))
    assert vietnamese.status_code == 422 and "from" in vietnamese.get_json()["error"]
    kiosk = client.get(f"/api/v1/reports/summary?{SPAN}", headers=auth(make_token(app, "kiosk")))
    assert kiosk.status_code == 403
    assert client.get(f"/api/v1/reports/summary?{SPAN}").status_code == 401
