"""The thread, the status and the back-off every driver needs, written once.

Drivers subclass `DeviceThread` and implement `_run`; they report with
`_emit` (a good scan), `_fault` (bad bytes, the device is still there) and
`_set_state` (connected, gone, unusable). Callbacks are called on the device
thread; an exception in a callback is reported, never allowed to kill it.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import replace

from tracer.devices.base import (
    DeviceState,
    DeviceStatus,
    Scan,
    ScanCallback,
    StatusCallback,
    now,
)


class Backoff:
    """Waits that grow after each failure (first, first×factor, … up to limit)."""

    def __init__(self, first: float = 0.1, factor: float = 2.0, limit: float = 5.0) -> None:
        self.first = first
        self.factor = factor
        self.limit = limit
        self._next = first

    def next(self) -> float:
        wait = self._next
        self._next = min(self._next * self.factor, self.limit)
        return wait

    def reset(self) -> None:
        self._next = self.first


class DeviceThread:
    """Base of the threaded drivers: start/stop/status and safe callbacks."""

    def __init__(self, uri: str, *, backoff: Backoff | None = None) -> None:
        self.uri = uri
        self.backoff = backoff or Backoff()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._status = DeviceStatus(uri, DeviceState.STOPPED, "not started")
        self._frames = 0  # counted apart from the status: the hot path only adds one
        self._faults = 0
        self._reconnects = 0
        self._on_scan: ScanCallback | None = None
        self._on_status: StatusCallback | None = None

    # -- the Reader interface ------------------------------------------------

    def open(self) -> DeviceStatus:
        """Probe the device once (see `Reader.open`); the result is also `status()`."""
        if self._thread is not None and self._thread.is_alive():
            return self.status()
        state, message, fix = self._probe()
        with self._lock:
            self._status = replace(self._status, state=state, message=message, fix=fix, time=now())
            return self._current()

    def _probe(self) -> tuple[DeviceState, str, str]:
        raise NotImplementedError

    def start(self, on_scan: ScanCallback, on_status: StatusCallback | None = None) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._on_scan = on_scan
        self._on_status = on_status
        self._stop.clear()
        self._set_state(DeviceState.CONNECTING, f"opening {self.uri}")
        self._thread = threading.Thread(target=self._main, name=f"device {self.uri}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._interrupt()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self._thread = None
        if self._status.state is not DeviceState.STOPPED:
            self._set_state(DeviceState.STOPPED, "stopped")

    def status(self) -> DeviceStatus:
        with self._lock:
            return self._current()

    def _current(self) -> DeviceStatus:
        return replace(
            self._status, frames=self._frames, faults=self._faults, reconnects=self._reconnects
        )

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- for subclasses ------------------------------------------------------

    def _run(self) -> None:
        raise NotImplementedError

    def _interrupt(self) -> None:
        """Wake a blocking read so that stop() returns quickly (override if needed)."""

    def _wait(self, seconds: float) -> bool:
        """Sleep unless stopped; True when the driver should stop."""
        return self._stop.wait(seconds)

    def _emit(self, scan: Scan) -> None:
        self._frames += 1  # only the device thread writes it
        callback = self._on_scan
        if callback is None:
            return
        try:
            callback(scan)
        except Exception as exc:  # a broken consumer must not take the device down
            self._fault(f"the scan handler failed: {exc!r}")

    def _fault(self, message: str, fix: str = "") -> None:
        """Bytes that were not a good frame; the device itself is still there."""
        with self._lock:
            self._faults += 1
            self._status = replace(self._status, message=message, fix=fix, time=now())
            status = self._current()
        self._publish(status)

    def _set_state(
        self, state: DeviceState, message: str, fix: str = "", *, reconnected: bool = False
    ) -> None:
        with self._lock:
            self._reconnects += 1 if reconnected else 0
            self._status = replace(self._status, state=state, message=message, fix=fix, time=now())
            status = self._current()
        self._publish(status)

    def _publish(self, status: DeviceStatus) -> None:
        callback = self._on_status
        if callback is None:
            return
        with contextlib.suppress(Exception):
            callback(status)

    def _main(self) -> None:
        try:
            self._run()
        except Exception as exc:  # last resort: report, never crash the application
            self._set_state(DeviceState.UNUSABLE, f"driver error: {exc!r}", "please report this")
            return
        if self._status.state is not DeviceState.STOPPED:
            self._set_state(DeviceState.STOPPED, "stopped")
