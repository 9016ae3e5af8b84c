"""One scan per code per window: a portal reads a tag 20 times a second, a scanner
trigger held down repeats, an RDM6300 repeats while the card lies there.

The window is per station and runs from the read that was recorded: further
reads of the same code (EPC, GS1 identity, or raw text for rejects) within
`window` seconds are counted on that entry, and the best RSSI is kept; the
first read after the window is recorded again. Times are the scans' read
times, so the result does not depend on how fast the writer keeps up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tracer.devices.base import Scan


@dataclass
class Seen:
    first: datetime  # read time of the recorded scan
    read_count: int
    best_rssi: float | None


class Deduplicator:
    def __init__(self, window: float = 2.0, *, max_entries: int = 100_000) -> None:
        self.window = window
        self.max_entries = max_entries
        self._seen: dict[str, Seen] = {}

    def offer(self, scan: Scan, key: str | None = None) -> tuple[bool, Seen]:
        """(True, new entry): record this scan, a window starts. (False, entry): a repeat, counted."""
        key = scan.key if key is None else key
        entry = self._seen.get(key)
        if (
            entry is not None
            and self.window > 0
            and abs((scan.time - entry.first).total_seconds()) < self.window
        ):
            entry.read_count += scan.read_count
            if scan.rssi is not None and (entry.best_rssi is None or scan.rssi > entry.best_rssi):
                entry.best_rssi = scan.rssi
            return False, entry
        if len(self._seen) >= self.max_entries:
            self._prune(scan.time)
        entry = self._seen[key] = Seen(scan.time, scan.read_count, scan.rssi)
        return True, entry

    def is_new(self, scan: Scan, key: str | None = None) -> bool:
        """Would `offer` record this scan? (No side effect.)"""
        entry = self._seen.get(scan.key if key is None else key)
        return (
            entry is None
            or self.window <= 0
            or abs((scan.time - entry.first).total_seconds()) >= self.window
        )

    def forget(self, key: str) -> None:
        self._seen.pop(key, None)

    def seen(self, key: str) -> Seen | None:
        return self._seen.get(key)

    def _prune(self, t: datetime) -> None:
        self._seen = {
            k: v for k, v in self._seen.items() if abs((t - v.first).total_seconds()) < self.window
        }
