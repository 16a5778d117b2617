"""The hall's announcements as the display plays them: in which languages, by whom, and the WAV made once.

Fifty displays ask for the same call's sound at the same moment; one render serves them all, and it is
started as soon as the call is streamed, so the file is usually ready before the first display asks. The forms
said when calls wait behind each other are made when a display asks for them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from kiosk.domain.hall.board import Call, DisplaySettings
from kiosk.domain.hall.voices import AnnouncementAudio, available_voices
from kiosk.domain.hall.wording import LANGUAGES, announcement_languages, announcement_text, spoken_text

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
PRUNE_EVERY = 50  # renders between two clean-ups of the cache folder
# How the display says a call (its audio queue chooses): on its own, with the chime and the full sentences; as the
# first of several waiting, the chime and the brief form; as one of those after it, the brief form only.
DELIVERIES: dict[str, tuple[bool, bool]] = {"alone": (False, True), "first": (True, True), "next": (True, False)}


class SingleFlight(Generic[K, V]):
    """Callers asking for the same key at once share one computation; the latest `keep` results are kept."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._lock = threading.Lock()
        self._futures: OrderedDict[K, Future[V]] = OrderedDict()

    def get(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            future = self._futures.get(key)
            owner = future is None
            if future is None:
                future = self._futures[key] = Future()
                while len(self._futures) > self._keep:
                    self._futures.popitem(last=False)
        if owner:
            try:
                future.set_result(make())
            except BaseException as error:
                future.set_exception(error)
                with self._lock:
                    self._futures.pop(key, None)  # a failure is not remembered: the next caller tries again
        return future.result()


@dataclass(frozen=True)
class Line:
    """One language's sentence: shown as `text`; `say` is what the browser reads when the server cannot."""

    lang: str
    text: str
    say: str
    by_server: bool


class Announcer:
    """The calls of every office the process serves; each call with its office's languages (`office_langs`)."""

    def __init__(self, cache_dir: Path, audio_root: Path, chime: Path, settings: DisplaySettings) -> None:
        self.settings = settings
        self.voices = available_voices(LANGUAGES, audio_root)
        self.audio = AnnouncementAudio(cache_dir, self.voices, chime) if self.voices else None
        self._renders: SingleFlight[tuple[str, int, tuple[str, ...], str], Path] = SingleFlight(keep=256)
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="announce")
        self._made = 0

    def lines(self, call: Call, office_langs: Sequence[str]) -> list[Line]:
        """Vietnamese, then the citizen's language if the office announces in it."""
        langs = announcement_languages(call.language, list(office_langs), self.settings.announce_citizen_language)
        return [self._line(call, lang) for lang in langs]

    def server_langs(self, call: Call, office_langs: Sequence[str]) -> tuple[str, ...]:
        return tuple(line.lang for line in self.lines(call, office_langs) if line.by_server)

    def wav_possible(self, call: Call, office_langs: Sequence[str]) -> bool:
        return self.audio is not None and bool(self.server_langs(call, office_langs))

    def wav(self, call: Call, office_langs: Sequence[str], delivery: str = "alone") -> Path | None:
        """The call's announcement in each language the server has a voice for, said as `delivery` (one of
        DELIVERIES); None if it has none."""
        if not self.wav_possible(call, office_langs):
            return None
        langs = self.server_langs(call, office_langs)
        return self._renders.get((call.number, call.counter, langs, delivery),
                                 lambda: self._render(call, langs, delivery))

    def prepare(self, call: Call, office_langs: Sequence[str]) -> None:
        """Start making the call's sound on its own now, so it is ready when the displays ask for it."""
        self._pool.submit(self.wav, call, office_langs, "alone")

    def _render(self, call: Call, langs: tuple[str, ...], delivery: str) -> Path:
        assert self.audio is not None
        brief, chime = DELIVERIES[delivery]
        path = self.audio.render(call.number, call.counter, langs, self.settings.number_style, brief=brief,
                                 chime=chime)
        self._made += 1
        if self._made % PRUNE_EVERY == 0:
            self.audio.prune(self.settings.audio_cache_files)
        return path

    def _line(self, call: Call, lang: str) -> Line:
        text = announcement_text(call.number, call.counter, lang)
        # A browser's Chinese voice reads characters well; its other voices need the number spelled out.
        say = text if lang == "zh" else spoken_text(call.number, call.counter, lang, self.settings.number_style)
        return Line(lang, text, say, lang in self.voices)
