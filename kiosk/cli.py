"""The `kiosk` command: serve the office, migrate, load the demo office, create and revoke device tokens, back up
and restore the database."""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.config import ConfigError, instance_folder, is_loopback, load_config, office_config
from kiosk.data.engine import database_url
from kiosk.data.models import DEVICE_ROLES, STAFF_ROLES, Device, Office, StaffUser
from kiosk.domain.office import devices
from kiosk.domain.office.accounts import AccountForm, SettingsError, save_account
from kiosk.domain.office.devices import create_device
from kiosk.domain.office.setup import sync_office, sync_offices
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.statistics.history import fill_history
from kiosk.runtime import Runtime, utc_now
from kiosk.runtime import backup as backups
from kiosk.runtime.housekeeping import Housekeeping
from kiosk.runtime.spooler import check_config as check_printing


def configured() -> tuple[dict[str, Any], Path, str]:
    """The office's config, instance folder and database URL, the database not opened yet."""
    environ = dict(os.environ)
    config = load_config(environ=environ)
    instance = instance_folder(environ)
    return config, instance, database_url(config["database"]["url"], instance)


def open_runtime() -> Runtime:
    """Config and a migrated database, without the web app or its event hub."""
    return Runtime.open(*configured(), start_hub=False)


@click.group()
def cli() -> None:
    """Queue, kiosk and calling display for a passport office."""


@cli.command()
@click.option("--host", default=None, help="Address to listen on (config server.host).")
@click.option("--port", type=int, default=None, help="Port (config server.port).")
@click.option("--workers", type=int, default=None, help="Processes; only with PostgreSQL.")
@click.option("--connections", type=int, default=None,
              help="Open connections per process: every screen holds one, a browser a few (config server.connections).")
def serve(host: str | None, port: int | None, workers: int | None, connections: int | None) -> None:
    """Run the production server (migrates the database first)."""
    from kiosk import server as front

    if not front.cooperative():  # gevent must patch the process before the app is imported: start again under it
        given = {"--host": host, "--port": port, "--workers": workers, "--connections": connections}
        front.restart_cooperatively(["serve", *[str(part) for option, value in given.items() if value is not None
                                                for part in (option, value)]])
    rt = open_runtime()
    check_printing(rt.config)  # a missing font or a bad printer URL stops here, not in every worker
    server = rt.config["server"]
    workers = workers or server["workers"]
    if rt.engine.dialect.name == "sqlite" and workers > 1:
        click.echo("SQLite is served by one process; use PostgreSQL for more workers. Starting one.", err=True)
        workers = 1
    rt.engine.dispose()
    host, port = host or server["host"], port or server["port"]
    click.echo(f"Serving {rt.config['office']['code']} on http://{host}:{port}")
    front.serve(host, port, workers, dict(server, connections=connections or server["connections"]))


@cli.group()
def db() -> None:
    """Database commands."""


@db.command()
def upgrade() -> None:
    """Bring the database schema up to date."""
    open_runtime()
    click.echo("Database is up to date.")


# Where each kind of device opens; the token in the address pairs the browser (kept in a cookie after).
SCREENS = {"kiosk": "kiosk", "display": "display", "staff": "staff", "counter_screen": "counter",
           "rating_pad": "rate"}
# The demo office's staff: username → (full name, role). Passwords are generated once and kept with the tokens.
DEMO_ACCOUNTS = {
    "officer1": ("Nguyễn Văn An", "officer"),
    "officer2": ("Trần Thị Bình", "officer"),
    "supervisor": ("Lê Minh Châu", "supervisor"),
    "admin": ("Phạm Quốc Dũng", "admin"),
    "province": ("Hoàng Thu Hà", "province"),  # sees every office of a province (`/admin/province`)
}


@cli.command()
@click.option("--history", "history_days", type=click.IntRange(0, 3660), default=0, metavar="DAYS",
              help="Fill the DAYS before today with the office's past work (seeded: the same days each time).")
