"""The announcement as the hall hears it: one valid WAV, chime first, each language spoken, made once."""

from __future__ import annotations

import array
import math
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.hall import voices
from kiosk.domain.hall.voices import (
    HALL_FORMAT,
    PAUSE_S,
    REQUIRED_CLIPS,
    AnnouncementAudio,
    AudioFormat,
    ClipFormatError,
    ClipPackVoice,
    EspeakVoice,
    SpeechError,
    Voice,
    available_voice,
    espeak_engine,
)
from tests.support.server import REPO

CHIME = REPO / "static" / "audio" / "chime.wav"
needs_espeak = pytest.mark.skipif(
    espeak_engine() is None, reason="espeak-ng missing: apt-get install espeak-ng (CI installs it)"
)
needs_sox = pytest.mark.skipif(shutil.which("sox") is None, reason="sox missing: apt-get install sox (CI installs it)")


def frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as wav:
        return wav.readframes(wav.getnframes())


def duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        seconds = wav.getnframes() / wav.getframerate()
    if soxi := shutil.which("soxi"):
        assert float(subprocess.run([soxi, "-D", str(path)], capture_output=True, check=True).stdout) == (
            pytest.approx(seconds, abs=0.001)
        )
    return seconds


def loudness_db(path: Path, start_s: float, end_s: float) -> float:
    """RMS level of a 16-bit mono stretch, in dB below full scale."""
    with wave.open(str(path), "rb") as wav:
        wav.setpos(round(start_s * wav.getframerate()))
        samples = array.array("h", wav.readframes(round((end_s - start_s) * wav.getframerate())))
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    return 20 * math.log10(max(rms, 1) / 32768)


def write_tone(path: Path, seconds: float, hz: float, fmt: AudioFormat = HALL_FORMAT) -> None:
    """A sine tone; 8-bit WAV samples are unsigned, 16-bit signed."""
    sines = [math.sin(2 * math.pi * hz * i / fmt.rate) for i in range(round(seconds * fmt.rate))]
    samples = [x for x in sines for _ in range(fmt.channels)]
    if fmt.width == 2:
        data = array.array("h", (round(8000 * x) for x in samples)).tobytes()
    else:
        data = bytes(128 + round(60 * x) for x in samples)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(fmt.channels)
        wav.setsampwidth(fmt.width)
        wav.setframerate(fmt.rate)
        wav.writeframes(data)


def make_pack(folder: Path, fmt: AudioFormat = HALL_FORMAT) -> Path:
    """A clip pack of short tones, each a different length and pitch, so order and sums can be checked."""
    folder.mkdir(parents=True)
    for index, name in enumerate([*REQUIRED_CLIPS, *"abcdef"]):
        write_tone(folder / f"{name}.wav", 0.05 + 0.01 * index, 300 + 40 * index, fmt)
    return folder


class CountingVoice:
    """A voice that counts how often it has to synthesise."""

    def __init__(self, inner: Voice) -> None:
        self.inner, self.made = inner, 0

    def script(self, number: str, counter: str | int, style: str, brief: bool = False) -> str:
        return self.inner.script(number, counter, style, brief)

    def identity(self) -> str:
        return self.inner.identity()

    def synthesise(self, script: str, out: Path) -> None:
        self.made += 1
        self.inner.synthesise(script, out)


@pytest.fixture
def espeak_voices() -> dict[str, CountingVoice]:
    return {lang: CountingVoice(EspeakVoice(lang)) for lang in ("vi", "en", "zh")}


@pytest.fixture
def espeak_audio(tmp_path: Path, espeak_voices: dict[str, CountingVoice]) -> AnnouncementAudio:
    return AnnouncementAudio(tmp_path / "cache", espeak_voices, CHIME)


