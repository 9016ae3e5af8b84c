"""The scan writer copies the WAL into the ledger file when idle, not inside a burst's commit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tracer.devices.base import EpcDecoder
from tracer.devices.recorder import RECORDED, Recorder, RecordResult, ScanWriter
from tracer.devices.scan_queue import ScanQueue
from tracer.devices.sim.codes import demo_codes
from tracer.ledger import Ledger
from tracer.model import Station

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def _autocheckpoint(ledger: Ledger) -> int:
    return int(ledger.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0])


def _wait(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_wal_is_copied_when_idle_and_the_limit_restored(tmp_path: Path) -> None:
    path = tmp_path / "portal.sqlite"
    decoder = EpcDecoder()
    scans = [decoder.scan(epc, "uhf", T0) for epc in demo_codes(1, tags=300).epcs]
    results: list[RecordResult] = []
    with Ledger.open(path) as ledger:
        default = _autocheckpoint(ledger)
        size_before = path.stat().st_size
        queue = ScanQueue()
        station = Station("portal-1", "6923456000017", "shipping", "in_transit")
        writer = ScanWriter(
            Recorder(ledger, station), queue, on_result=results.append, idle_checkpoint=0.05
        )
        writer.start()
        for scan in scans:
            queue.put(scan)
        assert _wait(lambda: sum(len(r.of(RECORDED)) for r in results) == len(scans))
        assert _autocheckpoint(ledger) == 20_000  # no checkpoint inside the burst's commits
        # idle: the events reach the ledger file itself, not only its WAL
        assert _wait(lambda: path.stat().st_size > size_before)
        writer.stop()
        assert _autocheckpoint(ledger) == default
        assert ledger.count() == len(scans)


def test_writer_whose_ledger_was_closed_ends_without_a_traceback(tmp_path: Path) -> None:
    errors: list[BaseException | None] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)
    try:
        ledger = Ledger.open(tmp_path / "closed.sqlite")
        station = Station("portal-1", "6923456000017", "shipping", "in_transit")
        writer = ScanWriter(Recorder(ledger, station), ScanQueue(), on_result=lambda r: None)
        writer.start()
        ledger.close()  # e.g. stop() timed out and the caller closed the ledger anyway
        writer.stop()
        assert writer._thread is not None and not writer._thread.is_alive()
        assert errors == []
    finally:
        threading.excepthook = previous
