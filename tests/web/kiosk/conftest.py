"""The kiosk's browser tests share one Chromium per module, a served office and the demo kiosk's token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.support.browser import chromium
from tests.support.server import ServerProcess, demo_tokens


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as started:
        yield started


@pytest.fixture
def server(start_server: Callable[..., ServerProcess]) -> ServerProcess:
    return start_server()


@pytest.fixture
def token(server: ServerProcess, instance: Path) -> str:
    return demo_tokens(instance)["kiosk-lobby"]
