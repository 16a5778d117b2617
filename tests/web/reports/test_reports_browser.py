"""The reports page in Debian's Chromium against a real `kiosk serve`, on a month of the demo history: at a desk's
size and printed on A4, charts drawn and readable (screenshots under tests/artifacts/reports/), and no serious
accessibility fault."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from kiosk.cli import cli
from tests.support.axe import blocking_violations
from tests.support.browser import ARTIFACTS, chromium, screenshot
from tests.support.server import ServerProcess
from tests.support.staff_browser import sign_in

DESK = {"width": 1440, "height": 900}
A4 = {"width": 794, "height": 1123}  # 210 x 297 mm at the CSS pixel's 96 per inch
# Each chart image drawn (decoded, with a size), and the heat map's cells.
DRAWN = """() => ({charts: [...document.querySelectorAll('.report-chart img')].map((img) => img.naturalWidth),
  cells: document.querySelectorAll('.heat-map td').length})"""


def test_the_reports_read_on_screen_and_on_a4(start_server: Callable[..., ServerProcess], office_env: dict[str, str],
                                              instance: Path) -> None:
    loaded = CliRunner(env=office_env).invoke(cli, ["demo", "--history", "30"])
    assert loaded.exit_code == 0, loaded.output
    server = start_server()
    today = date.today()
    month = f"/admin/reports?period=custom&from={today - timedelta(days=30)}&to={today - timedelta(days=1)}"
    with chromium() as browser:
        desk = sign_in(browser, server, instance, "supervisor", "/admin/reports", bypass_csp=True)
        desk.set_viewport_size(DESK)
        desk.goto(f"{server.url}{month}&by=officer")
        drawn = desk.evaluate(DRAWN)
        assert len(drawn["charts"]) == 3 and all(width > 0 for width in drawn["charts"]) and drawn["cells"] >= 40
        assert int(desk.locator(".report-figure").first.locator(".figure-value").inner_text()) > 1000
        screenshot(desk, "reports", "reports-desk")
        assert blocking_violations(desk) == []
        desk.emulate_media(media="print")
        desk.set_viewport_size(A4)
        screenshot(desk, "reports", "reports-print-a4")
        assert desk.locator(".report-period").is_hidden()  # the form and download links stay off the paper
        desk.pdf(path=str(ARTIFACTS / "reports" / "reports-a4.pdf"), format="A4", print_background=True)
