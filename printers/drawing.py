"""Tickets drawn by a child process. Drawing and encoding a ticket is 15-20 ms of Python (the QR's masks, the
raster); in a server worker that time would hold the interpreter against every request it serves. The worker
hands the ticket to a child of its own and waits for the picture and bytes, holding nothing meanwhile.

The child runs `main()`: it reads (ticket, settings) pickles on stdin and answers on stdout.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from printers.layout import TicketPrint
from printers.spooler import SpoolSettings, draw_ticket

DRAW_TIMEOUT_S = 10.0  # a ticket takes milliseconds; a child this late is stuck and is replaced
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
FRAME = ">Q"  # each message is preceded by its length


class DrawingError(Exception):
    """The ticket could not be drawn: the child failed on it, died or hung."""


class DrawingProcess:
    """A `Drawer` (see `printers.spooler`) that draws in a child process, one ticket at a time. The child starts
    on the first ticket and again after any failure; it ends when its parent closes the pipe or exits."""

    def __init__(self, timeout_s: float = DRAW_TIMEOUT_S) -> None:
        self.timeout_s = timeout_s
        self._child: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The child's process id; None before the first ticket."""
        return None if self._child is None else self._child.pid

    def __call__(self, ticket: TicketPrint, settings: SpoolSettings) -> tuple[bytes, bytes]:
        with self._lock:
            answer = self._answer((ticket, settings))
        if isinstance(answer, DrawingError):
            raise answer
        picture, data = answer
        return picture, data

    def stop(self) -> None:
        with self._lock:
            if self._child is not None:
                self._end(self._child)

    def _answer(self, question: Any) -> Any:
        """The child's answer; a child found dead is replaced and asked once more, a hung one is replaced."""
        try:
            return self._ask_running(question)
        except (OSError, EOFError):
            pass  # it had died since the last ticket: a new one is asked
        try:
            return self._ask_running(question)
        except (OSError, EOFError) as error:
            raise DrawingError(f"the ticket drawing process failed: {error!r}") from error

    def _ask_running(self, question: Any) -> Any:
        child = self._running()
        try:
            return self._ask(child, question)
        except BaseException:  # dead, hung or cut off mid-answer: what is left in its pipe must not answer the next
            self._end(child)
            raise

    def _running(self) -> subprocess.Popen[bytes]:
        if self._child is None or self._child.poll() is not None:
            path = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
            # Imported, not run as __main__, so that its DrawingError unpickles here as this module's.
            self._child = subprocess.Popen([sys.executable, "-c", "from printers.drawing import main; main()"],
                                           env={**os.environ, "PYTHONPATH": path}, stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE)
        return self._child

    def _ask(self, child: subprocess.Popen[bytes], question: Any) -> Any:
        assert child.stdin is not None and child.stdout is not None
        _write(child.stdin, question)
        deadline = time.monotonic() + self.timeout_s
        size = struct.unpack(FRAME, self._read(child.stdout.fileno(), struct.calcsize(FRAME), deadline))[0]
        return pickle.loads(self._read(child.stdout.fileno(), size, deadline))

    def _read(self, fd: int, size: int, deadline: float) -> bytes:
        """Exactly `size` bytes by the deadline: a child that stalls part-way through an answer is hung too."""
        chunks: list[bytes] = []
        while size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise DrawingError(f"no answer in {self.timeout_s:g} s")
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError("the drawing process ended")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _end(self, child: subprocess.Popen[bytes]) -> None:
        child.kill()
        child.wait()
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                pipe.close()
        if self._child is child:
            self._child = None


def _write(stream: IO[bytes], value: Any) -> None:
    """One message: its length, then its pickle."""
    blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(FRAME, len(blob)) + blob)
    stream.flush()


def _read_message(stream: IO[bytes]) -> Any:
    header = stream.read(struct.calcsize(FRAME))
    if len(header) < struct.calcsize(FRAME):
        raise EOFError
    return pickle.loads(stream.read(struct.unpack(FRAME, header)[0]))


def serve(questions: IO[bytes], answers: IO[bytes]) -> None:
    """The child's loop: each ticket answered with its (picture, bytes) or a DrawingError saying why; until EOF."""
    while True:
        try:
            ticket, settings = _read_message(questions)
        except EOFError:
            return
        try:
            answer: Any = draw_ticket(ticket, settings)
        except Exception as error:  # one bad ticket must not end the drawing of the others
            answer = DrawingError(f"{type(error).__name__}: {error}")
        _write(answers, answer)


def main() -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a library's print must not land in the answers
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, answers)
