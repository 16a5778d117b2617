"""Hall announcements rendered to one WAV (chime, then each language) and kept on disk for the next call."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple, Protocol

from kiosk.domain.hall.wording import brief_text, spoken_text

ESPEAK_VOICES = {"vi": "vi", "en": "en", "zh": "cmn-latn-pinyin"}
# espeak-ng's default is 175 words a minute; a hall echoes, so a little slower.
ESPEAK_SPEED = 145
TOOL_TIMEOUT_S = 10
PAUSE_S = 0.3  # silence after the chime and between languages
# Change when the way files are assembled changes, so files made the old way are not served.
CACHE_VERSION = 1

OPENING, TO_COUNTER, CLOSING = "moi_cong_dan", "den_quay_so", "cuoi_cau"
REQUIRED_CLIPS = (OPENING, TO_COUNTER, *"0123456789")


class SpeechError(Exception):
    """An announcement could not be rendered: a synthesiser failed or a clip is missing."""


class ClipFormatError(SpeechError):
    """WAV files to be joined differ in rate, sample width or channels, and cannot be converted."""


class AudioFormat(NamedTuple):
    rate: int
    width: int  # bytes per sample
    channels: int

    def __str__(self) -> str:
        return f"{self.rate} Hz, {8 * self.width}-bit, {self.channels} channel(s)"


# espeak-ng's own output, and the chime's.
HALL_FORMAT = AudioFormat(22050, 2, 1)


class Voice(Protocol):
    """Speaks one language's announcement into a WAV file."""

    def script(self, number: str, counter: str | int, style: str, brief: bool = False) -> str:
        """What the voice will say, as text (brief: number and counter only); with identity() it keys the cache."""
        ...

    def identity(self) -> str:
        """The engine, its version and settings: whatever else changes the sound."""
        ...

    def synthesise(self, script: str, out: Path) -> None:
        """Write the script as a WAV file."""
        ...


def wav_format(path: Path) -> AudioFormat:
    try:
        with wave.open(str(path), "rb") as wav:
            return AudioFormat(wav.getframerate(), wav.getsampwidth(), wav.getnchannels())
    except (wave.Error, EOFError) as error:
        raise ClipFormatError(f"{path} is not a PCM WAV file ({error})") from error


def join_wavs(parts: Sequence[Path], out: Path, pause_s: float = 0.0) -> None:
    """Write the parts one after another, with pause_s of silence between; all must share one format."""
    first = wav_format(parts[0])
    silence = b"\0" * first.width * first.channels * round(pause_s * first.rate)
    with wave.open(str(out), "wb") as joined:
        joined.setparams((first.channels, first.width, first.rate, 0, "NONE", "not compressed"))
        for index, part in enumerate(parts):
            if (fmt := wav_format(part)) != first:
                raise ClipFormatError(f"{part} is {fmt} but {parts[0].name} is {first}: record all in one format")
            with wave.open(str(part), "rb") as wav:
                joined.writeframes((silence if index else b"") + wav.readframes(wav.getnframes()))


