"""Slow and idle clients against one `kiosk serve` of one worker process, on plain sockets so the bench stays light:

  slow clients    420 connections from 127.0.0.1, each sending one header line every 5 s and never finishing its
                  request (a slowloris; a connection the server drops is opened again). Meanwhile, from 127.0.0.2, a
                  kiosk takes tickets, a display loads its page and an API client reads the services: p50/p95 of
                  each and how many were not answered within 10 s. Goal: every one answered, p95 ≤ 1 s.
                  The same kiosk on 127.0.0.1, the slow clients' own address (the hard case), is shown beside.
  streams         event streams (GET /api/v1/events, as kiosks, displays and tablets hold) opened in steps, each
                  from its own address; at each step how many the server answered, its memory, and call → event at
                  every stream for a few calls, and the server's CPU time per call (the fan-out's cost, which a busy
                  machine does not inflate as it does latencies). Goal: 2,000 streams with call → event p95 ≤ 100 ms.
                  An event counts as come when it arrives at its stream's socket (the kernel's receive timestamp): a
                  display has its own CPU to read it, while the bench reads all 2,000 streams in one thread on the
                  server's cores. When that thread read each is shown beside.
                  On PostgreSQL the streams are held by one worker process, then by two (an office that outgrew
                  one process; the kernel shares the connections between them).
The bench's own clients share the server's two cores.

    python bench/slow_clients_bench.py              SQLite in a temp folder
    python bench/slow_clients_bench.py --postgres   a throw-away PostgreSQL cluster (Debian's binaries)
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ranked, run_benches  # noqa: E402
from tests.support.server import REPO, ServerProcess, demo_tokens  # noqa: E402
from tests.support.tickets import take_ticket  # noqa: E402

SLOW = 420
SLOW_EVERY_S = 5.0
NORMAL_FOR_S = 20.0  # how long the normal clients keep asking while the slow ones are open
ANSWER_WITHIN_S = 10.0
STREAM_STEPS = (250, 500, 1000, 2000)
CALLS_PER_STEP = 5
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux's; Python names it only on some builds
ARRIVAL = socket.CMSG_SPACE(16)  # room for the receive timestamp (struct timespec)


def bench(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "kiosk", "demo"], env=env, cwd=REPO, check=True, capture_output=True)
    staff = subprocess.run([sys.executable, "-m", "kiosk", "token", "create", "--role", "staff"], env=env, cwd=REPO,
                           check=True, capture_output=True, text=True).stdout.strip()
    tokens = demo_tokens(Path(env["KIOSK_INSTANCE"]))
    server = ServerProcess(env).start()
    try:
        slow_clients(server, tokens)
    finally:
        server.stop()
    # Fresh processes for the streams, nothing left of the slow clients; on PostgreSQL also with 2 workers, as the
    # probe's load and an office that outgrew one process run it.
    for workers in (1, 2) if "KIOSK_DATABASE_URL" in env else (1,):
        server = ServerProcess(env, workers=workers).start()
        try:
            streams(server, tokens, staff)
        finally:
            server.stop()


# --- slow clients ------------------------------------------------------------------------------------------------


class SlowClients:
    """`count` connections from one address that never finish their request head, as a slowloris holds them: each
    sends a header line every SLOW_EVERY_S, and one the server closed is opened again at its next turn."""

    def __init__(self, port: int, count: int, source: str = "127.0.0.1") -> None:
        self.port, self.count, self.source = port, count, source
        self.selector = selectors.DefaultSelector()
        self.clients: list[socket.socket | None] = [None] * count
        self.dropped = 0  # connections the server closed (or answered), opened again at their next turn
        self.failed = 0  # connections that could not even be opened
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SlowClients:
        for n in range(self.count):
            self.clients[n] = self._open()
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(10)
        for client in self.clients:
            if client is not None:
                client.close()

    @property
    def open(self) -> int:
        return sum(client is not None for client in self.clients)

    def _open(self) -> socket.socket | None:
        try:
            client = socket.create_connection(("127.0.0.1", self.port), timeout=2, source_address=(self.source, 0))
            client.sendall(b"GET /kiosk/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        except OSError:
            self.failed += 1
            return None
        client.setblocking(False)
        self.selector.register(client, selectors.EVENT_READ)
        return client

    def _drop(self, client: socket.socket) -> None:
        self.selector.unregister(client)
        self.clients[self.clients.index(client)] = None
        client.close()
        self.dropped += 1

    def _run(self) -> None:
        turn, started = 0, time.monotonic()
        while not self.stop.is_set():
            for key, _ in self.selector.select(timeout=0.01):
                self._drop(key.fileobj)  # type: ignore[arg-type]  # the server answered or closed it
            due = int((time.monotonic() - started) / SLOW_EVERY_S * self.count)
            while turn < due:  # connection n's turn comes every SLOW_EVERY_S, spread evenly
                n, turn = turn % self.count, turn + 1
                client = self.clients[n]
                if client is None:
                    self.clients[n] = self._open()
                    continue
                try:
                    client.send(f"X-Slow-{turn}: {'x' * 20}\r\n".encode())
                except OSError:
                    self._drop(client)


def timed(port: int, source: str, method: str, path: str, headers: dict[str, str], body: bytes = b"",
          expect: int = 200) -> float | None:
    """One request on its own connection from `source`; seconds until the whole answer, or None if not answered
    with `expect` within ANSWER_WITHIN_S."""
    lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Content-Length: {len(body)}\r\n{lines}\r\n")
    start = time.monotonic()
    deadline, answer = start + ANSWER_WITHIN_S, b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_WITHIN_S, source_address=(source, 0)) as c:
            c.sendall(head.encode() + body)
            while chunk := c.recv(65536):
                answer += chunk
                c.settimeout(max(0.01, deadline - time.monotonic()))
    except OSError:
        return None
    elapsed = time.monotonic() - start
    return elapsed if answer.startswith(f"HTTP/1.1 {expect}".encode()) and elapsed <= ANSWER_WITHIN_S else None


def keep_asking(ask: Callable[[], float | None], until: float) -> list[float | None]:
    times: list[float | None] = []
    while time.monotonic() < until and len(times) < 200:
        times.append(ask())
        time.sleep(0.25)
    return times


def figures(times: list[float | None]) -> str:
    """p50/p95 counting an unanswered request as slower than any answer."""
    ordered = sorted(t if t is not None else float("inf") for t in times)
    p95 = ranked(ordered, 0.95)
    unanswered = sum(t is None for t in times)

    def ms(value: float) -> str:
        return f"{value * 1000:7.1f} ms" if value != float("inf") else f" > {ANSWER_WITHIN_S:.0f} s  "

    return f"p50 {ms(statistics.median(ordered))}   p95 {ms(p95)}   unanswered {unanswered}/{len(times)}"


def slow_clients(server: ServerProcess, tokens: dict[str, str]) -> None:
    port = server.port
    kiosk = {"Authorization": f"Bearer {tokens['kiosk-lobby']}", "Content-Type": "application/json"}
    ticket = json.dumps({"service": "passport-first"}).encode()
    kinds: dict[str, Callable[[], float | None]] = {
        "kiosk ticket  (127.0.0.2)": lambda: timed(port, "127.0.0.2", "POST", "/api/v1/tickets", kiosk, ticket, 201),
        "display page  (127.0.0.2)": lambda: timed(
            port, "127.0.0.2", "GET", "/display", {"Cookie": f"device_display={tokens['display-hall']}"}),
        "API services  (127.0.0.2)": lambda: timed(
            port, "127.0.0.2", "GET", "/api/v1/services", {"Authorization": kiosk["Authorization"]}),
        "kiosk ticket  (127.0.0.1, the slow clients' address)": lambda: timed(
            port, "127.0.0.1", "POST", "/api/v1/tickets", kiosk, ticket, 201),
    }
    print(f"  {SLOW} slow connections from 127.0.0.1 (a header line every {SLOW_EVERY_S:.0f} s), "
          f"normal clients for {NORMAL_FOR_S:.0f} s:")
    with SlowClients(port, SLOW) as slow:
        time.sleep(SLOW_EVERY_S + 1)  # every slow connection has sent a line or two
        until = time.monotonic() + NORMAL_FOR_S
        results: dict[str, list[float | None]] = {}
        askers = [threading.Thread(target=lambda k=k, a=a: results.__setitem__(k, keep_asking(a, until)))
                  for k, a in kinds.items()]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join(NORMAL_FOR_S + 2 * ANSWER_WITHIN_S)
        held, dropped, failed = slow.open, slow.dropped, slow.failed
    for kind in kinds:
        times = results.get(kind, [])
        print(f"    {kind:<52} {figures(times)}")
    print(f"    slow connections: {held} open at the end, {dropped} closed by the server (opened again at their turn), "
          f"{failed} could not connect")
    print("    goal: every request from another address answered, p95 ≤ 1 s")


# --- streams -----------------------------------------------------------------------------------------------------


def stream_address(n: int) -> str:
    return f"127.1.{n // 250}.{n % 250 + 1}"


class Streams:
    """Event streams on non-blocking sockets, each from its own address, read by one selector."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.selector = selectors.DefaultSelector()
        self.pending: dict[socket.socket, bytes] = {}  # sent, not answered yet
        self.answered: list[socket.socket] = []
        self.refused = 0

    def open(self, count: int) -> None:
        request = (f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n"
                   "Accept: text/event-stream\r\n\r\n").encode()
        first = len(self.pending) + len(self.answered) + self.refused
        for n in range(first, first + count):
            try:
                client = socket.create_connection(("127.0.0.1", self.port), timeout=3,
                                                  source_address=(stream_address(n), 0))
                client.sendall(request)
            except OSError:
                self.refused += 1
                continue
            client.setblocking(False)
            client.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            self.selector.register(client, selectors.EVENT_READ)
            self.pending[client] = b""
        self._await_answers(time.monotonic() + ANSWER_WITHIN_S)

    def _await_answers(self, deadline: float) -> None:
        while self.pending and time.monotonic() < deadline:
            for key, _ in self.selector.select(timeout=0.2):
                client: socket.socket = key.fileobj  # type: ignore[assignment]
                chunk, _ = self._read(client)
                if client in self.pending:
                    self.pending[client] += chunk
                    if b"\r\n\r\n" in self.pending[client]:
                        ok = self.pending.pop(client).startswith(b"HTTP/1.1 200")
                        if ok:
                            self.answered.append(client)
                        else:
                            self._close(client)

    def _read(self, client: socket.socket) -> tuple[bytes, float]:
        """What came, and the wall-clock time the kernel received it (its last part)."""
        arrived = time.time()
        try:
            chunk, extra, _flags, _address = client.recvmsg(1 << 16, ARRIVAL)
        except OSError:
            chunk, extra = b"", []
        for level, kind, data in extra:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = struct.unpack("qq", data[:16])
                arrived = seconds + nanoseconds / 1e9
        if not chunk:
            self._close(client)
        return chunk, arrived

    def _close(self, client: socket.socket) -> None:
        self.selector.unregister(client)
        self.pending.pop(client, None)
        if client in self.answered:
            self.answered.remove(client)
        client.close()
        self.refused += 1

    def drain(self) -> None:
        for key, _ in self.selector.select(timeout=0.05):
            self._read(key.fileobj)  # type: ignore[arg-type]

    def time_call(self, call: Callable[[], bool]) -> tuple[list[float], list[float]] | None:
        """Seconds from the call until each answered stream's ticket.called arrived at its socket, and until the
        bench read it; None if the call failed."""
        self.drain()
        waiting = set(self.answered)
        tails = dict.fromkeys(waiting, b"")
        arrived: list[float] = []
        read: list[float] = []
        start = time.time()
        if not call():
            return None
        while waiting and time.time() < start + ANSWER_WITHIN_S:
            for key, _ in self.selector.select(timeout=0.2):
                client: socket.socket = key.fileobj  # type: ignore[assignment]
                chunk, at = self._read(client)
                if client not in waiting:
                    continue
                seen = tails[client] + chunk
                if b"event: ticket.called" in seen:
                    arrived.append(at - start)
                    read.append(time.time() - start)
                    waiting.discard(client)
                tails[client] = seen[-32:]
        never = [ANSWER_WITHIN_S] * len(waiting)  # never came: counted as the whole wait
        return arrived + never, read + never

    def close(self) -> None:
        for client in [*self.pending, *self.answered]:
            client.close()


