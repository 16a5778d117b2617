"""Printers from a URL: tcp://, usb://, serial://, file://, cups://, preview. One fresh object per job.

Every transport has a bounded timeout (python-escpos defaults: USB forever, network 60 s) and is opened
explicitly: a failed lazy open in python-escpos 3.1 leaves the object unusable, so nothing is reused.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from printers.status import STATUS_QUERY, UNKNOWN, PrinterError, PrinterStatus, decode_status

STATUS_WAIT_S = 2.0  # a printer that speaks DLE EOT answers in milliseconds


class PrinterUrlError(ValueError):
    """The printer URL cannot be understood; the message shows the accepted forms."""


@dataclass(frozen=True)
class PrinterUrl:
    kind: str
    target: str  # host:port, VID:PID, device path, CUPS queue name, or preview folder ("" = default)
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Payload:
    """One ticket's job: the bytes for the printer, and its picture (PNG) the preview printer saves beside them."""

    data: bytes
    name: str
    picture: bytes | None = None


class Transport(Protocol):
    def open(self) -> None: ...
    def status(self) -> PrinterStatus:
        """The printer's state now; raises PrinterError when a printer that answers DLE EOT stays silent."""
    def send(self, payload: Payload) -> None:
        """Returns once the printer has taken every byte; raises PrinterError when it took only part of them."""
    def close(self) -> None: ...


def parse_url(url: str) -> PrinterUrl:
    """`tcp://host:9100`, `usb://04b8:0202`, `serial:///dev/ttyUSB0?baudrate=115200`, `file:///dev/usb/lp0`,
    `cups://NAME`, `preview`; `?status=off` for a printer that does not answer DLE EOT."""
    printer = _parse(url)
    if printer.options.get("status", "on") not in ("on", "off"):
        raise PrinterUrlError(f"printer URL {url!r}: status must be on or off")
    return printer


def _parse(url: str) -> PrinterUrl:
    if url in ("preview", "preview:", "preview://"):
        return PrinterUrl("preview", "")
    parts = urlsplit(url)
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    kind = parts.scheme
    if kind == "tcp" and parts.hostname:
        return PrinterUrl(kind, f"{parts.hostname}:{parts.port or 9100}", options)
    if kind == "usb" and _is_usb_id(parts.netloc):
        return PrinterUrl(kind, parts.netloc.lower(), options)
    if kind in ("serial", "file") and parts.path.startswith("/") and not parts.netloc:
        return PrinterUrl(kind, parts.path, options)
    if kind == "cups" and parts.netloc:
        return PrinterUrl(kind, parts.netloc, options)
    if kind == "preview":
        return PrinterUrl(kind, parts.path, options)
    raise PrinterUrlError(f"printer URL {url!r} not understood: use one of {parse_url.__doc__}")


def open_printer(url: str, *, folder: Path, timeout_s: float) -> Transport:
    """A new, not yet opened transport for one job (`folder` is where `preview` writes)."""
    printer = parse_url(url)
    answers = printer.options.get("status", "on") == "on"
    if printer.kind == "tcp":
        return EscposTransport(_network(printer, timeout_s), timeout_s, answers)
    if printer.kind == "usb":
        return EscposTransport(_usb(printer, timeout_s), timeout_s, answers)
    if printer.kind == "serial":
        return EscposTransport(_serial(printer, timeout_s), timeout_s, answers)
    if printer.kind == "file":
        return FileTransport(printer.target, timeout_s)
    if printer.kind == "cups":
        return CupsTransport(printer.target, timeout_s)
    return PreviewTransport(Path(printer.target) if printer.target else folder)


class EscposTransport:
    """A python-escpos printer object used only as a byte pipe with status reads and bounded waits.

    A printer that answers DLE EOT (`answers_status`, the default) and stays silent is offline, not "unknown":
    a hung printer must never pass for one that cannot tell.
    """

    def __init__(self, printer: Any, timeout_s: float, answers_status: bool = True) -> None:
        self.printer = printer
        self.timeout_s = timeout_s
        self.answers_status = answers_status

    def open(self) -> None:
        try:
            self.printer.open()
        except Exception as exc:  # DeviceNotFoundError, USBError, SerialException, OSError: all mean "not there"
            raise PrinterError("offline", f"cannot reach the printer: {exc}") from exc
        if hasattr(self.printer.device, "write_timeout"):
            self.printer.device.write_timeout = self.timeout_s  # pyserial blocks forever on flow control

    def status(self) -> PrinterStatus:
        try:
            self.printer._raw(STATUS_QUERY)
            answer = self._read(3, min(STATUS_WAIT_S, self.timeout_s))
        except Exception as exc:
            raise PrinterError("offline", f"printer stopped answering: {exc}") from exc
        if len(answer) < 3 and self.answers_status:
            raise PrinterError("offline", "the printer did not answer its status check")
        return decode_status(answer)

    def send(self, payload: Payload) -> None:
        deadline = time.monotonic() + self.timeout_s
        try:
            self.printer._raw(payload.data)
        except Exception as exc:
            raise PrinterError("offline", f"the printer stopped taking the job: {exc}") from exc
        left = _unacknowledged(self.printer.device, deadline)
        if left:
            taken = len(payload.data) - left
            raise PrinterError("offline", f"the printer took {taken} of {len(payload.data)} bytes in "
                                          f"{self.timeout_s:g} s")

    def close(self) -> None:
        try:
            self.printer.close()
        except Exception:  # closing a broken connection must not hide the real error
            pass

    def _read(self, count: int, wait_s: float) -> bytes:
        """Up to `count` bytes within `wait_s`; python-escpos' own `_read` has no deadline on USB."""
        device, answer = self.printer.device, b""
        deadline = time.monotonic() + wait_s
        while len(answer) < count and (left := deadline - time.monotonic()) > 0:
            chunk = _read_some(device, self.printer, left)
            if chunk is None:
                break
            answer += chunk
        if hasattr(device, "settimeout"):
            device.settimeout(self.timeout_s)  # the short status wait must not shorten the job's own
        return answer


