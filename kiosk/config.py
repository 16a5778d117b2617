"""Configuration: shipped defaults, then the office file, then KIOSK_* environment variables.

KIOSK_CONFIG names one office file, or a folder of office files: a province served by the same servers. The
folder's first file (by name) also holds the servers' settings; the others hold only their office's sections.
`offices` lists every office's sections, the first also at the top level as for one office."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
DEFAULT_FILE = CONFIG_DIR / "default.toml"
EXAMPLE_OFFICE_FILE = CONFIG_DIR / "office.example.toml"

# Variables the design names directly; any other KIOSK_SECTION__KEY maps to [section] key.
NAMED_VARIABLES = {
    "KIOSK_DATABASE_URL": ("database", "url"),
    "KIOSK_PUBLIC_URL": ("server", "public_url"),
    "KIOSK_PRINTER": ("printer", "url"),
}
NOT_SETTINGS = {"KIOSK_CONFIG", "KIOSK_INSTANCE", "KIOSK_SECRET_KEY"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
DEVICE_KINDS = ("kiosk", "display", "staff", "counter_screen", "rating_pad")
OFFICE_SECTIONS = ("office", "services", "counters", "devices")  # an office's own; the rest is the servers'


class ConfigError(Exception):
    """A configuration value is missing or wrong; the message names the key and where it came from."""


def load_config(office_file: str | Path | None = None, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Read defaults, the office file and the environment into one validated dict."""
    environ = dict(os.environ if environ is None else environ)
    config = _read_toml(DEFAULT_FILE)
    path = Path(office_file or environ.get("KIOSK_CONFIG") or EXAMPLE_OFFICE_FILE)
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not files:
        raise ConfigError(f"{path}: a folder with no office file (*.toml)")
    office_part = _read_toml(files[0])
    for section, values in office_part.items():
        if section in OFFICE_SECTIONS:
            config[section] = values
        elif isinstance(values, dict) and isinstance(config.get(section), dict):
            _merge_section(config, section, values, str(files[0]))
        else:
            raise ConfigError(f"{files[0]}: unknown section [{section}]")
    _apply_environment(config, environ)
    config["server"]["public_url"] = config["server"]["public_url"] or own_address(config["server"])
    _validate_office(config, str(files[0]))
    config["offices"] = [_office_sections(config)] + [_other_office(config, each) for each in files[1:]]
    codes = [each["office"]["code"] for each in config["offices"]]
    if len(set(codes)) < len(codes):
        raise ConfigError(f"{path}: two office files have the same office.code")
    config["source"] = str(path)
    return config


def office_config(config: dict[str, Any], code: str) -> dict[str, Any]:
    """The configuration as one office of the province sees it: the servers' settings and its own sections."""
    sections = next(each for each in config["offices"] if each["office"]["code"] == code)
    return {**config, **sections}


def _office_sections(config: dict[str, Any]) -> dict[str, Any]:
    return {section: config.get(section, []) for section in OFFICE_SECTIONS}


def _other_office(config: dict[str, Any], path: Path) -> dict[str, Any]:
    """Another office of the folder: only its own sections; the servers' settings are the first file's."""
    part = _read_toml(path)
    for section in part:
        if section not in OFFICE_SECTIONS:
            raise ConfigError(f"{path}: [{section}] belongs in the first office file, which holds the servers' "
                              "settings")
    office = {**config, "counters": [], "devices": [], **part}
    _validate_office(office, str(path))
    return _office_sections(office)


def own_address(server: dict[str, Any]) -> str:
    """This server's address as configured (host and port), the QR's base when the office names none: it opens
    on this machine only, so a real hall sets public_url to the LAN address."""
    host = "127.0.0.1" if server["host"] in ("", "0.0.0.0", "::") else server["host"]
    return f"http://{f'[{host}]' if ':' in host else host}:{server['port']}"


def is_loopback(url: str) -> bool:
    """Whether an address opens only on the machine itself, never on a citizen's phone."""
    host = (urlsplit(url).hostname or "").lower()
    return host == "localhost" or host == "::1" or host.startswith("127.")


def instance_folder(environ: dict[str, str]) -> Path:
    """Where the SQLite file, printouts and audio cache live: KIOSK_INSTANCE, else ./instance."""
    folder = Path(environ.get("KIOSK_INSTANCE") or Path.cwd() / "instance").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _merge_section(config: dict[str, Any], section: str, values: dict[str, Any], origin: str) -> None:
    for key, value in values.items():
        if key not in config[section]:
            raise ConfigError(f"{origin}: unknown key {section}.{key}")
        config[section][key] = _checked(value, config[section][key], f"{section}.{key}", origin)


