"""A partner's eventIDs on a PostgreSQL ledger: written in the import's one transaction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tracer.epcis import documents
from tracer.epcis.exporter import export
from tracer.epcis.importer import import_document
from tracer.epcis.source_ids import canonical_ids
from tracer.epcis.validate import InvalidDocument
from tracer.ledger.postgres import PgLedger

pytestmark = pytest.mark.postgres

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]


def _document(path: Path, n: int, bad_at: int | None = None) -> Path:
    events = [
        {
            "type": "ObjectEvent",
            "eventID": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
            "eventTime": "not a time" if i == bad_at else f"2026-03-01T08:00:{i % 60:02d}+08:00",
            "eventTimeZoneOffset": "+08:00",
            "action": "OBSERVE",
            "epcList": [f"urn:epc:id:sgtin:6923456.001003.P{i}"],
            "bizStep": "shipping",
        }
        for i in range(n)
    ]
    doc = {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0"}
    doc |= {"creationDate": "2026-03-01T00:00:00Z", "epcisBody": {"eventList": events}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _rows(url: str) -> list[tuple[Any, ...]]:
    """What another station sees (only committed rows)."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT event_id, declares_error, source_event_id FROM epcis_ids ORDER BY 3"
        ).fetchall()


def test_source_ids_land_with_the_events_or_not_at_all(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "STREAM_THRESHOLD", 0)  # streamed: batch after batch
    with PgLedger.open(pg_url) as ledger:
        bad = _document(tmp_path / "bad.jsonld", 50, bad_at=45)
        with pytest.raises(InvalidDocument):
            import_document(ledger, bad, batch=10, validate=False)
        assert ledger.count() == 0 and _rows(pg_url) == []
        good = _document(tmp_path / "good.jsonld", 50)
        report = import_document(ledger, good, batch=10)
        assert report.added == 50
        rows = _rows(pg_url)
        assert [r[2] for r in rows] == [
            f"urn:uuid:00000000-0000-4000-8000-{i:012d}" for i in range(50)
        ]
        assert all(ledger.has_event(r[0]) and r[1] == 0 for r in rows)
        import_document(ledger, good, batch=10)  # again: nothing new
        assert _rows(pg_url) == rows
        assert canonical_ids(ledger, [rows[3][2]]) == [rows[3][0]]
        out = tmp_path / "out.json"
        export(ledger, out)
    sent = json.loads(good.read_text(encoding="utf-8"))["epcisBody"]["eventList"]
    back = json.loads(out.read_text(encoding="utf-8"))["epcisBody"]["eventList"]
    assert [e["eventID"] for e in back] == [e["eventID"] for e in sent]
