"""Figures learned from past days, kept per database, office and service day for the life of the process: the
past does not change during a day, and learning from weeks of tickets takes a good part of a second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from threading import Lock
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from kiosk.data.models import Office

T = TypeVar("T")


class DailyCache(Generic[T]):
    def __init__(self, kept: int = 16) -> None:
        self._kept, self._values, self._lock = kept, dict[tuple[str, int, date], T](), Lock()

    def get(self, session: Session, office: Office, day: date, learn: Callable[[], T]) -> T:
        bind = session.get_bind()
        key = (str(bind.engine.url), office.id, day)
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = learn()
        with self._lock:
            if len(self._values) >= self._kept:
                self._values.clear()
            self._values[key] = value
        return value
