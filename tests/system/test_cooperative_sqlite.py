"""SQLite under gevent, as `kiosk serve` runs it: a greenlet waiting inside SQLite's busy handler would stop the whole
process, the greenlet holding the write transaction included. Writers of one process therefore queue on a
cooperative lock before BEGIN IMMEDIATE; this runs the engine in a monkey-patched interpreter to show it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import REPO

WRITERS = """
from gevent import monkey; monkey.patch_all()
import json, sys, time
import gevent
from sqlalchemy import text
from kiosk.data.engine import make_engine

engine = make_engine(f"sqlite:///{sys.argv[1]}")
with engine.begin() as connection:
    connection.execute(text("CREATE TABLE written (n INTEGER NOT NULL)"))
errors, ticks = [], [0]

def write(n):
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO written VALUES (:n)"), {"n": n})
            gevent.sleep(0.01)  # the transaction waits on the network: a client's body, a printer
    except Exception as error:
        errors.append(repr(error))

def tick():
    while True:
        gevent.sleep(0.01)
        ticks[0] += 1

ticker = gevent.spawn(tick)
writers = [gevent.spawn(write, n) for n in range(40)]
finished = gevent.joinall(writers, timeout=20)
ticker.kill()
with engine.connect() as connection:
    rows = connection.execute(text("SELECT count(*) FROM written")).scalar()
print(json.dumps({"finished": len(finished), "errors": errors, "rows": rows, "ticks": ticks[0]}))
"""


def test_forty_greenlets_writing_at_once_all_commit_and_the_process_keeps_running(tmp_path: Path,
                                                                                  engine_name: str) -> None:
    if engine_name != "sqlite":
        pytest.skip("SQLite's busy handler only")
    done = subprocess.run([sys.executable, "-c", WRITERS, str(tmp_path / "office.sqlite3")], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == [] and outcome["finished"] == 40 and outcome["rows"] == 40, outcome
    assert outcome["ticks"] > 10, outcome  # other greenlets ran while the writers queued
