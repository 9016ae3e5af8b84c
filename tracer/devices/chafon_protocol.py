"""The Chafon / CF-RU5xxx "UHFReader18" and "UHFReader288" serial command set, as bytes.

Sources (public): the vendor's "UHFReader18 / UHFReader288 User's Manual"
command tables as implemented and tested by the MIT-licensed chafon-rfid
library (github.com/wabson/chafon-rfid: chafon_rfid/base.py, checksum.py,
command.py, uhfreader18.py, uhfreader288m.py and its tests, whose captured
reader answers are our test vectors), and the frame `04 FF 21 19 95`
(get reader information) quoted in "UHF RFID Reader connect to NodeJS"
(sudonull.com, CF-RU5109).

Host → reader:  Len | Adr | Cmd | Data… | CRC-LSB | CRC-MSB
Reader → host:  Len | Adr | reCmd | Status | Data… | CRC-LSB | CRC-MSB
Len counts the bytes after itself. CRC-16: reflected polynomial 0x8408,
preset 0xFFFF, no final XOR, over every byte from Len to the last data byte.

Inventory (Cmd 0x01), answer mode:
  UHFReader18:  no data;           answer data Num, then Num × (EPCLen, EPC)
  UHFReader288: Q, Session, MaskMem, MaskAdr(2), MaskLen, Target, Ant, ScanTime;
                answer data Ant (bit mask 1/2/4/8), Num, then Num × (EPCLen, EPC, RSSI)
Status 0x03 means more frames follow; 0x01/0x02/0x04 end the round.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterable
from dataclasses import dataclass

from tracer.devices.framing import BAUD_FIX, FrameFault

BROADCAST = 0xFF
CMD_INVENTORY = 0x01
CMD_READER_INFO = 0x21
CMD_SET_POWER = 0x2F

STATUS_OK = 0x00
STATUS_DONE = 0x01  # inventory finished within the scan time
STATUS_TIMEOUT = 0x02  # scan time ran out before every tag was read
STATUS_MORE = 0x03  # more frames of this answer follow
STATUS_FULL = 0x04  # the reader's buffer is full
STATUS_NO_TAG = 0xFB
STATUS_ILLEGAL = 0xFE
STATUS_PARAMETER = 0xFF
_KNOWN_STATUS = {0x00, 0x01, 0x02, 0x03, 0x04, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF}
_KNOWN_COMMANDS = {*range(0x01, 0x20), 0x21, 0x22, 0x24, 0x25, 0x28, 0x2F, 0x35, 0x40, 0x76}
STATUS_TEXT = {
    STATUS_NO_TAG: "no tag operable",
    STATUS_ILLEGAL: "illegal command (the reader does not know it: another model?)",
    STATUS_PARAMETER: "parameter error",
    0xF9: "command execution error",
    0xFA: "poor communication with the tag",
}
ANTENNA_BITS = {1: 1, 2: 2, 4: 3, 8: 4}


# CRC-16/MCRF4XX (the reader's): the bit-reflected form of CRC-16-CCITT, preset 0xFFFF.
# binascii.crc_hqx computes the unreflected CCITT CRC in C; reflecting each input
# byte and the result gives the reader's CRC ~17x faster than a Python table loop
# (a portal answers 20 rounds of ~8 KB a second, parsed on the reader's thread).
_REFLECTED = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


def crc16(data: bytes | bytearray) -> int:
    """CRC-16 as the reader computes it (bit-reflected 0x8408, preset 0xFFFF)."""
    crc = binascii.crc_hqx(bytes(data).translate(_REFLECTED), 0xFFFF)
    return (_REFLECTED[crc & 0xFF] << 8) | _REFLECTED[crc >> 8]


def _with_crc(body: bytes) -> bytes:
    crc = crc16(body)
    return body + bytes((crc & 0xFF, crc >> 8))


def command(cmd: int, data: bytes = b"", address: int = BROADCAST) -> bytes:
    return _with_crc(bytes((4 + len(data), address, cmd)) + data)


def response(cmd: int, status: int, data: bytes = b"", address: int = 0x00) -> bytes:
    """An answer as the reader sends it (the simulator speaks with this)."""
    return _with_crc(bytes((5 + len(data), address, cmd, status)) + data)


def inventory_command(model: str, *, antenna: int = 1, scan_time: int = 10, q: int = 4) -> bytes:
    """Inventory in answer mode; scan_time is in units of 100 ms (288 only)."""
    if model == "18":
        return command(CMD_INVENTORY)
    data = bytes((q, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x80 + antenna - 1, scan_time))
    return command(CMD_INVENTORY, data)


def set_power_command(dbm: int) -> bytes:
    return command(CMD_SET_POWER, bytes((dbm,)))


@dataclass(frozen=True, slots=True)
class TagRead:
    epc: bytes
    antenna: int | None
    rssi: int | None


@dataclass(frozen=True, slots=True)
class Response:
    address: int
    cmd: int
    status: int
    data: bytes

    @property
    def last(self) -> bool:
        """The final frame of an inventory answer."""
        return self.status != STATUS_MORE

    def tags(self, model: str) -> list[TagRead]:
        """The tags of an inventory answer; raises ValueError on a malformed tag list."""
        if self.cmd != CMD_INVENTORY or self.status not in (1, 2, 3, 4) or not self.data:
            return []
        antenna: int | None
        if model == "18":
            antenna, count, pos = 1, self.data[0], 1
        else:
            if len(self.data) < 2:
                raise ValueError("inventory answer too short")
            antenna, count, pos = ANTENNA_BITS.get(self.data[0]), self.data[1], 2
        out = []
        suffix = 0 if model == "18" else 1
        for _ in range(count):
            if pos >= len(self.data):
                raise ValueError("inventory answer ends before its last tag")
            length = self.data[pos]
            epc = self.data[pos + 1 : pos + 1 + length]
            if len(epc) != length or pos + 1 + length + suffix > len(self.data):
                raise ValueError("inventory answer ends inside a tag")
            rssi = self.data[pos + 1 + length] if suffix else None
            out.append(TagRead(bytes(epc), antenna, rssi))
            pos += 1 + length + suffix
        return out


def inventory_answer(model: str, tags: Iterable[TagRead], *, per_frame: int = 16) -> bytes:
    """The frames a reader sends for one inventory round (status 0x03 … then 0x01).

    A UHFReader288 frame names one antenna, so tags are grouped by antenna."""
    by_antenna: dict[int | None, list[TagRead]] = {}
    for tag in tags:
        by_antenna.setdefault(tag.antenna if model != "18" else 1, []).append(tag)
    chunks = [
        (antenna, group[i : i + per_frame])
        for antenna, group in by_antenna.items()
        for i in range(0, len(group), per_frame)
    ] or [(1, [])]
    out = bytearray()
    for n, (antenna, chunk) in enumerate(chunks):
        status = STATUS_DONE if n == len(chunks) - 1 else STATUS_MORE
        body = bytearray()
        for tag in chunk:
            body += bytes((len(tag.epc),)) + tag.epc
            if model != "18":
                body.append(tag.rssi if tag.rssi is not None else 0)
        if model == "18":
            data = bytes((len(chunk),)) + body
        else:
            bit = next((b for b, a in ANTENNA_BITS.items() if a == antenna), 1)
            data = bytes((bit, len(chunk))) + body
        out += response(CMD_INVENTORY, status, data)
    return bytes(out)


class ResponseParser:
    """Reader bytes → `Response`s and faults; resynchronises on the next good frame.

    A frame start must carry the reader's address (0 unless changed) and a
    known command and status, so that noise rarely passes for a header.
    """

    def __init__(self, *, address: int = 0x00, frame_timeout: float = 0.2) -> None:
        self.address = address
        self.frame_timeout = frame_timeout
        self._buf = bytearray()
        self._garbage = 0
        self._last = 0.0

    def feed(self, data: bytes, t: float) -> list[Response | FrameFault]:
        out: list[Response | FrameFault] = []
        self._last = t  # silence is judged only by idle(): late bytes are not a gap on the wire
        self._buf += data
        self._parse(out)
        return out

    def idle(self, t: float) -> list[Response | FrameFault]:
        """After a silence, what is left cannot be completed: drop it, keep any frame inside."""
        out: list[Response | FrameFault] = []
        if t - self._last <= self.frame_timeout:
            return out
        if self._buf:
            out.append(FrameFault("half a reader frame dropped (the reader went silent mid-frame)"))
            while self._buf:
                del self._buf[:1]
                self._parse(out)
            self._garbage = 0  # the rest of that half frame, not separate noise
            return out
        self._flush_garbage(out)
        return out

    def _parse(self, out: list[Response | FrameFault]) -> None:
        buf = self._buf
        while buf:
            length = buf[0]
            if length < 5 or not self._header(buf):
                del buf[:1]
                self._garbage += 1
                continue
            if len(buf) < length + 1:
                break
            frame = bytes(buf[: length + 1])
            if crc16(frame[:-2]) == frame[-2] | (frame[-1] << 8):
                self._flush_garbage(out)
                del buf[: length + 1]
                out.append(Response(frame[1], frame[2], frame[3], frame[4:-2]))
            elif self._plausible(buf, length):
                self._flush_garbage(out)
                del buf[: length + 1]
                out.append(
                    FrameFault(
                        f"bad checksum on a {length + 1}-byte reader frame: dropped",
                        "if this repeats, check the cable and the baud rate",
                    )
                )
            else:
                del buf[:1]
                self._garbage += 1
        if self._garbage >= 64:
            self._flush_garbage(out)

    def _header(self, buf: bytearray) -> bool:
        return (
            (len(buf) < 2 or buf[1] == self.address)
            and (len(buf) < 3 or buf[2] in _KNOWN_COMMANDS)
            and (len(buf) < 4 or buf[3] in _KNOWN_STATUS)
        )

    @staticmethod
    def _plausible(buf: bytearray, length: int) -> bool:
        """Header right, checksum wrong: a corrupted frame rather than a misread length byte.

        Only believed when the next frame (from the same reader address) starts
        right after it, or nothing follows yet."""
        after = length + 1
        if len(buf) == after:
            return True
        return buf[after] >= 5 and (len(buf) < after + 2 or buf[after + 1] == buf[1])

    def _flush_garbage(self, out: list[Response | FrameFault]) -> None:
        if self._garbage:
            out.append(FrameFault(f"{self._garbage} bytes of garbage from the reader", BAUD_FIX))
            self._garbage = 0


def status_text(status: int) -> str:
    return STATUS_TEXT.get(status, f"status 0x{status:02X}")