def test_chime_is_a_short_two_tone_sound_with_no_silence() -> None:
    with wave.open(str(CHIME), "rb") as wav:
        assert AudioFormat(wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == HALL_FORMAT
    assert 0.6 <= duration(CHIME) <= 1.0
    assert all(loudness_db(CHIME, t / 10, (t + 1) / 10) > -40 for t in range(8))


@needs_espeak
@pytest.mark.parametrize("lang", ["vi", "en", "zh"])
def test_each_language_is_chime_then_speech_that_fits_its_text(espeak_audio: AnnouncementAudio, lang: str) -> None:
    path = espeak_audio.render("B1002", 3, [lang])
    with wave.open(str(path), "rb") as wav:
        assert AudioFormat(wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == HALL_FORMAT
    assert frames(path).startswith(frames(CHIME))
    assert all(loudness_db(path, t / 10, (t + 1) / 10) > -40 for t in range(8))
    # Every syllable (vi, zh) or word (en) takes between 0.25 s (240 a minute, faster than any announcer)
    # and 1.2 s (50 a minute, slower than any voice even with pauses at commas): catches cut or padded audio.
    words = len(espeak_audio.voices[lang].script("B1002", 3, "digits").split())
    speech_s = duration(path) - duration(CHIME) - PAUSE_S
    assert 0.25 * words <= speech_s <= 1.2 * words


@needs_espeak
def test_three_languages_last_longer_than_one(espeak_audio: AnnouncementAudio) -> None:
    one = duration(espeak_audio.render("A012", 3, ["vi"]))
    three = duration(espeak_audio.render("A012", 3, ["vi", "en", "zh"]))
    assert three > one + 2 * (1 + PAUSE_S)


@needs_espeak
def test_espeak_reads_the_chinese_text_as_toned_pinyin_syllables() -> None:
    script = EspeakVoice("zh").script("A012", 3, "digits")
    phonemes = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "cmn-latn-pinyin"], input=script, capture_output=True, text=True, check=True
    ).stdout
    syllables = [token.strip() for token in phonemes.split("_|") if token.strip()]
    assert len(syllables) == len(script.split())
    assert all(any(tone in s for tone in ("55", "35", "21", "51")) for s in syllables), syllables


