"""A port-9100 receipt printer on 127.0.0.1 for the tests: it takes jobs, answers DLE EOT, and can be off,
out of paper, stalled or reset mid-job. Each connection's bytes are decoded back into a Receipt."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable

from tests.support.escpos_decode import IncompleteError, Receipt, decode, next_command
from tests.support.ports import free_port

MODES = ("normal", "offline", "paper_out", "stall", "reset")
# DLE EOT answers (bits 1 and 4 are always set). Out of paper the printer also reports itself offline.
STATUS = {"normal": {1: 0x12, 2: 0x12, 4: 0x12}, "paper_out": {1: 0x1A, 2: 0x32, 4: 0x72}}
RESET_AFTER_BYTES = 4096


class EscposTestPrinter:
    def __init__(self, width: int = 576, mode: str = "normal") -> None:
        self.width = width
        self.port = free_port()
        self.jobs: list[Receipt] = []  # connections that carried a ticket, in arrival order
        self.connections = 0
        self._mode = mode
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._changed = threading.Condition()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        """Switch behaviour; `offline` closes the port so connections are refused, like a printer turned off."""
        assert mode in MODES, mode
        self._mode = mode
        if mode == "offline":
            self._close_listener()
        elif self._listener is None and not self._stopping.is_set():
            self._listen()

    def start(self) -> EscposTestPrinter:
        if self._mode != "offline":
            self._listen()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._close_listener()

    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[Receipt]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.jobs) >= count, timeout)
        return list(self.jobs)

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() thread; close() alone leaves it listening
            except OSError:
                pass
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # closed: printer switched off or test over
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.05)
        buf, parsed, answered, last = b"", 0, 0, 0.0
        with conn:
            while not self._stopping.is_set():
                if self._mode == "stall" and answered:
                    self._stopping.wait()  # hung after its first answer: reads nothing, answers nothing, ever
                    return
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    break
                buf, last = buf + chunk, time.monotonic()
                if self._mode == "reset" and len(buf) > RESET_AFTER_BYTES:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return  # closing with linger 0 sends RST, as a printer rebooting mid-job does
                parsed, answers = self._status_answers(buf, parsed)
                answered += len(answers)
                if answers:
                    conn.sendall(bytes(answers))
        self._record(buf, last)

    def _status_answers(self, buf: bytes, start: int) -> tuple[int, list[int]]:
        """Answer each complete DLE EOT n at a command boundary, as real printers do in real time."""
        answers, i = [], start
        table = STATUS.get(self._mode, STATUS["normal"])
        while i < len(buf):
            try:
                command, i_next = next_command(buf, i)
            except IncompleteError:
                break
            if command[:2] == b"\x10\x04":
                answers.append(table.get(command[2], 0x12))
            i = i_next
        return i, answers

    def _record(self, data: bytes, last: float) -> None:
        if not data.replace(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04", b""):
            return  # only status queries: the spooler found the printer not ready
        receipt = decode(data, self.width)
        receipt.last_byte_at = last
        with self._changed:
            self.jobs.append(receipt)
            self._changed.notify_all()


def with_printer(mode: str = "normal") -> Callable[[], EscposTestPrinter]:
    return lambda: EscposTestPrinter(mode=mode).start()
