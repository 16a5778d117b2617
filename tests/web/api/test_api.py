"""The JSON API through the app: the right status and a translated {error} for every bad input, never a 500."""

from __future__ import annotations

import pytest

from tests.support.app import auth, make_token
from tests.support.tickets import take_ticket


def test_take_a_ticket_and_follow_its_public_status(app, client) -> None:
    kiosk = make_token(app, "kiosk")
    ticket = take_ticket(client, kiosk, language="zh", expect=201)
    assert ticket["number"] == "A001" and ticket["status"] == "waiting" and ticket["service_name"] == "首次申领护照"
    assert ticket["status_url"].endswith("/t/" + ticket["token"]) and len(ticket["token"]) >= 22
    second = take_ticket(client, kiosk)
    assert (second["number"], second["position"]) == ("A002", 1)
    assert second["estimated_wait_s"] == 6 * 60 // 2  # one ahead, default 6 min, two open counters serve it
    public = client.get(f"/api/v1/tickets/{second['token']}").get_json()
    assert public["position"] == 1 and "token" in public and set(public) >= {"number", "status", "estimated_wait_s"}
    assert public == second  # the answer to the kiosk, built from what it committed, is what a fresh read says
    cancelled = client.post(f"/api/v1/tickets/{ticket['token']}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert client.get(f"/api/v1/tickets/{second['token']}").get_json()["position"] == 0  # moved up
    assert client.post(f"/api/v1/tickets/{ticket['token']}/cancel").status_code == 409
    assert client.post("/api/v1/tickets/not-a-token/cancel").status_code == 404


def test_services_list_counts_the_waiting(app, client) -> None:
    kiosk = make_token(app, "kiosk")
    for _ in range(3):
        take_ticket(client, kiosk, "passport-lost")
    services = {s["code"]: s for s in client.get("/api/v1/services", headers=auth(kiosk)).get_json()}
    assert services["passport-lost"]["waiting"] == 3 and services["passport-first"]["waiting"] == 0
    assert services["passport-lost"]["estimated_wait_s"] > 0 and len(services) == 6


@pytest.mark.parametrize(
    ("body", "status", "language", "message"),
    [
        ({"service": "visa-to-mars"}, 422, "en", "Unknown service: visa-to-mars."),
        ({"service": "visa-to-mars"}, 422, "vi", "Không có dịch vụ: visa-to-mars."),
        ({"service": "visa-to-mars", "language": "zh"}, 422, "vi", "没有此业务：visa-to-mars。"),
        ({}, 422, "en", "Missing field: service."),
        ({"service": 7}, 422, "en", "Field service must be a short text."),
        ({"service": "passport-first", "priority": "vip"}, 422, "en", "Field priority must be one of"),
        ({"service": "passport-first", "name": "Nguyễn Văn A"}, 422, "en", "Unknown field: name."),
        ([1, 2], 400, "vi", "Nội dung phải là một đối tượng JSON."),
    ],
)
def test_bad_ticket_requests(app, client, body, status, language, message) -> None:
    kiosk = make_token(app, "kiosk")
    answer = client.post("/api/v1/tickets", json=body, headers=auth(kiosk, **{"Accept-Language": language}))
    assert answer.status_code == status
    assert answer.get_json()["error"].startswith(message)


def test_malformed_json_and_unknown_routes_answer_json(app, client) -> None:
    kiosk = make_token(app, "kiosk")
    broken = client.post(
        "/api/v1/tickets", data="{not json", headers=auth(kiosk, **{"Content-Type": "application/json"})
    )
    assert broken.status_code == 400 and "error" in broken.get_json()
    for path in ("/api/v1/nothing-here", "/api/v1/counters/x/call-next", "/api/v1/tickets/1/2/3"):
        lost = client.post(path, headers={"Accept-Language": "en"})
        assert lost.status_code == 404 and lost.get_json()["error"], path  # no route at all: still JSON
    wrong = client.get("/api/v1/tickets", headers=auth(kiosk, **{"Accept-Language": "zh"}))
    assert wrong.status_code == 405 and wrong.get_json()["error"]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/api/v1/counters/1/call-next", {"number": "A001"}, "Unknown field: number."),
        ("/api/v1/counters/1/state", {"state": "asleep"}, "Field state must be one of: open, paused, closed."),
        ("/api/v1/counters/1/no-show", {"requeue": "yes"}, "Field requeue must be true or false."),
        ("/api/v1/counters/1/transfer", {"service": " ", "note": "x"}, "Field service must be a short text."),
        ("/api/v1/counters/1/call", {"number": "A001", "reason": "x" * 201}, "Field reason must be a short text."),
        ("/api/v1/counters/1/call", {"reason": "late"}, "Missing field: number."),
    ],
)
def test_bad_counter_requests(app, client, path, body, message) -> None:
    staff = make_token(app, "staff")
    answer = client.post(path, json=body, headers=auth(staff, **{"Accept-Language": "en"}))
    assert (answer.status_code, answer.get_json()["error"]) == (422, message)


