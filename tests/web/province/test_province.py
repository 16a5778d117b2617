"""A province on one database: two offices from a folder of office files, each device's token keeping to its own
office, staff signing in at their office, and the province account's overview of both side by side."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from kiosk import create_app
from kiosk.cli import cli
from kiosk.config import EXAMPLE_OFFICE_FILE, ConfigError, load_config
from kiosk.data.models import Office, StaffUser
from kiosk.domain.office.accounts import AccountForm, save_account
from kiosk.domain.office.devices import create_device
from kiosk.domain.office.setup import sync_offices
from kiosk.runtime import Runtime
from tests.support.app import auth
from tests.support.htmx_client import PASSWORD, StaffClient
from tests.support.tickets import take_ticket
from tests.web.display.test_display_views import first_message

HA_TINH = """
[office]
code = "xnc-ha-tinh"
name = { vi = "Phòng Quản lý Xuất nhập cảnh Công an tỉnh Hà Tĩnh" }
timezone = "Asia/Ho_Chi_Minh"

[[services]]
code = "passport-first"
prefix = "A"
name = { vi = "Cấp hộ chiếu lần đầu" }

[[counters]]
number = 1
services = { passport-first = 1.0 }

[[devices]]
kind = "kiosk"
name = "kiosk-lobby"
"""
NGHE_AN, HA_TINH_CODE = "xnc-nghe-an", "xnc-ha-tinh"


@pytest.fixture
def province_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "province"
    folder.mkdir()
    shutil.copy(EXAMPLE_OFFICE_FILE, folder / "1-nghe-an.toml")  # the first file: also the servers' settings
    (folder / "2-ha-tinh.toml").write_text(HA_TINH)
    return folder


@pytest.fixture
def province(office_env: dict[str, str], province_folder: Path, morning) -> Iterator[Flask]:
    """The app serving both offices, loaded as `kiosk demo` loads them."""
    app = create_app({"environ": {**office_env, "KIOSK_CONFIG": str(province_folder)}, "clock": lambda: morning,
                      "start_hub": False})
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        sync_offices(session, rt.config)
    yield app
    rt.engine.dispose()


def token(app: Flask, code: str, role: str, counter: int | None = None) -> str:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = session.query(Office).filter_by(code=code).one()
        return create_device(session, office, role, f"{code}-{role}", rt.clock(), counter_number=counter).token


def account(app: Flask, code: str, username: str, role: str) -> None:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = session.query(Office).filter_by(code=code).one()
        save_account(session, office, None, AccountForm(username, username.title(), role, True, PASSWORD),
                     rt.clock(), "test")


def test_a_folder_of_office_files_is_a_province(province_folder: Path, office_env: dict[str, str]) -> None:
    config = load_config(province_folder, office_env)
    assert [each["office"]["code"] for each in config["offices"]] == [NGHE_AN, HA_TINH_CODE]
    assert config["office"]["code"] == NGHE_AN and config["offices"][1]["counters"][0]["number"] == 1
    (province_folder / "3-copy.toml").write_text(HA_TINH)
    with pytest.raises(ConfigError, match="same office.code"):
        load_config(province_folder, office_env)
    (province_folder / "3-copy.toml").write_text(HA_TINH.replace(HA_TINH_CODE, "xnc-x") + "[database]\nurl = ''\n")
    with pytest.raises(ConfigError, match=r"3-copy.toml: \[database\] belongs in the first office file"):
        load_config(province_folder, office_env)


def test_each_token_keeps_to_its_office_and_numbers_run_per_office(province: Flask) -> None:
    client = province.test_client()
    kiosk_a, kiosk_b = token(province, NGHE_AN, "kiosk"), token(province, HA_TINH_CODE, "kiosk")
    staff_a, staff_b = token(province, NGHE_AN, "staff", 1), token(province, HA_TINH_CODE, "staff", 1)
    assert [take_ticket(client, kiosk_a)["number"] for _ in range(2)] == ["A001", "A002"]
    assert [take_ticket(client, kiosk_b)["number"] for _ in range(3)] == ["A001", "A002", "A003"]
    called_b = client.post("/api/v1/counters/1/call-next", headers=auth(staff_b)).get_json()["ticket"]
    assert called_b["number"] == "A001"
    # Office A's queue is untouched by B's call: its own A001 is still the next.
    called_a = client.post("/api/v1/counters/1/call-next", headers=auth(staff_a)).get_json()["ticket"]
    assert called_a["number"] == "A001"
    for done in ("complete", "call-next", "complete"):
        assert client.post(f"/api/v1/counters/1/{done}", headers=auth(staff_a)).status_code == 200
    # A's queue is empty though B's two still wait: A's counter never calls them.
    assert client.post("/api/v1/counters/1/call-next", headers=auth(staff_a)).status_code == 204


def test_staff_sign_in_at_their_office_and_see_only_its_desk(province: Flask) -> None:
    kiosk_a, kiosk_b = token(province, NGHE_AN, "kiosk"), token(province, HA_TINH_CODE, "kiosk")
    account(province, NGHE_AN, "chau", "supervisor")
    account(province, HA_TINH_CODE, "lan", "supervisor")
    client = province.test_client()
    take_ticket(client, kiosk_a)
    for _ in range(3):
        take_ticket(client, kiosk_b)
    at_b = province.test_client()
    at_b.get(f"/login?office={HA_TINH_CODE}")
    lan = StaffClient(at_b)
    assert "Hà Tĩnh" in lan.client.get("/login").get_data(as_text=True)  # the page names its office
    assert lan.sign_in("chau").status_code == 401  # Nghệ An's supervisor has no account at Hà Tĩnh
    assert lan.sign_in("lan").status_code == 302
    desk = lan.page("/admin")
    assert '<span class="figure-value">3</span><span class="figure-label">đang chờ' in desk.replace("\n", "")
    assert lan.client.get("/admin/province").status_code == 403  # a supervisor sees one office
    at_a = StaffClient(province.test_client())  # no office named: the first office, as in a one-office install
    assert at_a.sign_in("chau").status_code == 302
    assert '<span class="figure-value">1</span><span class="figure-label">đang chờ' in \
        at_a.page("/admin").replace("\n", "")
    for page in ("/login", "/book", "/declare"):
        assert province.test_client().get(f"{page}?office=xnc-nowhere").status_code == 404, page
        assert province.test_client().get(f"{page}?office={HA_TINH_CODE}").status_code == 200, page


def test_the_province_account_sees_every_office_side_by_side(province: Flask) -> None:
    kiosk_b = token(province, HA_TINH_CODE, "kiosk")
    for _ in range(2):
        take_ticket(province.test_client(), kiosk_b)
    account(province, NGHE_AN, "tinh", "province")
    account(province, NGHE_AN, "admin", "admin")
    boss = StaffClient(province.test_client())
    assert boss.sign_in("tinh").status_code == 302
    overview = boss.page("/admin/province")
    rows = {code: overview.split(f'data-office="{code}"')[1].split("</tr>")[0] for code in (NGHE_AN, HA_TINH_CODE)}
    assert '<td data-figure="waiting">0</td>' in rows[NGHE_AN] and '<td data-figure="counters">6</td>' in rows[NGHE_AN]
    assert '<td data-figure="waiting">2</td>' in rows[HA_TINH_CODE]
    assert '<td data-figure="counters">1</td>' in rows[HA_TINH_CODE]
    assert "Hà Tĩnh" in rows[HA_TINH_CODE] and "Toàn tỉnh" in overview
    # An office's admin cannot make anyone a province account (that is the command line's).
    admin = StaffClient(province.test_client())
    assert admin.sign_in("admin").status_code == 302
    admin.html("/admin/staff", username="lan", full_name="Lan", role="province", password=PASSWORD)
    rt: Runtime = province.extensions["kiosk"]
    with rt.sessions() as session:
        assert session.scalar(select(StaffUser).where(StaffUser.username == "lan")) is None
    assert 'value="province"' not in admin.page("/admin/staff")
    assert admin.client.get("/admin/province").status_code == 403


def test_kiosk_demo_loads_every_office_and_tokens_name_theirs(office_env: dict[str, str],
                                                              province_folder: Path) -> None:
    runner = CliRunner(env={**office_env, "KIOSK_CONFIG": str(province_folder)})
    loaded = runner.invoke(cli, ["demo"])
    assert loaded.exit_code == 0, loaded.output
    assert f"Office {NGHE_AN}, {HA_TINH_CODE} loaded." in loaded.output and "/admin/province" in loaded.output
    assert "kiosk-lobby:" in loaded.output and f"{HA_TINH_CODE}/kiosk-lobby:" in loaded.output  # one each
    made = runner.invoke(cli, ["token", "create", "--role", "kiosk", "--name", "kiosk-ht", "--office", HA_TINH_CODE])
    assert made.exit_code == 0, made.output
    listed = runner.invoke(cli, ["device", "list", "--office", HA_TINH_CODE])
    assert "kiosk-ht" in listed.output and "kiosk-lobby" in listed.output and "display-hall" not in listed.output
    assert runner.invoke(cli, ["device", "list", "--office", "xnc-nowhere"]).exit_code == 2


def test_a_tablet_signs_in_its_own_offices_officers_and_no_one_elses(province: Flask) -> None:
    account(province, NGHE_AN, "chau", "officer")
    account(province, HA_TINH_CODE, "lan", "officer")
    take_ticket(province.test_client(), token(province, HA_TINH_CODE, "kiosk"))
    tablet_b = token(province, HA_TINH_CODE, "staff", 1)
    tablet = StaffClient(province.test_client())
    tablet.client.get(f"/staff?device={tablet_b}")
    assert "Hà Tĩnh" in tablet.client.get("/login").get_data(as_text=True)  # no ?office= needed: the tablet's own
    assert tablet.sign_in("chau").status_code == 401  # Nghệ An's officer has no account at Hà Tĩnh
    assert tablet.sign_in("lan").status_code == 302
    assert '<li data-ticket="A001">' in tablet.page("/staff/counters/1")  # Hà Tĩnh's citizen, at its counter 1
    # Signed in at Nghệ An first, then on Hà Tĩnh's tablet: refused, rather than working Nghệ An's counter 1.
    elsewhere = StaffClient(province.test_client())
    assert elsewhere.sign_in("chau").status_code == 302
    elsewhere.client.get(f"/staff?device={tablet_b}")
    refused = elsewhere.client.get("/staff/counters/1")
    assert refused.status_code == 403 and "thuộc cơ quan khác" in refused.get_data(as_text=True)


def test_each_office_announces_its_calls_in_its_own_languages(province: Flask) -> None:
    """Nghệ An (the first file) announces in Vietnamese, English and Chinese; Hà Tĩnh names no languages, so in
    Vietnamese only, though a citizen took its ticket in Chinese."""
    said = {}
    for code in (NGHE_AN, HA_TINH_CODE):
        client = province.test_client()
        take_ticket(client, token(province, code, "kiosk"), language="zh")
        staff = auth(token(province, code, "staff", 1))
        assert client.post("/api/v1/counters/1/call-next", headers=staff).status_code == 200
        province.extensions["kiosk"].hub.refresh()  # no hub thread here: the stream starts from what it has read
        display = province.test_client()
        display.get(f"/display?device={token(province, code, 'display')}")
        said[code] = first_message(display).split("event: hall\n")[0]
    assert 'lang="vi"' in said[NGHE_AN] and 'lang="zh"' in said[NGHE_AN] and "请A001号到1号窗口" in said[NGHE_AN]
    assert 'lang="vi"' in said[HA_TINH_CODE] and 'lang="zh"' not in said[HA_TINH_CODE]
