"""Configuration: defaults, the office file, the environment, and clear errors naming key and file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    base = Path("config/office.example.toml").read_text()
    path = tmp_path / "office.toml"
    path.write_text(base + "\n" + text)
    return path


def test_example_office_loads_with_its_services_and_counters() -> None:
    config = load_config(environ={})
    assert config["office"]["timezone"] == "Asia/Ho_Chi_Minh" and config["office"]["languages"] == ["vi", "en", "zh"]
    assert len(config["services"]) == 6 and len(config["counters"]) == 6
    assert config["database"]["url"] == "" and config["printer"]["url"] == "preview"


def test_environment_overrides_office_and_defaults(tmp_path: Path) -> None:
    office = write(tmp_path, "[queue]\npriority_ratio = 5\n")
    config = load_config(
        environ={
            "KIOSK_CONFIG": str(office),
            "KIOSK_DATABASE_URL": "postgresql://db/office",
            "KIOSK_QUEUE__MAX_REQUEUES": "2",
            "KIOSK_PRINTER": "tcp://10.0.0.5:9100",
        }
    )
    assert config["queue"]["priority_ratio"] == 5 and config["queue"]["max_requeues"] == 2
    assert config["database"]["url"] == "postgresql://db/office" and config["printer"]["url"].startswith("tcp://")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[queue]\npriority_ratio = "many"\n', "office.toml: queue.priority_ratio must be a whole number"),
        ("[queue]\nno_such_key = 1\n", "office.toml: unknown key queue.no_such_key"),
        ("[nonsense]\nx = 1\n", "office.toml: unknown section [nonsense]"),
        ("[[counters]]\nnumber = 7\nservices = { mars = 1.0 }\n", "counters[6].services names unknown service 'mars'"),
        ('[[services]]\ncode = "x"\nprefix = "ab"\nname = { vi = "X" }\n', "services[6].prefix must be one capital"),
    ],
)
def test_bad_office_file_names_the_key_and_file(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as error:
        load_config(environ={"KIOSK_CONFIG": str(write(tmp_path, extra))})
    assert message in str(error.value)


def test_bad_time_zone_and_bad_environment(tmp_path: Path) -> None:
    office = tmp_path / "office.toml"
    office.write_text(Path("config/office.example.toml").read_text().replace("Asia/Ho_Chi_Minh", "Asia/Saigonn"))
    with pytest.raises(ConfigError, match="office.timezone 'Asia/Saigonn' is not a known time zone"):
        load_config(environ={"KIOSK_CONFIG": str(office)})
    with pytest.raises(
        ConfigError, match="KIOSK_QUEUE__PRIORITY_RATIO='lots' is not a valid value for queue.priority_ratio"
    ):
        load_config(environ={"KIOSK_QUEUE__PRIORITY_RATIO": "lots"})
    with pytest.raises(
        ConfigError, match="environment KIOSK_QUEUE__PRIORITY_RATIO: queue.priority_ratio must be a whole"
    ):
        load_config(environ={"KIOSK_QUEUE__PRIORITY_RATIO": "1.5"})
    with pytest.raises(ConfigError, match="KIOSK_QUEUE__NOPE names no setting"):
        load_config(environ={"KIOSK_QUEUE__NOPE": "1"})
    with pytest.raises(ConfigError, match="missing.toml: file not found"):
        load_config(environ={"KIOSK_CONFIG": str(tmp_path / "missing.toml")})


def test_cli_reports_a_bad_config_without_a_traceback(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        KIOSK_CONFIG=str(write(tmp_path, "[queue]\npriority_ratio = -1\n")),
        KIOSK_INSTANCE=str(tmp_path / "inst"),
    )
    result = subprocess.run([sys.executable, "-m", "kiosk", "db", "upgrade"], env=env, capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "queue.priority_ratio must not be negative" in result.stderr