def test_tokens_and_roles(app, client) -> None:
    display = make_token(app, "display")
    assert client.post("/api/v1/tickets", json={"service": "passport-first"}).status_code == 401
    wrong = client.post("/api/v1/tickets", json={"service": "passport-first"}, headers=auth("made-up"))
    assert wrong.status_code == 401
    refused = client.post("/api/v1/tickets", json={"service": "passport-first"}, headers=auth(display))
    assert refused.status_code == 403
    assert client.post("/api/v1/counters/1/call-next", headers=auth(display)).status_code == 403


def test_counter_actions_and_their_refusals(app, client) -> None:
    kiosk, staff = make_token(app, "kiosk"), make_token(app, "staff")
    paired = make_token(app, "staff", counter=2)
    assert client.post("/api/v1/counters/1/call-next", headers=auth(staff)).status_code == 204  # nobody waits
    take_ticket(client, kiosk)
    called = client.post("/api/v1/counters/1/call-next", headers=auth(staff))
    assert called.status_code == 200 and called.get_json()["ticket"]["number"] == "A001"
    assert client.post("/api/v1/counters/1/recall", headers=auth(staff)).get_json()["ticket"]["recall_count"] == 1
    assert client.post("/api/v1/counters/1/start", headers=auth(staff)).status_code == 200
    late = client.post("/api/v1/counters/1/recall", headers=auth(staff, **{"Accept-Language": "en"}))
    assert late.status_code == 409 and "has changed meanwhile" in late.get_json()["error"]
    assert client.post("/api/v1/counters/1/complete", headers=auth(staff)).get_json()["ticket"]["status"] == "done"
    assert client.post("/api/v1/counters/1/complete", headers=auth(staff)).status_code == 409
    assert client.post("/api/v1/counters/99/call-next", headers=auth(staff)).status_code == 404
    assert client.post("/api/v1/counters/1/call-next", headers=auth(paired)).status_code == 403
    assert client.post("/api/v1/counters/2/call", json={"number": "Z999"}, headers=auth(paired)).status_code == 404
    bad = client.post("/api/v1/counters/2/no-show", json={"requeue": "yes"}, headers=auth(paired))
    assert bad.status_code == 422
    client.post("/api/v1/counters/2/state", json={"state": "paused"}, headers=auth(paired))
    assert client.post("/api/v1/counters/2/call-next", headers=auth(paired)).status_code == 409


def test_closed_hours_and_daily_cap(app, client, config) -> None:
    config["services"][4]["daily_cap"] = 1  # border pass
    kiosk = make_token(app, "kiosk", config=config)
    take_ticket(client, kiosk, "border-pass", expect=201)
    full = take_ticket(client, kiosk, "border-pass", expect=409, headers={"Accept-Language": "vi"})
    assert full["error"] == "Đã hết số thứ tự của dịch vụ này trong hôm nay."
    config["office"]["enforce_hours"] = True
    config["office"]["hours"] = {"sun": "08:00-12:00"}  # the fixed clock says Monday
    make_token(app, "kiosk", config=config)
    closed = take_ticket(client, kiosk, expect=409)
    assert closed["error"] == "Hiện đang ngoài giờ làm việc. Số thứ tự chỉ được cấp trong giờ làm việc."


def test_another_offices_ticket_is_not_found(app, client, config) -> None:
    ours = make_token(app, "staff")
    other = dict(config, office=dict(config["office"], code="xnc-ha-tinh"))
    theirs_kiosk = make_token(app, "kiosk", config=other)
    ticket = take_ticket(client, theirs_kiosk)
    assert ticket["number"] == "A001"
    answer = client.post("/api/v1/counters/1/call", json={"number": "A001"}, headers=auth(ours))
    assert answer.status_code == 404  # the other office's A001 is not ours to call
    assert client.post("/api/v1/counters/1/call-next", headers=auth(ours)).status_code == 204


def test_public_answers_and_device_streams_say_priority_never_why(app, client) -> None:
    kiosk = make_token(app, "kiosk")
    taken = client.post("/api/v1/tickets", json={"service": "passport-first", "priority": "pregnant"},
                        headers=auth(kiosk))
    assert taken.status_code == 201 and taken.get_json()["priority"] is True
    public = client.get(f"/api/v1/tickets/{taken.get_json()['token']}")
    assert public.get_json()["priority"] is True and "pregnant" not in public.get_data(as_text=True)
    with app.extensions["kiosk"].readonly_sessions() as session:
        from kiosk.data.models import Event, Ticket

        assert session.query(Ticket).one().priority == "pregnant"  # the staff's screens still know why
        streamed = [event.payload for event in session.query(Event).filter(Event.kind.like("ticket.%"))]
        assert streamed and all(payload["priority"] is True for payload in streamed)
        assert "pregnant" not in str(streamed)