@needs_espeak
def test_second_render_reuses_the_file(
    espeak_audio: AnnouncementAudio, espeak_voices: dict[str, CountingVoice]
) -> None:
    first = espeak_audio.render("A012", 3, ["vi", "zh"])
    before = first.stat()
    again = espeak_audio.render("A012", 3, ["vi", "zh"])
    assert again == first
    assert (again.stat().st_ino, again.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert {lang: voice.made for lang, voice in espeak_voices.items()} == {"vi": 1, "en": 0, "zh": 1}
    assert list(espeak_audio.cache_dir.iterdir()) == [first]


@needs_espeak
def test_other_words_make_another_file(espeak_audio: AnnouncementAudio, tmp_path: Path) -> None:
    worded = {"vi": EspeakVoice("vi", templates={"vi": "Xin mời số {number} tới quầy {counter}"})}
    other = AnnouncementAudio(espeak_audio.cache_dir, worded, CHIME)
    paths = {
        espeak_audio.render("A012", 3, ["vi"]),
        espeak_audio.render("A013", 3, ["vi"]),
        espeak_audio.render("A012", 4, ["vi"]),
        espeak_audio.render("A012", 3, ["vi"], style="whole"),
        other.render("A012", 3, ["vi"]),
    }
    assert len(paths) == 5


def test_clip_pack_joins_clips_in_order(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "vi")
    voice = ClipPackVoice(pack)
    script = voice.script("A012", 3, "whole")
    assert script == "moi_cong_dan a 0 1 2 den_quay_so 3"
    clips = [pack / f"{name}.wav" for name in script.split()]
    voice.synthesise(script, tmp_path / "out.wav")
    assert frames(tmp_path / "out.wav") == b"".join(frames(clip) for clip in clips)
    assert duration(tmp_path / "out.wav") == pytest.approx(sum(duration(clip) for clip in clips), abs=1e-3)

    audio = AnnouncementAudio(tmp_path / "cache", {"vi": voice}, CHIME)
    rendered = audio.render("A012", 3, ["vi"])
    silence = b"\0" * 2 * round(PAUSE_S * HALL_FORMAT.rate)
    assert frames(rendered) == frames(CHIME) + silence + frames(tmp_path / "out.wav")


def test_clip_pack_closing_phrase_is_said_last(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "zh")
    write_tone(pack / "cuoi_cau.wav", 0.2, 900)
    assert ClipPackVoice(pack).script("B1002", 12, "digits") == "moi_cong_dan b 1 0 0 2 den_quay_so 1 2 cuoi_cau"


@pytest.mark.parametrize("odd", [AudioFormat(16000, 2, 1), AudioFormat(22050, 2, 2), AudioFormat(22050, 1, 1)])
def test_clips_of_different_formats_are_refused(tmp_path: Path, odd: AudioFormat) -> None:
    pack = make_pack(tmp_path / "vi")
    write_tone(pack / "2.wav", 0.1, 500, odd)
    with pytest.raises(ClipFormatError, match=r"2\.wav is .* but moi_cong_dan\.wav is 22050 Hz, 16-bit, 1 channel"):
        ClipPackVoice(pack).synthesise("moi_cong_dan a 0 1 2", tmp_path / "out.wav")


def test_missing_letter_clip_is_named(tmp_path: Path) -> None:
    voice = ClipPackVoice(make_pack(tmp_path / "vi"))
    with pytest.raises(SpeechError, match="lacks x.wav"):
        voice.synthesise(voice.script("X012", 3, "digits"), tmp_path / "out.wav")


@needs_sox
def test_a_pack_in_another_format_is_converted_to_the_hall_format(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "en", AudioFormat(44100, 2, 2))
    path = AnnouncementAudio(tmp_path / "cache", {"en": ClipPackVoice(pack)}, CHIME).render("A012", 3, ["en"])
    clips = sum(duration(pack / f"{name}.wav") for name in "moi_cong_dan a 0 1 2 den_quay_so 3".split())
    with wave.open(str(path), "rb") as wav:
        assert AudioFormat(wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == HALL_FORMAT
    assert duration(path) == pytest.approx(duration(CHIME) + PAUSE_S + clips, abs=0.01)


def test_without_sox_another_format_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    pack = make_pack(tmp_path / "en", AudioFormat(44100, 2, 1))
    audio = AnnouncementAudio(tmp_path / "cache", {"en": ClipPackVoice(pack)}, CHIME)
    with pytest.raises(ClipFormatError, match="not 22050 Hz, 16-bit, 1 channel.*sox is not installed"):
        audio.render("A012", 3, ["en"])


class SlowLoggingVoice(ClipPackVoice):
    """A clip pack that notes each synthesis in a file the processes share, and takes its time over it."""

    def synthesise(self, script: str, out: Path) -> None:
        with open(self.folder.parent / "made.log", "a") as log:
            log.write(f"{os.getpid()}\n")
        time.sleep(0.3)
        super().synthesise(script, out)


def render_when_both_are_ready(folder: Path, ready: Any) -> None:
    audio = AnnouncementAudio(folder / "cache", {"vi": SlowLoggingVoice(folder / "vi")}, CHIME)
    ready.wait()
    audio.render("A012", 3, ["vi"])


def test_two_workers_hearing_of_one_call_make_its_sound_once(tmp_path: Path) -> None:
    make_pack(tmp_path / "vi")
    forked = multiprocessing.get_context("fork")
    ready = forked.Barrier(2)
    workers = [forked.Process(target=render_when_both_are_ready, args=(tmp_path, ready)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert len((tmp_path / "made.log").read_text().split()) == 1
    assert len(list((tmp_path / "cache").glob("*.wav"))) == 1


def test_concurrent_renders_share_one_complete_file(tmp_path: Path) -> None:
    audio = AnnouncementAudio(tmp_path / "cache", {"vi": ClipPackVoice(make_pack(tmp_path / "vi"))}, CHIME)
    with ThreadPoolExecutor(8) as pool:
        paths = set(pool.map(lambda _: audio.render("B1002", 12, ["vi"]), range(32)))
    assert len(paths) == 1
    assert list(audio.cache_dir.iterdir()) == list(paths)
    assert frames(paths.pop()).startswith(frames(CHIME))


@needs_espeak
def test_a_recorded_pack_goes_before_espeak(tmp_path: Path) -> None:
    make_pack(tmp_path / "audio" / "vi")
    assert isinstance(available_voice("vi", tmp_path / "audio"), ClipPackVoice)
    assert isinstance(available_voice("en", tmp_path / "audio"), EspeakVoice)
    assert available_voice("fr", tmp_path / "audio") is None


def test_without_pack_or_espeak_the_browser_speaks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_pack(tmp_path / "audio" / "vi")
    monkeypatch.setattr(voices, "ESPEAK_LIBRARY", "libespeak-ng-not-installed.so.1")
    assert isinstance(available_voice("vi", tmp_path / "audio"), ClipPackVoice)
    assert available_voice("en", tmp_path / "audio") is None


def test_a_language_without_a_voice_is_refused(tmp_path: Path) -> None:
    audio = AnnouncementAudio(tmp_path / "cache", {"vi": ClipPackVoice(make_pack(tmp_path / "vi"))}, CHIME)
    with pytest.raises(SpeechError, match="no voice for zh"):
        audio.render("A012", 3, ["vi", "zh"])


@needs_espeak
def test_a_voice_espeak_lacks_is_a_speech_error(tmp_path: Path) -> None:
    voice = EspeakVoice("vi")
    voice.voice = "no-such-voice"
    with pytest.raises(SpeechError, match="has no voice no-such-voice"):
        voice.synthesise("xin chào", tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()


def test_espeak_not_installed_is_a_speech_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voices, "ESPEAK_LIBRARY", "libespeak-ng-not-installed.so.1")
    with pytest.raises(SpeechError, match="espeak-ng is not installed"):
        EspeakVoice("vi").synthesise("xin chào", tmp_path / "out.wav")


def test_prune_keeps_the_newest_files(tmp_path: Path) -> None:
    audio = AnnouncementAudio(tmp_path / "cache", {"vi": ClipPackVoice(make_pack(tmp_path / "vi"))}, CHIME)
    paths = [audio.render(f"A00{n}", 1, ["vi"]) for n in range(5)]
    for age, path in enumerate(reversed(paths)):  # file times are too coarse to order files made in a millisecond
        os.utime(path, ns=(0, 10**18 - age * 10**9))
    audio.prune(keep=2)
    assert sorted(audio.cache_dir.iterdir()) == sorted(paths[-2:])


@needs_espeak
def test_a_call_among_several_is_brief_and_only_the_first_has_the_chime(espeak_audio: AnnouncementAudio) -> None:
    alone = espeak_audio.render("A012", 3, ["vi", "en"])
    first = espeak_audio.render("A012", 3, ["vi", "en"], brief=True, chime=True)
    after = espeak_audio.render("A012", 3, ["vi", "en"], brief=True, chime=False)
    assert len({alone, first, after}) == 3  # each kept as its own file
    assert frames(first).startswith(frames(CHIME)) and not frames(after).startswith(frames(CHIME)[:2000])
    assert duration(first) == pytest.approx(duration(after) + duration(CHIME) + PAUSE_S, abs=0.01)
    # Number and counter only: well under two thirds of the full call, so a backlog drains fast.
    assert duration(after) < 0.65 * (duration(alone) - duration(CHIME) - PAUSE_S)
    assert loudness_db(after, 0.0, 0.3) > -40  # speech from the start, no chime's pause before it


def test_a_clip_pack_says_a_brief_call_without_its_opening(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "vi")
    assert ClipPackVoice(pack).script("B12", 3, "digits", brief=True) == "b 1 2 den_quay_so 3"


@needs_espeak
def test_espeak_without_its_voice_data_leaves_the_browser_to_speak_and_the_server_running(tmp_path: Path) -> None:
    probe = "from kiosk.domain.hall.voices import available_voice, espeak_engine; from pathlib import Path; " \
            "print(espeak_engine(), available_voice('vi', Path('/nowhere')))"
    done = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "ESPEAK_DATA_PATH": str(tmp_path)},
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["None", "None"]
