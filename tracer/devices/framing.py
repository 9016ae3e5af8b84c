"""Bytes → frames, as pure logic fed by the reading thread (and by the tests directly).

A framer never raises on bad input: it returns `FrameFault`s (garbage, half
frames, bad checksums) next to the good `Frame`s, and a good frame that
follows a fault is still delivered. `idle()` is called when a read found the
line silent, so a frame cut off mid-way (a reader reset, a dropped byte
run) is dropped instead of being glued to the start of the next one. Only
observed silence counts: bytes that were merely read late (a busy machine)
are not a gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tracer.devices.base import DeviceError


@dataclass(frozen=True, slots=True)
class Frame:
    payload: bytes
    symbology: str | None = None


@dataclass(frozen=True, slots=True)
class FrameFault:
    message: str
    fix: str = ""


class Framer(Protocol):
    def feed(self, data: bytes, t: float) -> list[Frame | FrameFault]: ...

    def idle(self, t: float) -> list[Frame | FrameFault]: ...


BAUD_FIX = "check the baud rate and parity in the device URI (?baud=…&parity=…) against the reader's manual"

# Suffix names accepted in URIs (?suffix=CR) and what they mean on the wire.
SUFFIXES = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "TAB": b"\t", "ETX": b"\x03", "NONE": b""}
# Control characters that belong inside barcode data: GS (FNC1), RS and EOT (ISO/IEC 15434), FS.
DATA_CONTROLS = {0x1C, 0x1D, 0x1E, 0x04}
# AIM symbology identifiers (ISO/IEC 15424) → the symbology they announce.
AIM_SYMBOLOGIES = {
    "]E0": "EAN13",
    "]E3": "EAN13+addon",
    "]E4": "EAN8",
    "]C0": "Code128",
    "]C1": "GS1-128",
    "]I0": "ITF",
    "]I1": "ITF",
    "]d1": "DataMatrix",
    "]d2": "GS1 DataMatrix",
    "]Q1": "QRCode",
    "]Q3": "GS1 QRCode",
    "]e0": "GS1 DataBar",
    "]A0": "Code39",
}


def suffix_bytes(name: str) -> bytes:
    key = name.upper()
    if key in SUFFIXES:
        return SUFFIXES[key]
    raise DeviceError(f"unknown suffix {name!r}; use one of {', '.join(SUFFIXES)}")


def is_text(payload: bytes) -> bool:
    """Looks like barcode data rather than line noise (wrong baud rate, a glitch)."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ord(c) >= 0x20 or ord(c) in DATA_CONTROLS for c in text) and "\x7f" not in text


class LineFramer:
    """Scanner output: [prefix] data suffix, e.g. ']C1010…\\r'.

    Symbology identifiers stay in the data (parse_code reads FNC1 from
    them); they are also reported as the symbology of the frame.
    """

    def __init__(
        self,
        suffix: bytes = b"\r",
        prefix: bytes = b"",
        *,
        frame_timeout: float = 0.2,
        max_length: int = 4096,
    ) -> None:
        if not suffix:
            raise DeviceError("a serial scanner needs a suffix (CR, LF, CRLF, TAB …) to end a code")
        self.suffix = suffix
        self.prefix = prefix
        self.frame_timeout = frame_timeout
        self.max_length = max_length
        self._buf = bytearray()
        self._last = 0.0

    def feed(self, data: bytes, t: float) -> list[Frame | FrameFault]:
        out: list[Frame | FrameFault] = []
        self._last = t  # silence is judged only by idle(): late bytes are not a gap on the wire
        self._buf.extend(data)
        while True:
            end = self._buf.find(self.suffix)
            if end < 0:
                break
            line = bytes(self._buf[:end])
            del self._buf[: end + len(self.suffix)]
            if self.suffix == b"\r" and self._buf[:1] == b"\n":  # a CRLF scanner set to CR
                del self._buf[:1]
            out.extend(self._line(line))
        if len(self._buf) > self.max_length:
            out.append(FrameFault(f"{len(self._buf)} bytes without a line end: garbage", BAUD_FIX))
            self._buf.clear()
        return out

    def idle(self, t: float) -> list[Frame | FrameFault]:
        if not self._buf or t - self._last <= self.frame_timeout:
            return []
        shown = bytes(self._buf[:24])
        self._buf.clear()
        return [
            FrameFault(
                f"half a code dropped ({shown!r} and no line end)",
                "scan again; if it happens for every code, set ?suffix= to what the scanner sends",
            )
        ]

    def _line(self, line: bytes) -> list[Frame | FrameFault]:
        if line.startswith(b"\n"):  # an LF scanner set to CR/LF mix
            line = line[1:]
        if not line:
            return []
        if self.prefix:
            at = line.find(self.prefix)
            if at < 0:
                return [FrameFault(f"code without the expected prefix: {line[:24]!r}")]
            line = line[at + len(self.prefix) :]
        if not is_text(line):
            return [FrameFault(f"{len(line)} unreadable bytes: garbage on the line", BAUD_FIX)]
        return [Frame(line, AIM_SYMBOLOGIES.get(line[:3].decode("ascii", "replace")))]
