"""The supervisor's desk on a 1280x800 tablet, in Debian's Chromium against a real `kiosk serve`: a paused counter's
row on one line, settings that say what their letters, weights and zone mean, service names whole in their
boxes, and an audit log in sentences rather than raw kinds and keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.browser import chromium, screenshot
from tests.support.server import ServerProcess, demo_tokens
from tests.support.staff_browser import sign_in
from tests.support.tickets import take_ticket

# Text that does not fit its box: an input's value or a label's words cut at its edge.
CUT = """(selector) => [...document.querySelectorAll(selector)].filter((el) => el.offsetParent !== null)
  .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.value || el.innerText)"""
# Each counter row, and whether its state and buttons share one line (some height all of them cross).
ONE_LINE = """() => [...document.querySelectorAll('#counter-states .counter-row')].map((row) => {
  const boxes = [...row.querySelectorAll('.counter-name, button')].map((el) => el.getBoundingClientRect());
  const oneLine = Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
  return {counter: row.dataset.counter, oneLine};
})"""


def test_a_paused_counter_keeps_its_row_on_one_line(start_server: Callable[..., ServerProcess], instance: Path) -> None:
    server = start_server()
    with chromium() as browser:
        desk = sign_in(browser, server, instance, "supervisor", "/admin")
        desk.locator("#counter-states [data-counter='6'] button[hx-vals*=paused]").tap()
        expect(desk.locator("#counter-states [data-counter='6']")).to_have_attribute("data-state", "paused")
        screenshot(desk, "staff", "desk-counter-paused")
        assert [row["counter"] for row in desk.evaluate(ONE_LINE) if not row["oneLine"]] == []


def test_settings_say_what_letters_weights_and_zones_mean(start_server: Callable[..., ServerProcess],
                                                          instance: Path) -> None:
    server = start_server()
    with chromium() as browser:
        desk = sign_in(browser, server, instance, "admin", "/admin/settings/counters")
        weights = desk.locator("#counter-1 .weights label")
        expect(weights.first).to_contain_text("Cấp hộ chiếu lần đầu")  # the letter with its service's name
        expect(desk.locator("#counter-1 [name=zone]")).to_have_accessible_description(
            "Các màn hình sảnh cùng khu vực hiển thị lượt gọi của quầy này.")
        screenshot(desk, "staff", "desk-counter-settings")
        assert desk.evaluate(CUT, ".weights label, .settings-row input") == []
        desk.goto(f"{server.url}/admin/settings/services")
        screenshot(desk, "staff", "desk-service-settings")
        assert desk.evaluate(CUT, ".settings-row input") == []


def test_the_audit_log_speaks_the_desks_language(start_server: Callable[..., ServerProcess], instance: Path) -> None:
    server = start_server()
    take_ticket(server.url, demo_tokens(instance)["kiosk-lobby"], "passport-first", language="zh", timeout=10)
    with chromium() as browser:
        desk = sign_in(browser, server, instance, "supervisor", "/admin/audit")
        issued = desk.locator("#audit tr[data-kind='ticket.issued'] .audit-what")
        expect(issued).to_have_text("Đã cấp số A001 cho Cấp hộ chiếu lần đầu (Tiếng Trung).")
        expect(desk.locator("#audit tr[data-kind='staff.login'] .audit-what")).to_contain_text(
            "đăng nhập với vai trò Giám sát từ 127.0.0.1")
        assert_no_raw_kinds(desk)
        screenshot(desk, "staff", "desk-audit-vi")
        desk.goto(f"{server.url}/admin/audit?lang=zh")
        expect(issued).to_have_text("已为首次申领护照发放A001号（中文）。")
        assert_no_raw_kinds(desk)
        screenshot(desk, "staff", "desk-audit-zh")


def assert_no_raw_kinds(page: Page) -> None:
    shown = page.locator("#audit tbody").inner_text() + page.locator("select[name=kind]").inner_text()
    raw = [word for word in shown.split() if word.count(".") == 1 and word.split(".")[0] in ("ticket", "staff")]
    assert raw == [], raw
