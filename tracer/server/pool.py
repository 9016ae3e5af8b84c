"""A few open ledgers shared by the server's worker threads.

SQLite: one (its writes are serialised by the file anyway, and one
connection keeps the WAL simple). PostgreSQL: several connections, so that
queries and captures of different clients run side by side on the server.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tracer.ledger.backend import is_server_url, open_ledger


class LedgerPool:
    def __init__(self, location: str, size: int | None = None) -> None:
        self.location = location
        self.size = size or (4 if is_server_url(location) else 1)
        self._free: queue.Queue[Any] = queue.Queue()
        self._all: list[Any] = []
        try:
            for _ in range(self.size):
                ledger = open_ledger(location)
                self._all.append(ledger)
                self._free.put(ledger)
        except BaseException:
            self.close()
            raise

    @property
    def path(self) -> str:
        return str(self._all[0].path) if self._all else self.location

    @contextmanager
    def ledger(self) -> Iterator[Any]:
        ledger = self._free.get()
        try:
            yield ledger
        finally:
            self._free.put(ledger)

    def close(self) -> None:
        for ledger in self._all:
            ledger.close()
        self._all.clear()