def demo(history_days: int) -> None:
    """Load the configured office with its devices; print each device's address and token."""
    rt = open_runtime()
    tokens_file = rt.instance / "demo_tokens.json"
    known = json.loads(tokens_file.read_text()) if tokens_file.exists() else {}
    with rt.sessions.begin() as session:
        for rank, office in enumerate(sync_offices(session, rt.config)):
            for spec in rt.config["offices"][rank]["devices"]:
                # Another office of a province may name its devices alike: its keys carry its code.
                key = spec["name"] if rank == 0 else f"{office.code}/{spec['name']}"
                if key in known and _device_exists(session, office, spec["name"]):
                    continue
                new = create_device(
                    session, office, spec["kind"], spec["name"], utc_now(),
                    counter_number=spec.get("counter"), zone=spec.get("zone"), printer_url=spec.get("printer"),
                )
                known[key] = {"role": spec["kind"], "token": new.token}
    tokens_file.write_text(json.dumps(known, indent=2))
    tokens_file.chmod(0o600)
    accounts = _demo_accounts(rt)
    if history_days:
        _demo_history(rt, history_days)
    base = rt.config["server"]["public_url"].rstrip("/")  # the configured host and port unless the office names one
    codes = [each["office"]["code"] for each in rt.config["offices"]]
    click.echo(f"Office {', '.join(codes)} loaded.")
    if is_loopback(base):
        click.echo(f"The tickets' QR codes open {base}, which no citizen's phone can reach. For a real hall run "
                   "`kiosk serve --host 0.0.0.0` with KIOSK_PUBLIC_URL=http://<this machine's LAN address>:"
                   f"{rt.config['server']['port']} (see the README).")
    click.echo(f"API:     {base}/api/v1/openapi.json")
    for name, device in known.items():
        click.echo(f"{device['role']:8} {name}: {base}/{SCREENS[device['role']]}?device={device['token']}")
    click.echo(f"Staff sign-in: {base}/login  (counter console {base}/staff, supervisor's desk {base}/admin)")
    if len(codes) > 1:
        click.echo(f"Each office's sign-in, booking and declaration pages: add ?office=CODE ({', '.join(codes)}); "
                   f"the demo staff are of {codes[0]}; the province overview is {base}/admin/province")
    for username, account in accounts.items():
        click.echo(f"{account['role']:10} {username} / {account['password']}")


def _demo_accounts(rt: Runtime) -> dict[str, dict[str, str]]:
    """The demo staff, created once with random passwords (kept in instance/demo_accounts.json to print again)."""
    accounts_file = rt.instance / "demo_accounts.json"
    known = json.loads(accounts_file.read_text()) if accounts_file.exists() else {}
    with rt.sessions.begin() as session:
        office = session.scalars(select(Office).where(Office.code == rt.config["office"]["code"])).one()
        for username, (full_name, role) in DEMO_ACCOUNTS.items():
            query = select(StaffUser.id).where(StaffUser.office_id == office.id, StaffUser.username == username)
            if username in known and session.scalar(query) is not None:
                continue
            password = secrets.token_urlsafe(9)
            user_id = session.scalar(query)
            save_account(session, office, user_id, AccountForm(username, full_name, role, True, password), utc_now(),
                         "demo")
            known[username] = {"role": role, "password": password}
    accounts_file.write_text(json.dumps(known, indent=2))
    accounts_file.chmod(0o600)
    return known


def _demo_history(rt: Runtime, days: int) -> None:
    with rt.sessions.begin() as session:
        office = session.scalars(select(Office).where(Office.code == rt.config["office"]["code"])).one()
        loaded = fill_history(session, office, days, service_day(office, utc_now()))
    click.echo(f"History: {loaded.tickets} ticket(s) on {loaded.days} past working day(s), "
               f"{loaded.appointments} appointment(s).")


def _device_exists(session: Session, office: Office, name: str) -> bool:
    query = select(Device.id).where(Device.office_id == office.id, Device.name == name, Device.revoked.is_(False))
    return session.scalar(query) is not None


@cli.group()
def token() -> None:
    """Device and API tokens."""


# In a province the office is named; one office's install names none.
office_option = click.option("--office", "office_code", default=None, metavar="CODE",
                             help="In a province: the office's code (default: the first office file's).")


# The short names the design gives the screens over a counter; a counter screen and a rating pad need --counter.
ROLE_ALIASES = {"counter": "counter_screen", "rating": "rating_pad"}


@token.command("create")
@click.option("--role", type=click.Choice([*DEVICE_ROLES, *ROLE_ALIASES]), required=True)
@click.option("--counter", "counter_number", type=int, default=None,
              help="Pair a staff tablet, counter screen or rating pad to this counter.")
