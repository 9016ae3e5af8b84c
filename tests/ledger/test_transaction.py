"""Appends inside `one_transaction` land together or not at all."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tracer.epcis.codec import stamp
from tracer.errors import LedgerError
from tracer.ledger import Ledger, verify
from tracer.ledger.transaction import one_transaction
from tracer.model import Action, Event, EventType

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def batch(b: int, n: int = 20) -> list[Event]:
    return [
        stamp(
            Event(
                event_type=EventType.OBJECT,
                event_time=T0 + timedelta(seconds=b),
                action=Action.OBSERVE,
                biz_step="receiving",
                epc_list=(f"urn:epc:id:sgtin:6923456.001003.B{b}N{i}",),
            )
        )
        for i in range(n)
    ]


def state(path: Path) -> tuple[int, Any]:
    """Count and head as another connection sees them."""
    conn = sqlite3.connect(path)
    try:
        n = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        head = conn.execute("SELECT value FROM tracer_meta WHERE key = 'head'").fetchone()
        return n, head
    finally:
        conn.close()


@pytest.fixture
def ledger(tmp_path: Path) -> Any:
    with Ledger.open(tmp_path / "t.sqlite") as led:
        led.append(batch(0))
        yield led


def test_batches_commit_together_at_the_end(ledger: Ledger) -> None:
    before = state(ledger.path)
    assert before[0] == 20
    with one_transaction(ledger) as tx:
        r1 = tx.append(batch(1))
        r2 = tx.append(batch(2) + batch(1))  # batch 1 again: already in (uncommitted) rows
        assert (r1.count, r2.count, r2.skipped) == (20, 20, 20)
        assert state(ledger.path) == before  # nothing visible before the commit
    assert (tx.added, tx.skipped) == (40, 20)
    assert state(ledger.path)[0] == 60
    assert ledger.count() == 60
    assert verify(ledger.connection).ok
    times = {row[0] for row in ledger.connection.execute("SELECT record_time FROM events")}
    assert len(times) == 2  # the first append's, and the transaction's one record time


def test_an_exception_rolls_every_batch_back(ledger: Ledger) -> None:
    before = state(ledger.path)
    with pytest.raises(RuntimeError, match="boom"), one_transaction(ledger) as tx:
        tx.append(batch(1))
        tx.append(batch(2))
        raise RuntimeError("boom")
    assert state(ledger.path) == before
    assert not ledger.connection.in_transaction
    with pytest.raises(LedgerError):
        tx.append(batch(3))  # the transaction is over
    assert ledger.append(batch(1)).count == 20  # the ledger writes on as usual
    assert verify(ledger.connection).ok


def test_a_failed_batch_is_undone_alone(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Ledger._append_locked
    calls = []

    def failing(self: Ledger, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)  # rows written, then the failure
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk went away")
        return result

    monkeypatch.setattr(Ledger, "_append_locked", failing)
    with one_transaction(ledger) as tx:
        tx.append(batch(1))
        with pytest.raises(OSError):
            tx.append(batch(2))
        tx.append(batch(3))
    monkeypatch.undo()
    epcs = {e.event.epc_list[0].split(".")[-1][:2] for e in ledger.events()}
    assert epcs == {"B0", "B1", "B3"}
    assert ledger.count() == 60
    assert verify(ledger.connection).ok


def test_refused_on_a_read_only_ledger_and_when_nested(ledger: Ledger, tmp_path: Path) -> None:
    with (
        Ledger.open(ledger.path, readonly=True) as ro,
        pytest.raises(LedgerError, match="read-only"),
        one_transaction(ro),
    ):
        pass
    with (
        one_transaction(ledger),
        pytest.raises(LedgerError, match="already open"),
        one_transaction(ledger),
    ):
        pass


WRITER = r"""
import sys
from datetime import UTC, datetime, timedelta
from tracer.epcis.codec import stamp
from tracer.ledger import Ledger
from tracer.ledger.transaction import one_transaction
from tracer.model import Action, Event, EventType

t0 = datetime(2026, 5, 1, tzinfo=UTC)
with Ledger.open(sys.argv[1]) as ledger, one_transaction(ledger) as tx:
    for b in range(1, 100000):
        tx.append([stamp(Event(event_type=EventType.OBJECT, event_time=t0 + timedelta(seconds=b),
                               action=Action.OBSERVE, biz_step="receiving",
                               epc_list=(f"urn:epc:id:sgtin:6923456.001003.B{b}N{i}",)))
                   for i in range(200)])
        print(f"batch {b}", flush=True)
"""


def test_sigkill_half_way_leaves_the_ledger_unchanged(ledger: Ledger) -> None:
    before = state(ledger.path)
    ledger.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(ledger.path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    written = 0
    deadline = time.monotonic() + 60
    while written < 5 and time.monotonic() < deadline:
        if proc.stdout.readline().startswith("batch"):
            written += 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert written == 5
    assert state(ledger.path) == before
    with Ledger.open(ledger.path) as again:
        assert again.count() == 20
        assert verify(again.connection).ok
        assert again.append(batch(1)).count == 20
