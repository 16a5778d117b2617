"""Hall announcements rendered to one WAV (chime, then each language) and kept on disk for the next call."""

from __future__ import annotations

import ctypes
import fcntl
import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple, Protocol

from kiosk.domain.hall.wording import brief_text, spoken_text

ESPEAK_VOICES = {"vi": "vi", "en": "en", "zh": "cmn-latn-pinyin"}
ESPEAK_LIBRARY = "libespeak-ng.so.1"  # Debian's espeak-ng package brings it
# espeak-ng's default is 175 words a minute; a hall echoes, so a little slower.
ESPEAK_SPEED = 145
TOOL_TIMEOUT_S = 10
PAUSE_S = 0.3  # silence after the chime and between languages
LOCK_POLL_S = 0.005  # how often a render waiting for another process's looks again
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


def _run(argv: list[str]) -> bytes:
    """Run a tool with a time limit and return its output; a failure is a SpeechError saying what it printed."""
    try:
        result = subprocess.run(argv, capture_output=True, timeout=TOOL_TIMEOUT_S, check=False)
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


class EspeakEngine:
    """libespeak-ng inside this process. A sentence costs a few milliseconds of its own; an espeak-ng process per
    sentence cost three times that, and a server worker's fork to start it cost as much again. The library keeps
    one voice and one output at a time, so sentences are spoken one after another."""

    _SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
    _SYNCHRONOUS, _RATE, _POSITION_CHARACTER = 2, 1, 1  # espeak_AUDIO_OUTPUT, espeak_PARAMETER, espeak_POSITION_TYPE
    _UTF8, _END_PAUSE = 0x1, 0x1000  # the command line's -b 1, and its pause at the end
    _DONT_EXIT = 0x8000  # espeakINITIALIZE_DONT_EXIT: missing voice data is an error, not the end of the server

    def __init__(self, library: ctypes.CDLL) -> None:
        self._lib = library
        self._lock = threading.Lock()
        self._samples: list[bytes] = []
        self._callback = self._SYNTH_CALLBACK(self._collect)  # kept alive here: the library holds only a pointer
        library.espeak_Info.restype = ctypes.c_char_p
        library.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        library.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                         ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self.rate = library.espeak_Initialize(self._SYNCHRONOUS, 0, None, self._DONT_EXIT)
        if self.rate <= 0:
            raise SpeechError("espeak-ng could not start: its voice data is missing")
        library.espeak_SetSynthCallback(self._callback)
        self.version = f"espeak-ng {library.espeak_Info(None).decode()}"

    def speak(self, voice: str, speed: int, text: str, out: Path) -> None:
        """Write the text, said by the voice at `speed` words a minute, as a WAV file."""
        data = text.encode()
        with self._lock:
            self._samples = []
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise SpeechError(f"espeak-ng has no voice {voice}")
            self._lib.espeak_SetParameter(self._RATE, speed, 0)
            flags = self._UTF8 | self._END_PAUSE  # plain text: no SSML or [[phonemes]] in office wording
            if (error := self._lib.espeak_Synth(data, len(data) + 1, 0, self._POSITION_CHARACTER, 0, flags, None,
                                                None)) != 0:
                raise SpeechError(f"espeak-ng failed to speak (error {error:#x})")
            samples = b"".join(self._samples)
        with wave.open(str(out), "wb") as wav:
            wav.setparams((1, 2, self.rate, 0, "NONE", "not compressed"))
            wav.writeframes(samples)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short] | None, count: int, _events: int | None) -> int:
        if wav and count > 0:
            self._samples.append(ctypes.string_at(wav, 2 * count))
        return 0  # go on


def espeak_engine() -> EspeakEngine | None:
    """This process's espeak-ng, or None where it is not installed."""
    return _loaded_espeak(ESPEAK_LIBRARY)


@functools.cache
def _loaded_espeak(library: str) -> EspeakEngine | None:
    try:
        return EspeakEngine(ctypes.CDLL(library))
    except (OSError, SpeechError):  # not installed, or its data missing: the browser speaks instead
        return None


class EspeakVoice:
    """espeak-ng, offline; Chinese in the pinyin voice, since `-v cmn` misreads characters."""

    def __init__(
        self,
        lang: str,
        templates: Mapping[str, str] | None = None,
        spoken_templates: Mapping[str, str] | None = None,
        speed: int = ESPEAK_SPEED,
    ) -> None:
        self.lang, self.voice, self.speed = lang, ESPEAK_VOICES[lang], speed
        self.templates, self.spoken_templates = templates, spoken_templates

    def script(self, number: str, counter: str | int, style: str, brief: bool = False) -> str:
        if brief:
            return brief_text(number, counter, self.lang)
        return spoken_text(number, counter, self.lang, style, self.templates, self.spoken_templates)

    def identity(self) -> str:
        return f"{self._engine().version} -v {self.voice} -s {self.speed}"

    def synthesise(self, script: str, out: Path) -> None:
        self._engine().speak(self.voice, self.speed, script, out)

    @staticmethod
    def _engine() -> EspeakEngine:
        if (engine := espeak_engine()) is None:
            raise SpeechError(f"espeak-ng is not installed ({ESPEAK_LIBRARY} not found)")
        return engine


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
    if lang in ESPEAK_VOICES and espeak_engine() is not None:
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
        self.locks = cache_dir.parent / f"{cache_dir.name}.locks"
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.locks.mkdir(exist_ok=True)
        # Where a voice speaks: here, or (the server's choice) on a native thread, so that a synthesiser's
        # milliseconds of C do not hold the event loop. Converting with sox stays here.
        self.speak_in: Callable[[Callable[[], None]], None] = _here

    def render(self, number: str, counter: str | int, langs: Sequence[str], style: str = "digits", *,
               brief: bool = False, chime: bool = True) -> Path:
        """The announcement's WAV; raises SpeechError for a language without a voice (filter by `voices`)."""
        if unvoiced := [lang for lang in langs if lang not in self.voices]:
            raise SpeechError(f"no voice for {', '.join(unvoiced)}")
        lines = [(self.voices[lang], self.voices[lang].script(number, counter, style, brief)) for lang in langs]
        key = self._key(lines, chime)
        path = self.cache_dir / f"{key}.wav"
        if not path.exists():
            with self._rendering(key):
                if not path.exists():  # another process may have made it while this one waited
                    self._make(lines, path, chime)
        return path

    @contextmanager
    def _rendering(self, key: str) -> Iterator[None]:
        """One render of a sound at a time across the processes sharing the folder (every worker hears of a call
        at once and starts its sound); a lock file per 256th of the keys. The wait is a poll, not a blocking
        lock, so a server's event loop goes on meanwhile."""
        with open(self.locks / f"{key[:2]}.lock", "a") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    time.sleep(LOCK_POLL_S)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

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
                self.speak_in(functools.partial(voice.synthesise, script, work / f"{index}.wav"))
                return conform(work / f"{index}.wav", self.fmt, work / f"{index}-hall.wav")

            parts = [conform(self.chime_path, self.fmt, work / "chime.wav")] if chime else []
            parts += [speak(index, line) for index, line in enumerate(lines)]
            join_wavs(parts, work / "announcement.wav", PAUSE_S)
            os.replace(work / "announcement.wav", path)

    def prune(self, keep: int) -> None:
        """Delete all but the `keep` newest files, since every number and counter makes another one."""
        files = sorted(self.cache_dir.glob("*.wav"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)


def _here(work: Callable[[], None]) -> None:
    work()
