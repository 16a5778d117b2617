"""The production server: gunicorn with threads, since every display and tablet holds a stream open."""

from __future__ import annotations

import signal
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class OfficeServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        # Built in each worker after the fork, so every process has its own event hub and connections.
        from kiosk import create_app

        return create_app()


def end_streams_on_shutdown(worker: Any) -> None:
    """On SIGTERM close the event streams at once, so a restart does not wait for every display's heartbeat."""
    previous = signal.getsignal(signal.SIGTERM)

    def stop(signum: int, frame: Any) -> None:
        worker.wsgi.extensions["kiosk"].hub.stop()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, stop)


def serve(host: str, port: int, workers: int, threads: int) -> None:
    OfficeServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "graceful_timeout": 5,
            "keepalive": 5,
            "accesslog": None,
            "control_socket_disable": True,
            "post_worker_init": end_streams_on_shutdown,  # several offices or test servers may share a machine
        }
    ).run()
