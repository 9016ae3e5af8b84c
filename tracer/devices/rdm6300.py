"""125 kHz EM4100 card readers that talk like the RDM6300 module.

Each read is 14 bytes: STX (0x02), 10 ASCII-hex characters (the card's 5
bytes: version/customer byte and 32-bit ID), 2 ASCII-hex characters that
are the XOR of those 5 bytes, ETX (0x03). The module repeats the frame
while a card stays in the field; de-duplication makes that one scan.
"""

from __future__ import annotations

from functools import reduce

from tracer.devices.base import Scan, ScanKind, now
from tracer.devices.framing import BAUD_FIX, Frame, FrameFault, Framer
from tracer.devices.runtime import Backoff
from tracer.devices.serial_link import Opener, SerialDevice, SerialSettings

STX, ETX = 0x02, 0x03
FRAME_LEN = 14
_HEX = frozenset(b"0123456789ABCDEFabcdef")


def checksum(card: bytes) -> int:
    """XOR of the 5 card bytes."""
    return reduce(lambda a, b: a ^ b, card, 0)


def encode_frame(card_hex: str, *, bad_checksum: bool = False) -> bytes:
    """The frame a module sends for a card (used by the simulator and the tests)."""
    card = bytes.fromhex(card_hex)
    if len(card) != 5:
        raise ValueError("an EM4100 card number is 5 bytes (10 hex digits)")
    check = checksum(card) ^ (0xFF if bad_checksum else 0)
    return bytes([STX]) + card.hex().upper().encode() + f"{check:02X}".encode() + bytes([ETX])


class Rdm6300Framer:
    def __init__(self, *, frame_timeout: float = 0.2) -> None:
        self.frame_timeout = frame_timeout
        self._buf = bytearray()
        self._garbage = 0
        self._last = 0.0

    def feed(self, data: bytes, t: float) -> list[Frame | FrameFault]:
        out: list[Frame | FrameFault] = []
        self._last = t  # silence is judged only by idle(): late bytes are not a gap on the wire
        for byte in data:
            if byte == STX:
                if self._buf:
                    out.append(self._half())
                self._flush_garbage(out)
                self._buf.append(byte)
            elif self._buf:
                self._buf.append(byte)
                if len(self._buf) == FRAME_LEN:
                    out.append(self._frame(bytes(self._buf)))
                    self._buf.clear()
            else:
                self._garbage += 1
        if self._garbage >= 64:
            self._flush_garbage(out)
        return out

    def idle(self, t: float) -> list[Frame | FrameFault]:
        out: list[Frame | FrameFault] = []
        if t - self._last <= self.frame_timeout:
            return out
        if self._buf:
            out.append(self._half())
        self._flush_garbage(out)
        return out

    def _half(self) -> FrameFault:
        shown = bytes(self._buf)
        self._buf.clear()
        return FrameFault(
            f"half a card frame dropped ({shown!r})", "hold the card still in the field"
        )

    def _flush_garbage(self, out: list[Frame | FrameFault]) -> None:
        if self._garbage:
            out.append(FrameFault(f"{self._garbage} bytes of garbage outside any frame", BAUD_FIX))
            self._garbage = 0

    @staticmethod
    def _frame(frame: bytes) -> Frame | FrameFault:
        if frame[-1] != ETX:
            return FrameFault(f"card frame without its end byte: {frame!r}", BAUD_FIX)
        body = frame[1:13]
        if not all(b in _HEX for b in body):
            return FrameFault(f"card frame with non-hex data: {frame!r}", BAUD_FIX)
        card = bytes.fromhex(body[:10].decode())
        sent = int(body[10:12], 16)
        if checksum(card) != sent:
            return FrameFault(
                f"bad checksum on card {card.hex().upper()} (sent {sent:02X}, "
                f"computed {checksum(card):02X}): read dropped",
                "hold the card still; a reader that always fails needs checking",
            )
        return Frame(card, "EM4100")


class Rdm6300Reader(SerialDevice):
    """`rdm6300:///dev/ttyUSB0` (9600 8N1 by default, as the module ships)."""

    def __init__(
        self,
        uri: str,
        settings: SerialSettings,
        *,
        backoff: Backoff | None = None,
        opener: Opener | None = None,
    ) -> None:
        super().__init__(uri, settings, backoff=backoff, opener=opener)

    def _new_framer(self) -> Framer:
        return Rdm6300Framer(frame_timeout=self.settings.frame_timeout)

    def _scan(self, frame: Frame) -> Scan:
        card = frame.payload.hex().upper()
        return Scan(
            frame.payload,
            card,
            ScanKind.EM4100,
            self.uri,
            now(),
            "EM4100",
            identity=f"urn:epc:raw:40.x{card}",
        )
