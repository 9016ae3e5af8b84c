"""The one place where scans and statuses from many device threads meet.

Drivers call `put` from their own threads (pass it as both callbacks of
`Reader.start`); one consumer takes batches: everything that arrived while
it was busy comes out together, which is how a portal burst becomes one
ledger transaction without waiting to "fill" a batch.
"""

from __future__ import annotations

import queue
import time

from tracer.devices.base import DeviceStatus, Scan

Item = Scan | DeviceStatus


class ScanQueue:
    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Item | None] = queue.SimpleQueue()
        self._closed = False

    def put(self, item: Item) -> None:
        self._queue.put(item)

    def close(self) -> None:
        """Wake the consumer; `get_batch` returns what is left, then empty lists."""
        self._closed = True
        self._queue.put(None)

    @property
    def closed(self) -> bool:
        return self._closed

    def get_batch(self, timeout: float = 0.1, max_items: int = 5000) -> list[Item]:
        """Block up to `timeout` for the first item, then take whatever else is waiting."""
        items: list[Item] = []
        deadline = time.monotonic() + timeout
        try:
            first = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return items
        if first is not None:
            items.append(first)
        while len(items) < max_items:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                items.append(item)
        return items
