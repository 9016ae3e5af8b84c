"""Serial and USB-CDC barcode scanners: one code per line, framing set in the URI.

`serial:///dev/ttyACM0?baud=9600&parity=N&suffix=CR&prefix=STX` — most
scanners send the data and a CR (or CRLF, LF, TAB); some add a prefix, and
many can add the AIM symbology identifier (]C1, ]d2, ]Q3 …), which tells
GS1 data (with FNC1) from plain data and is kept for parse_code.
"""

from __future__ import annotations

from tracer.devices.base import Scan, barcode_scan, now
from tracer.devices.framing import Frame, Framer, LineFramer
from tracer.devices.runtime import Backoff
from tracer.devices.serial_link import Opener, SerialDevice, SerialSettings


class SerialScanner(SerialDevice):
    def __init__(
        self,
        uri: str,
        settings: SerialSettings,
        *,
        suffix: bytes = b"\r",
        prefix: bytes = b"",
        backoff: Backoff | None = None,
        opener: Opener | None = None,
    ) -> None:
        super().__init__(uri, settings, backoff=backoff, opener=opener)
        self.suffix = suffix
        self.prefix = prefix
        LineFramer(suffix, prefix)  # check the framing now, not on the device thread

    def _new_framer(self) -> Framer:
        return LineFramer(self.suffix, self.prefix, frame_timeout=self.settings.frame_timeout)

    def _scan(self, frame: Frame) -> Scan:
        text = frame.payload.decode("utf-8")
        return barcode_scan(
            text, self.uri, raw=frame.payload, symbology=frame.symbology, time=now()
        )
