"""A port-9100 receipt printer on 127.0.0.1 for the tests: it takes jobs, answers DLE EOT, and misbehaves the way
real ones do. Each connection's bytes are decoded back into a Receipt.

Modes: normal; offline (switched off: connections refused); paper_out; stall (answers once, then reads nothing);
reset (reboots mid-job); deaf (accepts the connection, never reads, never answers); hang (connecting hangs);
reset_after_job (takes the whole job, then drops the connection); slow (reads at 115200 baud). Like a real
printer it has a small input buffer, so a printer that stops reading stops acknowledging bytes.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable

from tests.support.escpos_decode import IncompleteError, Receipt, decode, next_command
from tests.support.ports import free_port

MODES = ("normal", "offline", "paper_out", "stall", "reset", "deaf", "hang", "reset_after_job", "slow")
# DLE EOT answers (bits 1 and 4 are always set). Out of paper the printer also reports itself offline.
STATUS = {"normal": {1: 0x12, 2: 0x12, 4: 0x12}, "paper_out": {1: 0x1A, 2: 0x32, 4: 0x72}}
RESET_AFTER_BYTES = 4096
INPUT_BUFFER = 4096  # bytes; a thermal printer's receive buffer is a few KB
SERIAL_BYTES_PER_S = 115200 // 10  # 8N1: ten bits a byte
CUT = b"\x1dV"  # GS V: the job's last command
PRINTING_S = 0.3  # a ticket takes a moment to print


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
        self._queued: list[socket.socket] = []  # connections filling the backlog while hanging

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
        self._close_listener()
        if mode != "offline" and not self._stopping.is_set():
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
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, INPUT_BUFFER)  # accepted sockets inherit it
        listener.bind(("127.0.0.1", self.port))
        self._listener = listener
        if self._mode == "hang":
            listener.listen(0)
            self._fill_backlog()  # a full accept queue drops new SYNs: connecting hangs until the caller gives up
            return
        listener.listen(16)
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _fill_backlog(self) -> None:
        for _ in range(3):
            queued = socket.socket()
            queued.setblocking(False)
            queued.connect_ex(("127.0.0.1", self.port))
            self._queued.append(queued)
        time.sleep(0.1)

    def _close_listener(self) -> None:
        for queued in self._queued:
            queued.close()
        self._queued.clear()
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
                if self._mode == "deaf" or (self._mode == "stall" and answered):
                    self._stopping.wait()  # hung: reads nothing, answers nothing, ever
                    return
                try:
                    chunk = conn.recv(self._read_size())
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    break
                buf, last = buf + chunk, time.monotonic()
                if self._mode == "reset" and len(buf) > RESET_AFTER_BYTES:
                    self._reset(conn)  # a printer rebooting mid-job
                    return
                parsed, answers = self._status_answers(buf, parsed)
                if self._mode == "reset_after_job" and self._cut_in(buf, parsed):
                    self._record(buf, last)  # it prints the whole ticket, then reboots before answering again
                    time.sleep(PRINTING_S)
                    self._reset(conn)
                    return
                answered += len(answers)
                if answers:
                    conn.sendall(bytes(answers))
        self._record(buf, last)

    @staticmethod
    def _reset(conn: socket.socket) -> None:
        """Close with linger 0: the printer's side sends RST, as a printer rebooting does."""
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    @staticmethod
    def _cut_in(buf: bytes, parsed: int) -> bool:
        """Whether the commands read so far end the job with a cut (GS V), found command by command: raster
        data may hold the same two bytes."""
        i = 0
        while i < parsed:
            command, i = next_command(buf, i)
            if command.startswith(CUT):
                return True
        return False

    def _read_size(self) -> int:
        if self._mode != "slow":
            return 65536
        time.sleep(0.05)
        return SERIAL_BYTES_PER_S // 20

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