@click.option("--name", default=None, help="What the device is, e.g. kiosk-lobby.")
@click.option("--printer", default=None, help="A kiosk's printer URL (else config printer.url).")
@office_option
def create_token(role: str, counter_number: int | None, name: str | None, printer: str | None,
                 office_code: str | None) -> None:
    """Print a new bearer token for a device of the configured office."""
    role = ROLE_ALIASES.get(role, role)
    if role in ROLE_ALIASES.values() and counter_number is None:
        raise click.UsageError(f"a {role} device shows one counter: give --counter N")
    rt = open_runtime()
    with rt.sessions.begin() as session:
        new = create_device(
            session, _office(session, rt, office_code), role, name or f"{role}-{utc_now():%Y%m%d%H%M%S}", utc_now(),
            counter_number=counter_number, printer_url=printer,
        )
    click.echo(new.token)


@cli.group()
def device() -> None:
    """The office's devices: kiosks, hall displays, counter tablets, API clients."""


@device.command("list")
@office_option
def list_devices(office_code: str | None) -> None:
    """The devices in use, with the time each was last in touch."""
    rt = open_runtime()
    with rt.sessions.begin() as session:
        for found in devices.devices_in_use(session, _office(session, rt, office_code)):
            counter = f" · counter {found.counter.number}" if found.counter else ""
            seen = f"last seen {found.last_seen_at:%Y-%m-%d %H:%M} UTC" if found.last_seen_at else "never seen"
            click.echo(f"{found.role:8} {found.name}{counter}  ({seen})")


@device.command("revoke")
@click.argument("name")
@office_option
def revoke_device(name: str, office_code: str | None) -> None:
    """Stop the device named NAME at once (lost, stolen or replaced): its token and paired screen are refused."""
    rt = open_runtime()
    try:
        with rt.sessions.begin() as session:
            revoked = devices.revoke(session, _office(session, rt, office_code), name, utc_now(), "cli")
    except devices.DeviceNotFoundError:
        click.echo(f"No device in use is named {name!r}; `kiosk device list` shows them.", err=True)
        sys.exit(1)
    click.echo(f"{name} revoked ({len(revoked)} device(s)); pair its replacement with `kiosk token create`.")


def _office(session: Session, rt: Runtime, code: str | None) -> Office:
    code = code or rt.config["office"]["code"]
    if code not in [each["office"]["code"] for each in rt.config["offices"]]:
        raise click.UsageError(f"no office file has the code {code!r}")
    office = session.scalar(select(Office).where(Office.code == code))
    return office if office is not None else sync_office(session, office_config(rt.config, code))


@cli.group()
def user() -> None:
    """Staff accounts (officers, supervisors, admins; a province account sees every office)."""


@user.command("create")
@click.option("--username", required=True)
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
@click.option("--full-name", default=None, help="As shown on the console (default: the username).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 8 characters; asked for when not given.")
@office_option
def create_user(username: str, role: str, full_name: str | None, password: str, office_code: str | None) -> None:
    """Create a staff account of the configured office."""
    rt = open_runtime()
    try:
        with rt.sessions.begin() as session:
            form = AccountForm(username, full_name or username, role, True, password)
            save_account(session, _office(session, rt, office_code), None, form, utc_now(), "cli")
    except SettingsError as exc:
        for field, problem in exc.problems.items():
            click.echo(f"{field}: {problem}", err=True)
        sys.exit(1)
    click.echo(f"Account {username.strip().lower()} ({role}) created.")


@cli.command()
def purge() -> None:
    """Forget declarations older than declarations.retention_days, and drafts nobody finished (each server
    process also does this every declarations.purge_every_min)."""
    count = Housekeeping(open_runtime()).run_once()
    click.echo(f"{count} declaration(s) forgotten.")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Copy the office's database to PATH, safe while the server runs (pg_dump on PostgreSQL)."""
    url = configured()[2]
    try:
        copied = backups.backup(url, path)
    except backups.BackupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"Backup written to {path}: {_described(copied)}.")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask first.")
def restore(path: Path, yes: bool) -> None:
    """Replace the office's database with the backup at PATH, then migrate it. What happened since is lost."""
    url = configured()[2]
    if not yes:
        click.confirm(f"Replace the office's database with {path}? Tickets taken since it was made are lost.",
                      abort=True)
    try:
        restored = backups.restore(url, path)
    except backups.BackupError as exc:
        click.echo(f"Nothing was restored: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Restored from {path}: {_described(restored)}.")


def _described(contents: backups.Contents) -> str:
    return f"{contents.tickets} ticket(s), {contents.events} event(s), schema {contents.schema}"


def main() -> None:
    try:
        cli()
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        sys.exit(2)