def _unacknowledged(device: Any, deadline: float) -> int:
    """Bytes a network printer has not yet taken, waiting until it has or the deadline passes.

    sendall() returns once our kernel holds the bytes; the printer has them only when its TCP stack acknowledged
    them (a printer's input buffer is a few KB, so a jammed printer stops acknowledging). USB and serial writes
    return when the device took the data.
    """
    if not hasattr(device, "recv"):
        return 0
    while True:
        left = struct.unpack("i", fcntl.ioctl(device.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]
        if not left or time.monotonic() >= deadline:
            return int(left)
        time.sleep(0.01)


def _read_some(device: Any, printer: Any, wait_s: float) -> bytes | None:
    """Bytes from a socket, serial port or USB endpoint; None on timeout or end of stream."""
    if hasattr(device, "recv"):
        device.settimeout(wait_s)
        try:
            chunk = device.recv(16)
        except TimeoutError:
            return None
        if not chunk:
            raise ConnectionResetError("connection closed by the printer")
        return bytes(chunk)
    if hasattr(device, "in_waiting"):
        device.timeout = wait_s
        return bytes(device.read(1)) or None
    import usb.core  # type: ignore[import-untyped]

    try:
        return bytes(device.read(printer.in_ep, 16, max(1, int(wait_s * 1000))))
    except usb.core.USBTimeoutError:
        return None


def _network(printer: PrinterUrl, timeout_s: float) -> Any:
    from escpos.printer import Network

    host, _, port = printer.target.rpartition(":")
    return Network(host, int(port), timeout=timeout_s)


def _usb(printer: PrinterUrl, timeout_s: float) -> Any:
    from escpos.printer import Usb

    vendor, product = (int(part, 16) for part in printer.target.split(":"))
    endpoints = {k: int(printer.options[k], 0) for k in ("in_ep", "out_ep") if k in printer.options}
    return Usb(vendor, product, timeout=int(timeout_s * 1000), **endpoints)  # pyusb counts milliseconds


def _serial(printer: PrinterUrl, timeout_s: float) -> Any:
    from escpos.printer import Serial

    flow = printer.options.get("flow", "dsrdtr")
    return Serial(
        printer.target,
        baudrate=int(printer.options.get("baudrate", "9600")),
        timeout=timeout_s,
        xonxoff=flow == "xonxoff",
        dsrdtr=flow == "dsrdtr",
    )


def _is_usb_id(text: str) -> bool:
    vendor, _, product = text.partition(":")
    hex_digits = set("0123456789abcdefABCDEF")
    return len(vendor) == 4 and len(product) == 4 and set(vendor + product) <= hex_digits


class FileTransport:
    """A device file such as /dev/usb/lp0, written without blocking so an unplugged printer cannot hang us."""

    def __init__(self, path: str, timeout_s: float) -> None:
        self.path, self.timeout_s, self.fd = path, timeout_s, -1

    def open(self) -> None:
        try:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK | os.O_APPEND)
        except OSError as exc:
            raise PrinterError("offline", f"cannot open {self.path}: {exc.strerror}") from exc

    def status(self) -> PrinterStatus:
        return UNKNOWN  # the usblp device file gives no status bytes back

    def send(self, payload: Payload) -> None:
        data, deadline = memoryview(payload.data), time.monotonic() + self.timeout_s
        while data:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.fd], [], left)[1]:
                raise PrinterError("offline", f"{self.path} took no data for {self.timeout_s:g} s")
            try:
                data = data[os.write(self.fd, data):]
            except BlockingIOError:
                continue
            except OSError as exc:
                raise PrinterError("offline", f"writing {self.path} failed: {exc.strerror}") from exc

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class CupsTransport:
    """A raw CUPS queue through `lp`. CUPS cannot tell a printer's paper or cover state (python-escpos'
    CupsPrinter reports a made-up "online"), so the state stays unknown and "printed" means "queued"."""

    def __init__(self, queue: str, timeout_s: float) -> None:
        self.queue, self.timeout_s = queue, timeout_s

    def open(self) -> None:
        pass

    def status(self) -> PrinterStatus:
        return UNKNOWN

    def send(self, payload: Payload) -> None:
        argv = ["lp", "-d", self.queue, "-o", "raw", "-t", payload.name]
        try:
            subprocess.run(argv, input=payload.data, capture_output=True, timeout=self.timeout_s, check=True)
        except FileNotFoundError:
            raise PrinterError("offline", "lp not found: apt-get install cups-client") from None
        except subprocess.TimeoutExpired:
            raise PrinterError("offline", f"CUPS did not take the job within {self.timeout_s:g} s") from None
        except subprocess.CalledProcessError as exc:
            raise PrinterError("offline", f"CUPS refused the job: {exc.stderr.decode(errors='replace')}") from None

    def close(self) -> None:
        pass


class PreviewTransport:
    """The demo printer: each ticket as a PNG plus the raw ESC/POS bytes, in the instance folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    def status(self) -> PrinterStatus:
        return PrinterStatus("ok")

    def send(self, payload: Payload) -> None:
        (self.folder / f"{payload.name}.bin").write_bytes(payload.data)
        if payload.picture is not None:
            (self.folder / f"{payload.name}.png").write_bytes(payload.picture)

    def close(self) -> None:
        pass
