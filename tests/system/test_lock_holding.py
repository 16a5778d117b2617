"""PostgreSQL under gevent, as `kiosk serve` runs it: a transaction holding a lock the office queues on keeps the
worker's event loop until its COMMIT; waiting for such a lock or holding one while another request of the worker
holds one too gives the loop way, and so does any wait past the budget, so a lock held by a request set aside in
the same worker comes free. Runs the engine in a monkey-patched interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.server import REPO

GREENLETS = """
from gevent import monkey; monkey.patch_all()
import json, sys
import gevent, gevent.event
from sqlalchemy import text
from kiosk.data import lock_holding
from kiosk.data.engine import make_engine
from kiosk.data.lock_holding import HELD_TO_COMMIT

engine = make_engine(sys.argv[1].replace("postgresql://", "postgresql+psycopg://", 1))
log = []

def other_requests():
    while True:
        log.append("other")
        gevent.sleep(0)

def lock(connection, key, options=HELD_TO_COMMIT):
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key}, execution_options=options)

def round_trips(name, options):
    with engine.begin() as connection:
        lock(connection, 1, options)
        log.append(name + " locked")
        for _ in range(5):
            connection.execute(text("SELECT pg_sleep(0.002)"))
    log.append(name + " committed")

def set_aside(key, options, seconds, held):
    with engine.begin() as connection:
        lock(connection, key, options)
        held.set()
        gevent.sleep(seconds)  # a request that holds a lock and waits on something else: the loop must come back

def waits_for(key, own=None):
    with engine.begin() as connection:
        if own is not None:
            lock(connection, own)  # holds a lock of its own while it waits
        lock(connection, key)

def waits_for_after_lock(key, own):
    with engine.begin() as connection:
        lock(connection, own)
        lock(connection, key, {})

def together(aside, *waiters):  # a request holding a lock while set aside, the others once it holds it
    held = gevent.event.Event()
    greenlets = [gevent.spawn(set_aside, *aside, held)]
    held.wait(10)
    greenlets += [gevent.spawn(*waiter) for waiter in waiters]
    return len(gevent.joinall(greenlets, timeout=15))

others = [gevent.spawn(other_requests) for _ in range(3)]
gevent.sleep(0.01)
gevent.spawn(round_trips, "holder", HELD_TO_COMMIT).join(timeout=10)
gevent.spawn(round_trips, "plain", {}).join(timeout=10)
# A holder waiting on a row a request of its own worker holds: the budget ends its blocking.
past_budget = together((2, {}, 0.3), (waits_for, 2, 3))
# Whatever the budget, a request waiting for a lock, or holding one, gives way while another request of the
# worker holds one.
lock_holding.BUDGET_S = 60.0
waiting = together((4, HELD_TO_COMMIT, 0.05), *[(waits_for, 4)] * 5)
holding = together((5, HELD_TO_COMMIT, 0.05), *[(waits_for, 5, 10 + n) for n in range(5)])
# A holder's other statements (here one waiting on a row a request of its worker holds) block only briefly.
after_lock = together((6, {}, 0.05), (waits_for_after_lock, 6, 7))
gevent.killall(others)
print(json.dumps({"finished": [past_budget, waiting, holding, after_lock], "still holding": len(lock_holding._holders),
                  "holder": log[log.index("holder locked"):log.index("holder committed")].count("other"),
                  "plain": log[log.index("plain locked"):log.index("plain committed")].count("other")}))
"""


def test_a_lock_holder_keeps_the_loop_and_gives_it_way_when_a_request_of_its_worker_needs_it(
        db_url: str, engine_name: str) -> None:
    if engine_name != "postgresql":
        pytest.skip("PostgreSQL's locks only")
    # It runs in a few seconds; a worker that blocks on a lock its own set-aside request holds stalls for the
    # minute the budget is set to, and runs out of time here.
    done = subprocess.run([sys.executable, "-c", GREENLETS, db_url], cwd=REPO, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["holder"] == 0, outcome  # no other request ran from its lock to its COMMIT
    assert outcome["plain"] > 0, outcome  # without the option, every round trip gives the loop away
    # Each run ends, and no connection is left marked as holding.
    assert outcome["finished"] == [2, 6, 6, 2] and outcome["still holding"] == 0, outcome