def _checked(value: Any, default: Any, key: str, origin: str) -> Any:
    """Keep the type of the shipped default, so a typo fails at start-up and not mid-day."""
    if isinstance(default, bool) and not isinstance(value, bool):
        raise ConfigError(f"{origin}: {key} must be true or false, got {value!r}")
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{origin}: {key} must be a whole number, got {value!r}")
        if value < 0:
            raise ConfigError(f"{origin}: {key} must not be negative, got {value!r}")
    if isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"{origin}: {key} must be text, got {value!r}")
    if isinstance(default, list) and not isinstance(value, list):
        raise ConfigError(f"{origin}: {key} must be a list, got {value!r}")
    return value


def _apply_environment(config: dict[str, Any], environ: dict[str, str]) -> None:
    for name, raw in environ.items():
        if not name.startswith("KIOSK_") or name in NOT_SETTINGS:
            continue
        if name in NAMED_VARIABLES:
            section, key = NAMED_VARIABLES[name]
        elif "__" in name:
            section, _, key = name[len("KIOSK_"):].lower().partition("__")
        else:
            continue
        if section not in config or not isinstance(config[section], dict) or key not in config[section]:
            raise ConfigError(f"environment: {name} names no setting ({section}.{key})")
        default = config[section][key]
        value: Any = raw if isinstance(default, str) else _parse_env_value(raw, name, f"{section}.{key}")
        config[section][key] = _checked(value, default, f"{section}.{key}", f"environment {name}")


def _parse_env_value(raw: str, name: str, key: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        raise ConfigError(f"environment: {name}={raw!r} is not a valid value for {key}") from None


def _validate_office(config: dict[str, Any], origin: str) -> None:
    office = _require(config, "office", dict, origin)
    _require(office, "code", str, origin, "office.")
    names = _require(office, "name", dict, origin, "office.")
    if "vi" not in names:
        raise ConfigError(f"{origin}: office.name needs a Vietnamese name (vi)")
    try:
        ZoneInfo(_require(office, "timezone", str, origin, "office."))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{origin}: office.timezone {office['timezone']!r} is not a known time zone") from None
    for day, span in office.get("hours", {}).items():
        if day not in WEEKDAYS or not isinstance(span, str) or not HOURS_RE.match(span):
            raise ConfigError(f"{origin}: office.hours.{day} must look like mon = \"07:30-17:00\"")
    codes = _validate_services(config, origin)
    _validate_counters(config, codes, origin)
    for i, device in enumerate(config.get("devices", [])):
        if device.get("kind") not in DEVICE_KINDS:
            raise ConfigError(f"{origin}: devices[{i}].kind must be one of {', '.join(DEVICE_KINDS)}")


def _validate_services(config: dict[str, Any], origin: str) -> set[str]:
    codes: set[str] = set()
    for i, service in enumerate(_require(config, "services", list, origin)):
        where = f"services[{i}]."
        code = _require(service, "code", str, origin, where)
        prefix = _require(service, "prefix", str, origin, where)
        if not re.fullmatch(r"[A-Z]", prefix):
            raise ConfigError(f"{origin}: {where}prefix must be one capital letter, got {prefix!r}")
        if "vi" not in _require(service, "name", dict, origin, where):
            raise ConfigError(f"{origin}: {where}name needs a Vietnamese name (vi)")
        if code in codes:
            raise ConfigError(f"{origin}: {where}code {code!r} appears twice")
        codes.add(code)
    return codes


def _validate_counters(config: dict[str, Any], codes: set[str], origin: str) -> None:
    for i, counter in enumerate(config.get("counters", [])):
        where = f"counters[{i}]."
        _require(counter, "number", int, origin, where)
        for code, weight in _require(counter, "services", dict, origin, where).items():
            if code not in codes:
                raise ConfigError(f"{origin}: {where}services names unknown service {code!r}")
            if not isinstance(weight, int | float) or weight <= 0:
                raise ConfigError(f"{origin}: {where}services.{code} weight must be a positive number")


def _require(table: dict[str, Any], key: str, kind: type, origin: str, where: str = "") -> Any:
    if key not in table:
        raise ConfigError(f"{origin}: missing {where}{key}")
    if not isinstance(table[key], kind):
        raise ConfigError(f"{origin}: {where}{key} has the wrong type ({type(table[key]).__name__})")
    return table[key]
