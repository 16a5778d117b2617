"""A small server-sent-events reader for tests: parses id/event/data blocks off a live stream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests


@dataclass(frozen=True)
class Message:
    id: int
    event: str
    data: dict[str, Any]


class EventStream:
    def __init__(self, url: str, token: str, last_event_id: int | None = None, read_timeout: float = 20) -> None:
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.response = requests.get(f"{url}/api/v1/events", headers=headers, stream=True, timeout=(5, read_timeout))
        self.response.raise_for_status()
        self._lines = self.response.iter_lines(decode_unicode=True)

    def messages(self) -> Iterator[Message]:
        fields: dict[str, str] = {}
        for line in self._lines:
            if line:
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
                continue
            if "data" in fields:
                yield Message(int(fields["id"]), fields.get("event", "message"), json.loads(fields["data"]))
            fields = {}

    def take(self, count: int, kinds: tuple[str, ...] = ()) -> list[Message]:
        taken: list[Message] = []
        for message in self.messages():
            if not kinds or message.event in kinds:
                taken.append(message)
            if len(taken) == count:
                break
        return taken

    def close(self) -> None:
        self.response.close()
