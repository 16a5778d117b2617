"""The real server (`kiosk serve`) in its own process, as an office runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.support.ports import free_port

REPO = Path(__file__).resolve().parents[2]


class ServerProcess:
    def __init__(self, env: dict[str, str], port: int | None = None, workers: int = 1,
                 command: list[str] | None = None) -> None:
        """`command`: the server's own command line (a systemd unit's ExecStart), else `kiosk serve` on `port`."""
        self.env = env
        self.port = port or free_port()
        self.workers = workers
        self.command = command
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(env["KIOSK_INSTANCE"]) / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> ServerProcess:
        argv = self.command or [sys.executable, "-m", "kiosk", "serve", "--port", str(self.port),
                                "--workers", str(self.workers)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(argv, env=self.env, cwd=REPO, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/api/v1/openapi.json", timeout=1).ok:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or too busy starting to answer
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """kill -9: what a power cut or a crash does to the process."""
        if self.process and self.process.poll() is None:
            workers = _children(self.process.pid)  # gunicorn's workers hold the database connections
            self.process.kill()
            for worker in workers:
                os.kill(worker, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """gunicorn's quick shutdown (SIGINT): a second sooner than the graceful one, which has its own test."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def demo_tokens(instance: Path) -> dict[str, str]:
    return {name: d["token"] for name, d in json.loads((instance / "demo_tokens.json").read_text()).items()}