def worker_pids(server: ServerProcess) -> list[str]:
    assert server.process is not None
    return subprocess.run(["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True).stdout.split()


def worker_memory_mb(server: ServerProcess) -> float:
    """Resident memory of the server's worker process(es)."""
    total = 0
    for pid in worker_pids(server):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def worker_cpu_s(server: ServerProcess) -> float:
    """CPU time the server's worker process(es) used so far: unlike latencies, not inflated by a busy machine."""
    total = 0
    for pid in worker_pids(server):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def quiet(server: ServerProcess, within_s: float = 10.0) -> None:
    """Wait until the server has finished with the streams just opened (their first message, marking their devices
    seen), so the CPU time counted for the calls is the calls' own."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        before = worker_cpu_s(server)
        time.sleep(0.5)
        if worker_cpu_s(server) - before < 0.05:
            return


def streams(server: ServerProcess, tokens: dict[str, str], staff: str) -> None:
    http = requests.Session()
    for _ in range(len(STREAM_STEPS) * CALLS_PER_STEP + 1):
        take_ticket(server.url, tokens["kiosk-lobby"], http=http)

    def call() -> bool:
        try:
            answer = http.post(f"{server.url}/api/v1/counters/1/call-next",
                               headers={"Authorization": f"Bearer {staff}"}, timeout=ANSWER_WITHIN_S)
        except requests.RequestException:
            return False
        return answer.status_code == 200

    print(f"  event streams held by one `kiosk serve` of {server.workers} worker process(es), each from its own "
          "address:")
    crowd = Streams(server.port, tokens["display-hall"])
    try:
        for step in STREAM_STEPS:
            crowd.open(step - len(crowd.answered) - len(crowd.pending))
            held = len(crowd.answered)
            quiet(server)
            latencies: list[float] = []
            reads: list[float] = []
            cpu = worker_cpu_s(server)
            for _ in range(CALLS_PER_STEP):
                timed_call = crowd.time_call(call)
                if timed_call is None:
                    break
                latencies += timed_call[0]
                reads += timed_call[1]
            memory, cpu = worker_memory_mb(server), (worker_cpu_s(server) - cpu) / CALLS_PER_STEP
            if not latencies:
                print(f"    {step:5} asked: {held:5} answered, {memory:6.0f} MB; the server did not answer the call "
                      f"within {ANSWER_WITHIN_S:.0f} s")
                break
            ordered = sorted(latencies)
            p95 = ranked(ordered, 0.95)
            late = sum(t >= ANSWER_WITHIN_S for t in latencies)
            print(f"    {step:5} asked: {held:5} answered, {memory:6.0f} MB; call → event p50 "
                  f"{statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
                  f"never came {late}/{len(latencies)}   server CPU {cpu * 1000:5.0f} ms a call   "
                  f"(read by the bench: p50 {statistics.median(reads) * 1000:5.1f} ms   "
                  f"p95 {ranked(reads, 0.95) * 1000:5.1f} ms)")
            if held < step:
                break
    finally:
        crowd.close()
    print("    goal: 2,000 streams, call → event p95 ≤ 100 ms")


def main() -> None:
    run_benches(__doc__, "slow clients and held streams bench, one `kiosk serve`", bench)


if __name__ == "__main__":
    main()
