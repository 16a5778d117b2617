"""What the hall says for a call: Vietnamese first, then the citizen's language, by the server's voice or the
browser's."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from kiosk.domain.hall import voices
from kiosk.domain.hall.announcer import Announcer
from kiosk.domain.hall.board import Call, DisplaySettings
from tests.support.server import REPO

AUDIO = REPO / "static" / "audio"


@pytest.mark.parametrize(("citizen", "office_langs", "enabled", "spoken"), [
    ("vi", ["vi", "en", "zh"], True, ["vi"]),
    ("en", ["vi", "en", "zh"], True, ["vi", "en"]),
    ("zh", ["vi", "en", "zh"], True, ["vi", "zh"]),
    ("zh", ["vi", "en"], True, ["vi"]),
    ("en", ["vi", "en", "zh"], False, ["vi"]),
])
def test_vietnamese_first_then_the_citizens_language_if_the_office_offers_it(
    tmp_path: Path, display_settings: DisplaySettings, citizen: str, office_langs: list[str], enabled: bool,
    spoken: list[str],
) -> None:
    settings = DisplaySettings(**{**display_settings.__dict__, "announce_citizen_language": enabled})
    announcer = Announcer(tmp_path, AUDIO, AUDIO / "chime.wav", settings)
    lines = announcer.lines(Call(7, "A012", 3, citizen, False, datetime.now()), office_langs)
    assert [line.lang for line in lines] == spoken
    assert lines[0].text == "Mời công dân có số thứ tự A012 đến quầy số 3"
    assert lines[0].say == "Mời công dân có số thứ tự A, không, một, hai đến quầy số ba"


def test_without_a_server_voice_the_browser_speaks(
    tmp_path: Path, display_settings: DisplaySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices, "ESPEAK_LIBRARY", "libespeak-ng-not-installed.so.1")  # no clip pack either
    announcer = Announcer(tmp_path / "cache", tmp_path, AUDIO / "chime.wav", display_settings)
    call, langs = Call(7, "A012", 3, "zh", False, datetime.now()), ["vi", "zh"]
    assert not announcer.wav_possible(call, langs) and announcer.wav(call, langs) is None
    assert [(line.lang, line.by_server, line.say) for line in announcer.lines(call, langs)] == [
        ("vi", False, "Mời công dân có số thứ tự A, không, một, hai đến quầy số ba"),
        ("zh", False, "请A012号到3号窗口"),  # a browser's Chinese voice reads characters, not pinyin
    ]
