"""UHF EPC Gen2 readers speaking the Chafon / CF-RU5xxx serial command set.

`uhf-chafon:///dev/ttyUSB0?power=26&antenna=1&model=288&baud=57600`

The reader is polled in answer mode: inventory, read the answer frames
(status 0x03 = more follow), turn every tag into a `Scan`, ask again. Each
tag in an answer frame gets that frame's arrival time, its antenna and RSSI
(UHFReader288 answers carry both; UHFReader18 ones neither: `model=18`).
RSSI is the reader's raw byte (higher is stronger), kept only to compare
reads. The bytes and the CRC are in `chafon_protocol`.
"""

from __future__ import annotations

import time

import serial

from tracer.devices import chafon_protocol as proto
from tracer.devices.base import DeviceError, DeviceState, EpcDecoder, Reader, now
from tracer.devices.framing import BAUD_FIX, FrameFault
from tracer.devices.registry import DeviceUri, backoff, serial_settings
from tracer.devices.runtime import Backoff
from tracer.devices.serial_link import Opener, SerialDevice, SerialSettings

MODELS = ("18", "288")
NO_ANSWER_LIMIT = 3


class ChafonReader(SerialDevice):
    def __init__(
        self,
        uri: str,
        settings: SerialSettings,
        *,
        model: str = "288",
        power: int | None = None,
        antenna: int = 1,
        scan_time: int = 10,
        address: int = 0x00,
        answer_timeout: float = 1.0,
        backoff: Backoff | None = None,
        opener: Opener | None = None,
    ) -> None:
        super().__init__(uri, settings, backoff=backoff, opener=opener)
        if model not in MODELS:
            raise DeviceError(f"{uri}: model={model!r}; use 18 (UHFReader18) or 288 (UHFReader288)")
        if power is not None and not 0 <= power <= 30:
            raise DeviceError(f"{uri}: power={power}: the reader takes 0…30 dBm")
        if not 1 <= antenna <= 4 or (model == "18" and antenna != 1):
            raise DeviceError(
                f"{uri}: antenna={antenna}: model {model} has antennas 1…{4 if model == '288' else 1}"
            )
        self.model = model
        self.power = power
        self.antenna = antenna
        self.address = address
        self.answer_timeout = answer_timeout + scan_time / 10
        self._inventory = proto.inventory_command(model, antenna=antenna, scan_time=scan_time)
        self._epcs = EpcDecoder()
        self._silent_rounds = 0

    def _session(self, port: serial.SerialBase) -> None:
        parser = proto.ResponseParser(
            address=self.address, frame_timeout=self.settings.frame_timeout
        )
        self._silent_rounds = 0
        self._epcs.load()  # the first tag of the first burst must not wait for an import
        if self.power is not None:
            answer = self._ask(
                port, parser, proto.set_power_command(self.power), proto.CMD_SET_POWER
            )
            if answer is not None and answer.status != proto.STATUS_OK:
                self._fault(
                    f"the reader refused power {self.power} dBm: {proto.status_text(answer.status)}"
                )
        while not self.stopping:
            port.write(self._inventory)
            self._read_round(port, parser)

    def _ask(
        self, port: serial.SerialBase, parser: proto.ResponseParser, frame: bytes, cmd: int
    ) -> proto.Response | None:
        """Send one command and wait for its answer (None: no answer in time)."""
        port.write(frame)
        deadline = time.monotonic() + self.answer_timeout
        while not self.stopping and time.monotonic() < deadline:
            data = port.read(max(1, port.in_waiting))
            mono = time.monotonic()
            for item in parser.feed(data, mono) if data else parser.idle(mono):
                if isinstance(item, FrameFault):
                    self._fault(item.message, item.fix)
                elif item.cmd == cmd:
                    return item
        self._no_answer()
        return None

    def _read_round(self, port: serial.SerialBase, parser: proto.ResponseParser) -> None:
        deadline = time.monotonic() + self.answer_timeout
        while not self.stopping:
            data = port.read(max(1, port.in_waiting))
            mono = time.monotonic()
            if not data:
                items = parser.idle(mono)
                if not items and mono > deadline:
                    self._no_answer()
                    return
            else:
                items = parser.feed(data, mono)
            at = now()
            for item in items:
                if isinstance(item, FrameFault):
                    self._fault(item.message, item.fix)
                    continue
                if item.cmd != proto.CMD_INVENTORY:
                    continue  # a late answer to something else
                self._answered()
                if item.status not in (1, 2, 3, 4):
                    self._fault(f"inventory failed: {proto.status_text(item.status)}")
                    return
                try:
                    tags = item.tags(self.model)
                except ValueError as exc:
                    self._fault(f"{exc}: is the reader model {self.model} (?model=18 or 288)?")
                    tags = []
                for tag in tags:
                    self._emit(
                        self._epcs.scan(tag.epc, self.uri, at, antenna=tag.antenna, rssi=tag.rssi)
                    )
                if item.last:
                    return
                deadline = mono + self.answer_timeout

    def _no_answer(self) -> None:
        self._silent_rounds += 1
        if self._silent_rounds == NO_ANSWER_LIMIT:
            self._set_state(
                DeviceState.UNUSABLE,
                f"{self.settings.port} is open but the reader does not answer",
                f"is it a Chafon/CF-RU5xxx reader, switched on, in answer mode? {BAUD_FIX}",
            )

    def _answered(self) -> None:
        if self._silent_rounds >= NO_ANSWER_LIMIT:
            self._set_state(
                DeviceState.CONNECTED, f"the reader on {self.settings.port} answers again"
            )
        self._silent_rounds = 0


def from_uri(uri: DeviceUri) -> Reader:
    power = uri.take("power")
    return ChafonReader(
        uri.uri,
        serial_settings(uri, baud=57600),
        model=uri.take("model", "288") or "288",
        power=None if power is None else uri.integer("power", 0, low=0, high=30),
        antenna=uri.integer("antenna", 1, low=1, high=4),
        scan_time=uri.integer("scantime", 10, low=1, high=255),
        address=uri.integer("address", 0, low=0, high=254),
        backoff=backoff(uri),
    )
