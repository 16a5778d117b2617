"""PostgreSQL under gevent, as `kiosk serve` runs it: a transaction holding a lock the office queues on keeps the
worker's event loop until its COMMIT, and one that waits on a lock held by a request of its own worker gets it
after a short pause instead of waiting forever. Runs the engine in a monkey-patched interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.server import REPO

GREENLETS = """
from gevent import monkey; monkey.patch_all()
import json, sys
import gevent
from sqlalchemy import text
from kiosk.data.engine import make_engine
from kiosk.data.lock_holding import HELD_TO_COMMIT

engine = make_engine(sys.argv[1].replace("postgresql://", "postgresql+psycopg://", 1))
log = []

def other_requests():
    while True:
        log.append("other")
        gevent.sleep(0)

def transaction(name, options):
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(1)"), execution_options=options)
        log.append(name + " locked")
        for _ in range(5):
            connection.execute(text("SELECT pg_sleep(0.002)"))
    log.append(name + " committed")

def set_aside(seconds):
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(2)"))
        log.append("aside locked")
        gevent.sleep(seconds)
    log.append("aside committed")

def waits_for_aside():
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(2)"), execution_options=HELD_TO_COMMIT)
    log.append("waiter committed")

def between(first, last):
    return log[log.index(first) + 1:log.index(last)]

others = [gevent.spawn(other_requests) for _ in range(3)]
gevent.sleep(0.01)
gevent.spawn(transaction, "holder", HELD_TO_COMMIT).join(timeout=10)
gevent.spawn(transaction, "plain", {}).join(timeout=10)
aside = gevent.spawn(set_aside, 0.5)
gevent.sleep(0.05)
waiter = gevent.spawn(waits_for_aside)
finished = gevent.joinall([aside, waiter], timeout=10)
gevent.killall(others)
print(json.dumps({"holder": between("holder locked", "holder committed"),
                  "plain": between("plain locked", "plain committed"),
                  "finished": len(finished)}))
"""


def test_a_lock_holder_keeps_the_loop_and_a_lock_set_aside_in_the_same_worker_still_comes_free(
        db_url: str, engine_name: str) -> None:
    if engine_name != "postgresql":
        pytest.skip("PostgreSQL's locks only")
    done = subprocess.run([sys.executable, "-c", GREENLETS, db_url], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["holder"] == [], outcome  # no other request ran from its lock to its COMMIT
    assert "other" in outcome["plain"], outcome  # without the option, every round trip gives the loop away
    assert outcome["finished"] == 2, outcome  # the waiter let the loop go after its budget: no deadlock