def _run(argv: list[str], stdin: bytes = b"") -> bytes:
    """Run a tool with a time limit and return its output; a failure is a SpeechError saying what it printed."""
    try:
        result = subprocess.run(argv, input=stdin, capture_output=True, timeout=TOOL_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SpeechError(f"{argv[0]} failed: {error}") from error
    if result.returncode != 0:
        raise SpeechError(f"{argv[0]} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def conform(path: Path, fmt: AudioFormat, out: Path) -> Path:
    """The WAV in the given format: itself if it already is, else a copy converted by sox at out."""
    if wav_format(path) == fmt:
        return path
    sox = shutil.which("sox")
    if sox is None:
        raise ClipFormatError(f"{path} is {wav_format(path)}, not {fmt}, and sox is not installed to convert it")
    _run([sox, "-G", str(path), "-r", str(fmt.rate), "-b", str(8 * fmt.width), "-c", str(fmt.channels), str(out)])
    return out


@functools.cache
def _espeak_version(executable: str) -> str:
    return _run([executable, "--version"]).decode(errors="replace").split("Data at")[0].strip()


class EspeakVoice:
    """espeak-ng, offline; Chinese in the pinyin voice, since `-v cmn` misreads characters."""

    def __init__(
        self,
        lang: str,
        templates: Mapping[str, str] | None = None,
        spoken_templates: Mapping[str, str] | None = None,
        speed: int = ESPEAK_SPEED,
        executable: str = "espeak-ng",
    ) -> None:
        self.lang, self.voice, self.speed, self.executable = lang, ESPEAK_VOICES[lang], speed, executable
        self.templates, self.spoken_templates = templates, spoken_templates

    def script(self, number: str, counter: str | int, style: str, brief: bool = False) -> str:
        if brief:
            return brief_text(number, counter, self.lang)
        return spoken_text(number, counter, self.lang, style, self.templates, self.spoken_templates)

    def identity(self) -> str:
        return f"{_espeak_version(self.executable)} -v {self.voice} -s {self.speed}"

    def synthesise(self, script: str, out: Path) -> None:
        # The text goes in on stdin, so office wording can never be taken for an option.
        argv = [self.executable, "-b", "1", "-v", self.voice, "-s", str(self.speed), "-w", str(out)]
        _run(argv, stdin=script.encode())


def _clip_names(text: str) -> list[str]:
    return [char.lower() for char in text if char.isalnum()]


class ClipPackVoice:
    """An office's own recordings joined: opening phrase, the number's letters and digits, "to counter", digits."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def present(folder: Path) -> bool:
        return all((folder / f"{name}.wav").is_file() for name in REQUIRED_CLIPS)

    def script(self, number: str, counter: str | int, style: str, brief: bool = False) -> str:
        # A pack has a clip per digit, not per number, so the "whole" style is read digit by digit too.
        said = [*_clip_names(number), TO_COUNTER, *_clip_names(str(counter))]
        if brief:
            return " ".join(said)
        closing = [CLOSING] if (self.folder / f"{CLOSING}.wav").is_file() else []
        return " ".join([OPENING, *said, *closing])

    def identity(self) -> str:
        # Size and time of every clip, so re-recording one is never answered from the cache.
        stats = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in self.folder.glob("*.wav"))
        return f"clips {self.folder.resolve()} {hashlib.sha256(repr(stats).encode()).hexdigest()}"

    def synthesise(self, script: str, out: Path) -> None:
        clips = [self.folder / f"{name}.wav" for name in script.split()]
        if missing := [clip.name for clip in clips if not clip.is_file()]:
            raise SpeechError(f"clip pack {self.folder} lacks {', '.join(missing)} (see static/audio/README.md)")
        join_wavs(clips, out)


def available_voice(
    lang: str,
    audio_root: Path,
    templates: Mapping[str, str] | None = None,
    spoken_templates: Mapping[str, str] | None = None,
) -> Voice | None:
    """The office's clip pack for the language, else espeak-ng, else None: the browser's speech is the last resort."""
    if ClipPackVoice.present(audio_root / lang):
        return ClipPackVoice(audio_root / lang)
    if lang in ESPEAK_VOICES and shutil.which("espeak-ng"):
        return EspeakVoice(lang, templates, spoken_templates)
    return None


def available_voices(
    langs: Iterable[str],
    audio_root: Path,
    templates: Mapping[str, str] | None = None,
    spoken_templates: Mapping[str, str] | None = None,
) -> dict[str, Voice]:
    """A voice for each language that has one."""
    voices = {lang: available_voice(lang, audio_root, templates, spoken_templates) for lang in langs}
    return {lang: voice for lang, voice in voices.items() if voice is not None}


class AnnouncementAudio:
    """One WAV per announcement, made once and then served from the cache folder: the chime and the full
    sentences for a call on its own; when calls wait behind each other, the brief form, with the chime only before
    the first of them."""

    def __init__(
        self, cache_dir: Path, voices: Mapping[str, Voice], chime_path: Path, fmt: AudioFormat = HALL_FORMAT
    ) -> None:
        self.cache_dir, self.voices, self.chime_path, self.fmt = cache_dir, voices, chime_path, fmt
        self.chime_digest = hashlib.sha256(chime_path.read_bytes()).hexdigest()
        cache_dir.mkdir(parents=True, exist_ok=True)

    def render(self, number: str, counter: str | int, langs: Sequence[str], style: str = "digits", *,
               brief: bool = False, chime: bool = True) -> Path:
        """The announcement's WAV; raises SpeechError for a language without a voice (filter by `voices`)."""
        if unvoiced := [lang for lang in langs if lang not in self.voices]:
            raise SpeechError(f"no voice for {', '.join(unvoiced)}")
        lines = [(self.voices[lang], self.voices[lang].script(number, counter, style, brief)) for lang in langs]
        path = self.cache_dir / f"{self._key(lines, chime)}.wav"
        if not path.exists():
            self._make(lines, path, chime)
        return path

    def _key(self, lines: list[tuple[Voice, str]], chime: bool) -> str:
        spoken = [(voice.identity(), script) for voice, script in lines]
        chimed = self.chime_digest if chime else None
        return hashlib.sha256(repr((CACHE_VERSION, self.fmt, PAUSE_S, chimed, spoken)).encode()).hexdigest()

    def _make(self, lines: list[tuple[Voice, str]], path: Path, chime: bool) -> None:
        # Built in a private folder and moved in whole, so threads making the same file never see half of one.
        with tempfile.TemporaryDirectory(prefix=".render-", dir=self.cache_dir) as work_dir:
            work = Path(work_dir)

            def speak(index: int, line: tuple[Voice, str]) -> Path:
                voice, script = line
                voice.synthesise(script, work / f"{index}.wav")
                return conform(work / f"{index}.wav", self.fmt, work / f"{index}-hall.wav")

            # Each language is its own synthesiser process: side by side, a two-language call takes as long as one.
            with ThreadPoolExecutor(len(lines)) as pool:
                spoken = list(pool.map(speak, range(len(lines)), lines))
            parts = [conform(self.chime_path, self.fmt, work / "chime.wav")] if chime else []
            parts += spoken
            join_wavs(parts, work / "announcement.wav", PAUSE_S)
            os.replace(work / "announcement.wav", path)

    def prune(self, keep: int) -> None:
        """Delete all but the `keep` newest files, since every number and counter makes another one."""
        files = sorted(self.cache_dir.glob("*.wav"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
