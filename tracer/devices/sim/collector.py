"""Collect what a driver reports and wait for it, with a deadline: for tests and benchmarks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tracer.devices.base import DeviceState, DeviceStatus, Scan


class Collector:
    """Scans and statuses from a driver thread; `wait` polls with a deadline, never sleeps blindly."""

    def __init__(self) -> None:
        self.scans: list[Scan] = []
        self.statuses: list[DeviceStatus] = []
        self._lock = threading.Lock()

    def scan(self, scan: Scan) -> None:
        with self._lock:
            self.scans.append(scan)

    def status(self, status: DeviceStatus) -> None:
        with self._lock:
            self.statuses.append(status)

    def texts(self) -> list[str]:
        with self._lock:
            return [s.text for s in self.scans]

    def states(self) -> list[DeviceState]:
        with self._lock:
            return [s.state for s in self.statuses]

    def messages(self) -> list[str]:
        with self._lock:
            return [s.message for s in self.statuses]

    def wait(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out; {len(self.scans)} scans, last {self.texts()[-5:]!r}; "
                    f"last statuses {self.messages()[-8:]!r}"
                )
            time.sleep(0.005)

    def wait_state(self, state: DeviceState, after: int = 0, timeout: float = 5.0) -> None:
        self.wait(lambda: state in self.states()[after:], timeout)
