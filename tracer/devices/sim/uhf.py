"""A Chafon / CF-RU5xxx UHF reader on a pty: answers inventory with the tags in its field.

It reads the driver's command frames, checks their CRC (a real reader
ignores a corrupted command) and answers set-power, reader-info and
inventory. `field` is what the antennas see; the test or the benchmark
changes it while the driver runs. `max_rounds_per_second` paces the
answers like a reader's scan time (a portal reads each tag ~20×/s).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any

from tracer.devices import chafon_protocol as proto
from tracer.devices.sim.pty_port import PtyPort
from tracer.devices.sim.streams import PERIODS, check_faults

Log = Callable[[dict[str, Any]], None]


class ChafonSimulator:
    def __init__(
        self,
        port: PtyPort,
        *,
        model: str = "288",
        field: list[proto.TagRead] | None = None,
        max_rounds_per_second: float = 20.0,
        faults: tuple[str, ...] = (),
        seed: int = 1,
        unplug_time: float = 1.0,
        log: Log | None = None,
    ) -> None:
        self.port = port
        self.model = model
        self.field: list[proto.TagRead] = list(field or [])
        self.max_rounds_per_second = max_rounds_per_second
        self.faults = check_faults(faults)
        self.rng = random.Random(seed)
        self.unplug_time = unplug_time
        self.log = log or (lambda _event: None)
        self.power: int | None = None
        self.rounds = 0  # inventory rounds answered in full
        self.round_times: list[float] = []  # monotonic time each full answer was written
        self.commands: list[int] = []
        self.requests = 0  # inventory commands received
        self.answer = True  # False: a reader that is switched off / at another baud rate

    def run(self, stop: threading.Event, count: int | None = None) -> None:
        buf = bytearray()
        last_round = 0.0
        while not stop.is_set() and (count is None or self.rounds < count):
            data = self.port.read(0.05)
            if not data:
                continue
            buf += data
            for cmd, payload in self._commands(buf):
                self.commands.append(cmd)
                if not self.answer:
                    continue
                if cmd == proto.CMD_INVENTORY:
                    wait = last_round + 1.0 / self.max_rounds_per_second - time.monotonic()
                    if wait > 0 and stop.wait(wait):
                        return
                    last_round = time.monotonic()
                    self._inventory(stop)
                elif cmd == proto.CMD_SET_POWER and len(payload) == 1:
                    self.power = payload[0]
                    self.port.write(proto.response(cmd, proto.STATUS_OK))
                elif cmd == proto.CMD_READER_INFO:
                    info = bytes((0x03, 0x01, 0x0C, 0x02, 0x3E, 0x00, self.power or 26, 10))
                    self.port.write(proto.response(cmd, proto.STATUS_OK, info))
                else:
                    self.port.write(proto.response(cmd, proto.STATUS_ILLEGAL))

    def _commands(self, buf: bytearray) -> list[tuple[int, bytes]]:
        out = []
        while buf:
            length = buf[0]
            if length < 4:
                del buf[:1]
                continue
            if len(buf) < length + 1:
                break
            frame = bytes(buf[: length + 1])
            if proto.crc16(frame[:-2]) != frame[-2] | (frame[-1] << 8):
                del buf[:1]
                continue
            del buf[: length + 1]
            out.append((frame[2], frame[3:-2]))
        return out

    def _inventory(self, stop: threading.Event) -> None:
        self.requests += 1
        n = self.requests

        def due(name: str) -> bool:
            return name in self.faults and n % PERIODS[name] == 0

        if due("unplug"):
            self.log({"fault": "unplug"})
            self.port.unplug()
            stop.wait(self.unplug_time)
            self.port.plug()
            self.log({"fault": "replug"})
            return  # the driver re-sends its inventory once it is back
        answer = proto.inventory_answer(self.model, self.field)
        if due("garbage"):
            self.port.write(bytes(self.rng.randrange(256) for _ in range(12)))
            self.log({"fault": "garbage"})
        if due("badsum"):
            # one extra, corrupted copy of the first frame before the real answer
            first = bytearray(answer[: answer[0] + 1])
            first[-1] ^= 0xFF
            first[3] = proto.STATUS_MORE
            self.port.write(bytes(first))
            self.log({"fault": "badsum"})
        if due("half"):
            self.port.write(answer[: max(3, answer[0] // 2)])
            stop.wait(0.3)
            self.log({"fault": "half"})
        if self.port.write(answer) == len(answer):
            self.rounds += 1
            self.round_times.append(time.monotonic())
            self.log({"round": self.rounds, "tags": len(self.field)})
