"""A streamed import into a PostgreSQL ledger lands whole or not at all, in one chain."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tracer.demo.build import canonical_stamp
from tracer.epcis import documents
from tracer.epcis.importer import import_document
from tracer.ledger.postgres import PgLedger
from tracer.ledger.postgres.transaction import PgTransaction
from tracer.model import Action, Event, EventType

pytestmark = pytest.mark.postgres

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
LOCATION = {
    "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
    "vocabularyElementList": [
        {
            "id": "urn:epc:id:sgln:6923456.00001.0",
            "attributes": [{"id": "urn:epcglobal:cbv:mda#name", "attribute": "Factory 1"}],
        }
    ],
}


def _event(i: int) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": f"2026-03-01T08:{i // 3600 % 60:02d}:{i % 60:02d}.{i % 1000:03d}+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "epcList": [f"urn:epc:id:sgtin:6923456.001003.S{i}"],
        "bizStep": "shipping",
        "readPoint": {"id": "urn:epc:id:sgln:6923456.00001.0"},
    }


def write_document(path: Path, n: int, start: int = 0, master_data: bool = False) -> Path:
    head: dict[str, Any] = {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0"}
    head["creationDate"] = "2026-03-01T00:00:00Z"
    if master_data:
        head["epcisHeader"] = {"epcisMasterData": {"vocabularyList": [LOCATION]}}
    body = {"epcisBody": {"eventList": [_event(i) for i in range(start, start + n)]}}
    path.write_text(json.dumps({**head, **body}), encoding="utf-8")
    return path


def state(url: str) -> tuple[Any, ...]:
    """What another station sees: row counts, the chain head, the heads recorded."""
    with psycopg.connect(url) as conn:
        one = conn.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM identifiers),"
            " (SELECT count(*) FROM locations), (SELECT count(*) FROM chain_heads),"
            " (SELECT chain FROM events ORDER BY seq DESC LIMIT 1)"
        ).fetchone()
        assert one is not None
        return tuple(one)


@pytest.fixture
def ledger(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(documents, "STREAM_THRESHOLD", 0)  # every document streams
    with PgLedger.open(pg_url) as led:
        import_document(led, write_document(tmp_path / "first.jsonld", 30, start=10_000))
        yield led


def test_a_failure_in_the_middle_batch_leaves_the_pg_ledger_unchanged(
    ledger: PgLedger, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = write_document(tmp_path / "big.jsonld", 1_000, master_data=True)
    before = state(pg_url)
    original = PgTransaction.append_prepared
    calls: list[int] = []

    def failing(self: PgTransaction, rows: Any, **kwargs: Any) -> Any:
        calls.append(len(rows))
        if len(calls) == 3:
            raise OSError("network unplugged")
        return original(self, rows, **kwargs)

    monkeypatch.setattr(PgTransaction, "append_prepared", failing)
    with pytest.raises(OSError, match="unplugged"):
        import_document(ledger, doc, batch=200)
    assert calls == [200, 200, 200]  # two batches were written before the failure
    assert state(pg_url) == before  # events, rows, master data, chain heads
    assert ledger.count() == before[0]  # the ledger's own connection is usable again
    monkeypatch.setattr(PgTransaction, "append_prepared", original)
    r = import_document(ledger, doc, batch=200)
    assert (r.events, r.added, r.skipped, r.master_data.added) == (1_000, 1_000, 0, 1)
    after = state(pg_url)
    assert (after[0], after[2]) == (before[0] + 1_000, before[2] + 1)
    assert ledger.verify().ok


def test_a_multi_batch_import_lands_every_event_once_and_verifies(
    ledger: PgLedger, pg_url: str, tmp_path: Path
) -> None:
    doc = write_document(tmp_path / "big.jsonld", 450)
    before = state(pg_url)
    r = import_document(ledger, doc, batch=100)
    assert (r.events, r.added, r.skipped) == (450, 450, 0)
    after = state(pg_url)
    assert (after[0], after[1], after[3]) == (before[0] + 450, before[1] + 450, before[3] + 5)
    with psycopg.connect(pg_url) as conn:
        record_times = conn.execute(
            "SELECT count(DISTINCT event_id), count(DISTINCT record_time) FROM events "
            "WHERE seq > %s",
            (before[0],),
        ).fetchone()
    assert record_times == (450, 1)  # each event once, one record time for the file
    again = import_document(ledger, doc, batch=100)
    assert (again.added, again.skipped) == (0, 450)
    assert state(pg_url) == after
    assert ledger.verify().ok


def test_another_station_waits_for_the_import_then_chains_after_it(
    ledger: PgLedger, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = write_document(tmp_path / "big.jsonld", 600)
    before = state(pg_url)
    original = PgTransaction.append_prepared
    first_batch, go = threading.Event(), threading.Event()

    def pausing(self: PgTransaction, rows: Any, **kwargs: Any) -> Any:
        out = original(self, rows, **kwargs)
        if not first_batch.is_set():
            first_batch.set()
            assert go.wait(60)
        return out

    monkeypatch.setattr(PgTransaction, "append_prepared", pausing)
    errors: list[BaseException] = []

    def run(fn: Any) -> threading.Thread:
        def target() -> None:
            try:
                fn()
            except BaseException as exc:  # reported by the test
                errors.append(exc)

        t = threading.Thread(target=target)
        t.start()
        return t

    importer = run(lambda: import_document(ledger, doc, batch=200))
    assert first_batch.wait(60)
    stamp = canonical_stamp()
    station_events = [
        stamp(
            Event(
                event_type=EventType.OBJECT,
                event_time=datetime(2026, 4, 1, 9, 0, i, tzinfo=UTC),
                action=Action.OBSERVE,
                epc_list=(f"urn:epc:id:sgtin:6923456.001003.W{i}",),
                station="other",
            )
        )
        for i in range(5)
    ]
    with PgLedger.open(pg_url) as other:
        station = run(lambda: other.append(station_events))
        with psycopg.connect(pg_url, autocommit=True) as watch:
            waiting = None
            for _ in range(600):  # until the other station queues for the chain lock
                waiting = watch.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory'"
                ).fetchone()
                if waiting and waiting[0]:
                    break
                threading.Event().wait(0.05)
            assert waiting and waiting[0] == 1
        assert state(pg_url) == before  # the import's first batch is not visible yet
        go.set()
        importer.join(60)
        station.join(60)
    assert errors == []
    with psycopg.connect(pg_url) as conn:
        seqs = conn.execute(
            "SELECT seq FROM events WHERE station = 'other' ORDER BY seq"
        ).fetchall()
    total = before[0] + 600 + 5
    assert [s[0] for s in seqs] == list(range(total - 4, total + 1))  # after the whole file
    assert ledger.verify().ok
