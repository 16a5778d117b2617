"""The migrations build exactly the models' schema, and every user-visible string is translated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from kiosk import DOMAINS
from kiosk.data.engine import make_engine, upgrade
from kiosk.data.models import Base

TRANSLATIONS = Path("kiosk/translations")


def test_migrations_match_the_models(tmp_path: Path, db_url: str) -> None:
    engine = make_engine(db_url or f"sqlite:///{tmp_path / 'schema.sqlite3'}")
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def text(message: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    """A message or its translation; a plural one (singular, plural) as a tuple."""
    return message if isinstance(message, str) else tuple(message)


def translated(message: str | tuple[str, ...] | list[str]) -> bool:
    """Written, every plural form of the language included."""
    return bool(message) if isinstance(message, str) else all(message)


def test_every_message_is_translated_in_vi_en_zh(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_", "-k", "gettext",
         "-k", "ngettext:1,2", "-k", "lazy_gettext", "-o", str(pot), "."],
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        wanted = {text(m.id) for m in read_po(handle) if m.id}
    assert len(wanted) > 10
    for language in ("vi", "en", "zh"):
        catalogue: dict[str, str] = {}
        for po in sorted((TRANSLATIONS / language / "LC_MESSAGES").glob("*.po")):
            assert po.stem in DOMAINS, f"{po} is not a domain the app loads"
            with po.open("rb") as handle:
                written = {text(m.id): text(m.string) for m in read_po(handle) if m.id and translated(m.string)}
            with po.with_suffix(".mo").open("rb") as handle:
                compiled = {text(m.id): text(m.string) for m in read_mo(handle) if m.id}
            assert compiled == written, f"{po} differs from its .mo: run make translations"
            # Every domain is searched for every string, so two catalogues must not translate one text two ways.
            clashes = sorted(m for m in written.keys() & catalogue.keys() if written[m] != catalogue[m])
            assert clashes == [], f"{po} translates {clashes} differently from another catalogue"
            catalogue |= written
        missing = sorted(m for m in wanted if not catalogue.get(m))
        assert missing == [], f"{language} lacks translations for {missing}"
