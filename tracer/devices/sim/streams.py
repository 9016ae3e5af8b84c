"""Scanner and RDM6300 simulators: frames on a pty at a rate, with faults on a schedule.

Faults (each on its own deterministic schedule, so a run can be checked):
  garbage  random bytes between frames (a wrong baud rate looks like this)
  half     the first half of a frame, then silence, then the next frame
  badsum   a frame with a wrong checksum (RDM6300) or a misread check digit (scanner)
  unplug   the port disappears for `unplug_time` seconds and comes back at the same path
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tracer.devices.rdm6300 import encode_frame
from tracer.devices.sim.codes import DemoCodes
from tracer.devices.sim.pty_port import PtyPort

FAULTS = ("garbage", "half", "badsum", "unplug")
# every Nth frame gets the fault (co-prime periods, so faults rarely coincide)
PERIODS = {"garbage": 5, "half": 7, "badsum": 3, "unplug": 11}

Log = Callable[[dict[str, Any]], None]


def check_faults(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    unknown = sorted(set(names) - set(FAULTS))
    if unknown:
        raise ValueError(f"unknown fault(s) {', '.join(unknown)}; known: {', '.join(FAULTS)}")
    return tuple(names)


@dataclass
class SimReport:
    sent: list[str] = field(default_factory=list)  # good codes written while plugged in
    faults: list[str] = field(default_factory=list)


class StreamSimulator:
    """A device that talks without being asked: a serial scanner or an RDM6300 module."""

    def __init__(
        self,
        kind: str,
        port: PtyPort,
        codes: DemoCodes,
        *,
        rate: float = 2.0,
        faults: tuple[str, ...] = (),
        seed: int = 1,
        suffix: bytes = b"\r",
        half_pause: float = 0.3,
        unplug_time: float = 1.0,
        log: Log | None = None,
        after_replug: Callable[[], None] | None = None,
    ) -> None:
        if kind not in ("scanner", "rdm6300"):
            raise ValueError(f"no stream simulator for {kind!r}")
        self.kind = kind
        self.port = port
        self.codes = codes
        self.rate = rate
        self.faults = check_faults(faults)
        self.rng = random.Random(seed)
        self.suffix = suffix
        self.half_pause = half_pause
        self.unplug_time = unplug_time
        self.log = log or (lambda _event: None)
        self.after_replug = after_replug  # e.g. a test waiting for the driver to reconnect
        self.report = SimReport()

    def frame(self, code: str, *, bad: bool = False) -> bytes:
        if self.kind == "rdm6300":
            return encode_frame(code, bad_checksum=bad)
        return code.encode("utf-8") + self.suffix

    def good_codes(self) -> tuple[str, ...]:
        return self.codes.cards if self.kind == "rdm6300" else self.codes.barcodes

    def garbage(self) -> bytes:
        """Noise as a wrong baud rate makes it: no frame start inside; a scanner's ends its line."""
        avoid = {0x02, 0x03, 0x0D, 0x0A, 0x09}
        noise = bytes(b for b in self.rng.randbytes(self.rng.randrange(6, 24)) if b not in avoid)
        return noise + (self.suffix if self.kind == "scanner" else b"")

    def run(self, stop: threading.Event, count: int | None = None) -> SimReport:
        codes = self.good_codes()
        n = 0
        while not stop.is_set() and (count is None or n < count):
            n += 1
            self._inject(n, codes, stop)
            code = codes[(n - 1) % len(codes)]
            if self.port.write(self.frame(code)) and self.port.plugged:
                self.report.sent.append(code)
                self.log({"sent": code})
            if stop.wait(1.0 / self.rate):
                break
        return self.report

    def _inject(self, n: int, codes: tuple[str, ...], stop: threading.Event) -> None:
        def due(name: str) -> bool:
            return name in self.faults and n % PERIODS[name] == 0

        if due("unplug"):
            self._fault("unplug")
            self.port.unplug()
            stop.wait(self.unplug_time)
            self.port.plug()
            self._fault("replug")
            if self.after_replug is not None:
                self.after_replug()
            else:
                stop.wait(0.3)  # let the driver find the port again before talking
        if due("garbage"):
            self.port.write(self.garbage())
            self._fault("garbage")
        if due("half"):
            frame = self.frame(codes[n % len(codes)])
            self.port.write(frame[: len(frame) // 2])
            self._fault("half")
            stop.wait(self.half_pause)
        if due("badsum"):
            if self.kind == "rdm6300":
                self.port.write(self.frame(codes[n % len(codes)], bad=True))
            else:
                bad = self.codes.bad_barcodes
                self.port.write(self.frame(bad[n % len(bad)]))
            self._fault("badsum")

    def _fault(self, name: str) -> None:
        self.report.faults.append(name)
        self.log({"fault": name})
