"""Keyboard-wedge scanners: tell a scan from typing by the rhythm of the keys.

A USB scanner in keyboard mode "types" a whole code in a few milliseconds
per character and ends it with Enter (or Tab); a person types tens of
milliseconds apart. `BurstDetector` is pure logic: the UI feeds it every key
with its time and shows only what it hands back as typed text; a fast run of
at least `min_length` keys closed by a terminator becomes a scan.

GS1 FNC1: scanners send it as GS (0x1D, Ctrl+]) or, when set up so because
some keyboard layouts lose control characters, as a stand-in such as '~'
(not in the GS1 character set, so never real data): `fnc1='~'` turns it
back into GS before parse_code sees it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from tracer.devices.base import (
    DeviceError,
    DeviceState,
    DeviceStatus,
    Reader,
    ScanCallback,
    StatusCallback,
    barcode_scan,
    now,
)
from tracer.devices.framing import AIM_SYMBOLOGIES
from tracer.devices.registry import DeviceUri

GS = "\x1d"
KEY_NAMES = {"Enter": "\r", "Return": "\r", "Tab": "\t"}
TERMINATORS = {"CR": "\r", "TAB": "\t", "NONE": ""}


@dataclass
class WedgeOutput:
    scans: list[str] = field(default_factory=list)
    typed: str = ""  # keys that were typing after all: give them back to the focused widget


class BurstDetector:
    """Keys in, scans and typed text out; no clock of its own (times are fed in)."""

    def __init__(
        self,
        *,
        max_gap: float = 0.04,
        min_length: int = 4,
        terminator: str = "\r",
        fnc1: str | None = None,
    ) -> None:
        self.max_gap = max_gap
        self.min_length = min_length
        self.terminators = {"\r", "\n", "\t"} if terminator else set()
        self.fnc1 = fnc1
        self._keys: list[str] = []
        self._last = 0.0

    def feed(self, key: str, t: float) -> WedgeOutput:
        out = WedgeOutput()
        key = KEY_NAMES.get(key, key)
        if self._keys and t - self._last > self.max_gap:
            self._release(out, t)
        self._last = t
        if key in self.terminators:
            if len(self._keys) >= self.min_length:
                out.scans.append(self._code())
            else:
                out.typed += "".join(self._keys) + key
            self._keys.clear()
            return out
        self._keys.append(key)
        return out

    def poll(self, t: float) -> WedgeOutput:
        """Call on a timer: after a silence, held keys are typing (or, with no terminator, a scan)."""
        out = WedgeOutput()
        if self._keys and t - self._last > self.max_gap:
            self._release(out, t)
        return out

    def _release(self, out: WedgeOutput, t: float) -> None:
        if not self.terminators and len(self._keys) >= self.min_length:
            out.scans.append(self._code())
        else:
            out.typed += "".join(self._keys)
        self._keys.clear()

    def _code(self) -> str:
        text = "".join(self._keys)
        if self.fnc1:
            text = text.replace(self.fnc1, GS)
        return text


class WedgeReader:
    """The wedge as a `Reader`: the UI calls `feed_key`, scans go to the callback."""

    def __init__(self, uri: str, detector: BurstDetector) -> None:
        self.uri = uri
        self.detector = detector
        self._lock = threading.Lock()
        self._on_scan: ScanCallback | None = None
        self._status = DeviceStatus(uri, DeviceState.STOPPED, "not started")
        self._frames = 0

    def open(self) -> DeviceStatus:
        """A keyboard is always there; whether a scanner types into it shows on the first scan."""
        return DeviceStatus(self.uri, DeviceState.CONNECTED, "keyboard input")

    def start(self, on_scan: ScanCallback, on_status: StatusCallback | None = None) -> None:
        self._on_scan = on_scan
        self._status = DeviceStatus(self.uri, DeviceState.CONNECTED, "listening to the keyboard")
        if on_status:
            on_status(self._status)

    def stop(self, timeout: float = 2.0) -> None:
        self._on_scan = None
        self._status = DeviceStatus(self.uri, DeviceState.STOPPED, "stopped", frames=self._frames)

    def status(self) -> DeviceStatus:
        return self._status

    def feed_key(self, key: str, t: float | None = None) -> str:
        """One key press; returns the text to pass on to the widget as typing."""
        with self._lock:
            out = self.detector.feed(key, time.monotonic() if t is None else t)
        self._deliver(out)
        return out.typed

    def poll(self, t: float | None = None) -> str:
        with self._lock:
            out = self.detector.poll(time.monotonic() if t is None else t)
        self._deliver(out)
        return out.typed

    def _deliver(self, out: WedgeOutput) -> None:
        callback = self._on_scan
        for code in out.scans:
            self._frames += 1
            if callback is not None:
                symbology = AIM_SYMBOLOGIES.get(code[:3])
                callback(barcode_scan(code, self.uri, symbology=symbology, time=now()))


def from_uri(uri: DeviceUri) -> Reader:
    terminator = (uri.take("terminator", "CR") or "CR").upper()
    if terminator not in TERMINATORS:
        raise DeviceError(f"{uri.uri}: terminator={terminator}; use CR, TAB or NONE")
    return WedgeReader(
        uri.uri,
        BurstDetector(
            max_gap=uri.number("gap", 0.04, low=0.001, high=1.0),
            min_length=uri.integer("min", 4, low=1),
            terminator=TERMINATORS[terminator],
            fnc1=uri.take("fnc1") or None,
        ),
    )
