"""A streamed import lands whole or not at all, in bounded memory, with its progress."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from tracer.epcis import documents
from tracer.epcis.importer import import_document
from tracer.epcis.validate import InvalidDocument
from tracer.ledger import Ledger, verify
from tracer.ledger.transaction import Transaction

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]


def event(i: int) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": f"2026-03-01T08:{i // 3600 % 60:02d}:{i % 60:02d}.{i % 1000:03d}+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "epcList": [
            f"urn:epc:id:sgtin:6923456.001003.S{i}",
            f"urn:epc:id:sgtin:6923456.001003.T{i}",
        ],
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": "urn:epc:id:sgln:6923456.00001.0"},
        "bizTransactionList": [
            {"type": "po", "bizTransaction": f"urn:epc:id:gdti:6923456.00001.{i}"}
        ],
    }


LOCATION = {
    "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
    "vocabularyElementList": [
        {
            "id": "urn:epc:id:sgln:6923456.00001.0",
            "attributes": [{"id": "urn:epcglobal:cbv:mda#name", "attribute": "Factory 1"}],
        }
    ],
}


def write_document(path: Path, n: int, start: int = 0, master_data: bool = False) -> Path:
    head: dict[str, Any] = {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0"}
    head["creationDate"] = "2026-03-01T00:00:00Z"
    if master_data:
        head["epcisHeader"] = {"epcisMasterData": {"vocabularyList": [LOCATION]}}
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(head)[:-1] + ',"epcisBody":{"eventList":[')
        for i in range(start, start + n):
            fh.write(("," if i > start else "") + json.dumps(event(i)))
        fh.write("]}}")
    return path


def state(path: Path) -> tuple[int, Any, int, int]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT count(*) FROM events").fetchone()[0],
            conn.execute("SELECT value FROM tracer_meta WHERE key = 'head'").fetchone(),
            conn.execute("SELECT count(*) FROM identifiers").fetchone()[0],
            conn.execute("SELECT count(*) FROM locations").fetchone()[0],
        )
    finally:
        conn.close()


@pytest.fixture
def ledger(tmp_path: Path) -> Any:
    with Ledger.open(tmp_path / "l.sqlite") as led:
        import_document(led, write_document(tmp_path / "first.jsonld", 30, start=10_000))
        yield led


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "STREAM_THRESHOLD", 0)


def test_a_failure_in_the_middle_batch_leaves_the_ledger_unchanged(
    ledger: Ledger, tmp_path: Path, streamed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = write_document(tmp_path / "big.jsonld", 1_000, master_data=True)
    before = state(ledger.path)
    original = Transaction.append_prepared
    calls: list[int] = []

    def failing(self: Transaction, rows: Any, **kwargs: Any) -> Any:
        calls.append(len(rows))
        if len(calls) == 3:
            raise OSError("disk unplugged")
        return original(self, rows, **kwargs)

    monkeypatch.setattr(Transaction, "append_prepared", failing)
    with pytest.raises(OSError, match="unplugged"):
        import_document(ledger, doc, batch=200)
    assert calls == [200, 200, 200]  # two batches were written before the failure
    assert state(ledger.path) == before
    monkeypatch.undo()
    monkeypatch.setattr(documents, "STREAM_THRESHOLD", 0)
    r = import_document(ledger, doc, batch=200)
    assert (r.events, r.added, r.skipped, r.master_data.added) == (1_000, 1_000, 0, 1)
    after = state(ledger.path)
    assert (after[0], after[3]) == (before[0] + 1_000, before[3] + 1)
    assert verify(ledger.connection).ok


def test_an_unreadable_event_late_in_the_file_rejects_it_all(
    ledger: Ledger, tmp_path: Path, streamed: None
) -> None:
    doc = write_document(tmp_path / "big.jsonld", 1_000)
    text = doc.read_text().replace('"eventTime": "2026-03-01T08:00:10.910+08:00"', '"x": 1', 1)
    text = text.replace('"type": "ObjectEvent"', '"type": "ObjectEvnt"', 1)
    doc.write_text(text)
    before = state(ledger.path)
    # without the schema check, the problems show while the batches are written
    with pytest.raises(InvalidDocument) as info:
        import_document(ledger, doc, batch=100, validate=False)
    assert [p.where for p in info.value.problems] == ["event 1", "event 911"]
    assert state(ledger.path) == before


KILLER = r"""
import os, signal, sys
from tracer.epcis import documents
from tracer.epcis.importer import import_document
from tracer.ledger import Ledger
from tracer.ledger.transaction import Transaction

documents.STREAM_THRESHOLD = 0
original = Transaction.append_prepared
calls = []

def append_then_die(self, rows, **kwargs):
    out = original(self, rows, **kwargs)
    calls.append(1)
    if len(calls) == 3:
        print("killing", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    return out

Transaction.append_prepared = append_then_die
with Ledger.open(sys.argv[1]) as ledger:
    import_document(ledger, sys.argv[2], batch=200)
print("finished", flush=True)
"""


def test_a_killed_import_leaves_the_ledger_unchanged(ledger: Ledger, tmp_path: Path) -> None:
    doc = write_document(tmp_path / "big.jsonld", 1_000)
    before = state(ledger.path)
    ledger.close()
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(ledger.path), str(doc)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert proc.stdout.split() == ["killing"]
    assert Path(f"{ledger.path}-wal").exists()  # the batches did reach the WAL, uncommitted
    assert state(ledger.path) == before
    with Ledger.open(ledger.path) as again:
        assert verify(again.connection).ok
        assert import_document(again, doc).added == 1_000


def test_progress_of_a_streamed_file_runs_to_its_size(
    ledger: Ledger, tmp_path: Path, streamed: None
) -> None:
    doc = write_document(tmp_path / "big.jsonld", 6_000)  # > 2 reads of 1 MB
    seen: list[int] = []
    import_document(ledger, doc, progress=seen.append)
    size = doc.stat().st_size
    assert seen == sorted(seen)
    assert seen[-1] == size
    assert any(size // 2 < n < size for n in seen)  # the write pass reports as it goes
    assert any(0 < n <= size // 2 for n in seen)  # so does the check


def _peak(ledger: Ledger, doc: Path) -> int:
    tracemalloc.start()
    try:
        import_document(ledger, doc, batch=100)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_memory_stays_bounded(tmp_path: Path, streamed: None) -> None:
    small = write_document(tmp_path / "small.jsonld", 300)
    large = write_document(tmp_path / "large.jsonld", 2_400, start=300)
    # the value memos of the hash and row paths (bounded tables) seen every value
    # once already, so what is left is what the import itself holds
    with Ledger.open(tmp_path / "warm.sqlite") as warm:
        import_document(warm, small)
        import_document(warm, large)
    with Ledger.open(tmp_path / "m.sqlite") as led:
        peak_small = _peak(led, small)
        peak_large = _peak(led, large)
        assert led.count() == 2_700
    # eight times the events, 24 batches instead of 3: the same memory (the 1 MB read
    # buffer and about one batch), not the decoded document
    assert peak_large < 1.2 * peak_small, (peak_small, peak_large)
