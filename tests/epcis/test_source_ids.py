"""A partner's own eventID survives import, export, re-import and merge."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tracer.epcis.documents import Document
from tracer.epcis.event_hash import document_hashes
from tracer.epcis.exporter import export
from tracer.epcis.importer import import_document, import_events
from tracer.epcis.merge import merge
from tracer.epcis.source_ids import canonical_ids, resolve, source_id
from tracer.epcis.validate import InvalidDocument
from tracer.ledger import Ledger

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1].parent / "shared" / "data"
EXAMPLES = sorted([*SHARED.glob("epcis/JSON/**/*.json*"), *SHARED.glob("epcis/XML/**/*.xml")])
WITH_IDS = [p for p in EXAMPLES if "eventID" in p.read_text(encoding="utf-8")]
ERRORS = SHARED / "epcis/JSON/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld"
ID_ROWS = "SELECT event_id, declares_error, source_event_id FROM epcis_ids ORDER BY 1, 2"
EVENT_ROWS = "SELECT event_id, declares_error, doc FROM events ORDER BY seq"


def _ids(path: Path) -> dict[tuple[str, bool], str]:
    """(hash, declares error) → the eventID the document gives it (its hash if none; the
    first one where the document has the same event twice)."""
    out: dict[tuple[str, bool], str] = {}
    for d, h in zip(Document(path).events(), document_hashes(path), strict=True):
        out.setdefault((h, "errorDeclaration" in d), d.get("eventID") or h)
    return out


def _id_rows(ledger: Ledger) -> list[tuple[Any, ...]]:
    return ledger.connection.execute(ID_ROWS).fetchall()


@pytest.fixture()
def ledger(tmp_path: Path):
    with Ledger.open(tmp_path / "l.sqlite") as led:
        yield led


def test_examples_with_ids_are_found() -> None:
    assert len(WITH_IDS) >= 10
    assert any("urn:uuid:" in p.read_text(encoding="utf-8") for p in WITH_IDS)


@pytest.mark.parametrize("fmt", ["epcis-json", "epcis-xml"])
@pytest.mark.parametrize("path", WITH_IDS, ids=lambda p: p.name)
def test_export_gives_back_the_documents_event_ids(
    path: Path, fmt: str, ledger: Ledger, tmp_path: Path
) -> None:
    import_document(ledger, path)
    given = _ids(path)
    assert any(i != h for (h, _), i in given.items())  # something to keep
    out = tmp_path / ("out.json" if fmt == "epcis-json" else "out.xml")
    export(ledger, out, fmt=fmt)
    assert _ids(out) == given
    # and back in: the same hashes, rows and source ids (the hash leaves eventID out)
    with Ledger.open(tmp_path / "again.sqlite") as again:
        import_document(again, out)
        assert [r[:2] for r in again.connection.execute(EVENT_ROWS)] == [
            r[:2] for r in ledger.connection.execute(EVENT_ROWS)
        ]
        assert _id_rows(again) == _id_rows(ledger)


def test_reimport_adds_no_source_ids(ledger: Ledger) -> None:
    for p in WITH_IDS:
        import_document(ledger, p)
    rows = _id_rows(ledger)
    assert len(rows) >= 10
    for p in WITH_IDS:
        import_document(ledger, p)
    assert _id_rows(ledger) == rows


def _partner_document(tmp_path: Path, n: int, bad_at: int | None = None) -> Path:
    """`n` plain ObjectEvents with the partner's urn:uuid ids (one unreadable if asked)."""
    events = []
    for i in range(n):
        events.append(
            {
                "type": "ObjectEvent",
                "eventID": f"urn:uuid:{uuid.UUID(int=i + 1)}",
                "eventTime": "2026-03-01T08:00:00.000+08:00" if i != bad_at else "not a time",
                "eventTimeZoneOffset": "+08:00",
                "epcList": [f"urn:epc:id:sgtin:0614141.107346.{i}"],
                "action": "OBSERVE",
                "bizStep": "shipping",
            }
        )
    doc = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-03-01T08:00:00Z",
        "epcisBody": {"eventList": events},
    }
    path = tmp_path / f"partner-{n}-{bad_at}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("worker", [False, True])
def test_a_failing_import_leaves_no_source_ids(
    ledger: Ledger, tmp_path: Path, worker: bool
) -> None:
    bad = _partner_document(tmp_path, 40, bad_at=35)
    with pytest.raises(InvalidDocument):
        # unchecked, so batches (and their source ids) were written before the bad event
        import_document(ledger, bad, batch=10, validate=False, worker=worker)
    assert ledger.count() == 0
    assert _id_rows(ledger) == []
    good = _partner_document(tmp_path, 40)
    import_document(ledger, good, batch=10, worker=worker)
    assert len(_id_rows(ledger)) == 40


def test_worker_keeps_the_same_source_ids(tmp_path: Path) -> None:
    doc = _partner_document(tmp_path, 60)
    rows = []
    for worker in (False, True):
        with Ledger.open(tmp_path / f"w{worker}.sqlite") as led:
            import_document(led, doc, batch=7, worker=worker)
            rows.append(_id_rows(led))
    assert rows[0] == rows[1] and len(rows[0]) == 60
    assert {r[2] for r in rows[0]} == {f"urn:uuid:{uuid.UUID(int=i + 1)}" for i in range(60)}


def test_rest_page_import_keeps_the_ids(ledger: Ledger) -> None:
    doc = json.loads(ERRORS.read_text(encoding="utf-8"))
    events = doc["epcisBody"]["eventList"]
    import_events(ledger, events, doc["@context"])
    by_source = resolve(ledger, [e["eventID"] for e in events])
    assert set(by_source) == {e["eventID"] for e in events}
    for stored in ledger.events():
        assert source_id(ledger, stored.event) in by_source
        assert by_source[str(source_id(ledger, stored.event))] == stored.event.event_id


def test_corrective_event_ids_resolve_to_ledger_events(ledger: Ledger) -> None:
    import_document(ledger, ERRORS)
    stored = list(ledger.events())
    declaration = next(s.event for s in stored if s.event.error_declaration is not None)
    corrective = declaration.error_declaration.corrective_event_ids  # type: ignore[union-attr]
    assert corrective == ("urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8",)  # as sent
    resolved = canonical_ids(ledger, corrective)
    assert resolved[0].startswith("ni:///sha-256;") and ledger.has_event(resolved[0])
    target = next(s.event for s in stored if s.event.event_id == resolved[0])
    assert target.error_declaration is None and source_id(ledger, target) == corrective[0]
    assert canonical_ids(ledger, ["urn:uuid:unknown"]) == ["urn:uuid:unknown"]


@pytest.mark.parametrize("through", ["ledger", "export"])
def test_merge_keeps_the_ids(tmp_path: Path, through: str) -> None:
    with Ledger.open(tmp_path / "laptop.sqlite") as laptop:
        for p in WITH_IDS:
            import_document(laptop, p)
        expected = _id_rows(laptop)
    source = tmp_path / "laptop.sqlite"
    if through == "export":
        with Ledger.open(source, readonly=True) as laptop:
            export(laptop, tmp_path / "laptop.json")
        source = tmp_path / "laptop.json"
    with Ledger.open(tmp_path / "main.sqlite") as main:
        merge(main, source)
        assert _id_rows(main) == expected
        merge(main, source)  # twice: nothing more
        assert _id_rows(main) == expected


def test_merge_keeps_a_stored_id_that_is_not_the_hash(tmp_path: Path) -> None:
    """A ledger row whose eventID is not its canonical hash (another hash version)."""
    from tracer.epcis.codec import event_from_epcis

    doc = json.loads(_partner_document(tmp_path, 3).read_text(encoding="utf-8"))
    with Ledger.open(tmp_path / "old.sqlite") as old:
        # appended as they came, ids unchanged: what an old tracer may have stored
        old.append([event_from_epcis(d, doc["@context"]) for d in doc["epcisBody"]["eventList"]])
    with Ledger.open(tmp_path / "main.sqlite") as main:
        report = merge(main, tmp_path / "old.sqlite")
        assert report.reidentified == 3
        rows = _id_rows(main)
    assert sorted(r[2] for r in rows) == [f"urn:uuid:{uuid.UUID(int=i + 1)}" for i in range(3)]


def test_events_json_shows_the_source_event_id(tmp_path: Path) -> None:
    from cli_run import run_ok

    path = tmp_path / "l.sqlite"
    with Ledger.open(path) as led:
        import_document(led, ERRORS)
        import_document(led, SHARED / "epcis/JSON/Example-TransactionEvents-2020_07_03y.jsonld")
    out = run_ok("events", "--ledger", str(path), "--json")
    lines = [json.loads(x) for x in out.splitlines()]
    sent = {
        (h, "errorDeclaration" in d): d["eventID"]
        for d, h in zip(Document(ERRORS).events(), document_hashes(ERRORS), strict=True)
    }
    shown = {(d["eventID"], "errorDeclaration" in d): d.get("sourceEventID") for d in lines}
    assert {k: v for k, v in shown.items() if k in sent} == sent
    others = [v for k, v in shown.items() if k not in sent]
    assert others and all(v is None for v in others)  # events that came without an id


def test_a_read_only_ledger_says_so(tmp_path: Path) -> None:
    from tracer.errors import LedgerError

    Ledger.open(tmp_path / "ro.sqlite").close()
    with Ledger.open(tmp_path / "ro.sqlite", readonly=True) as ro:
        with pytest.raises(LedgerError, match="open read-only"):
            import_document(ro, WITH_IDS[0])
        assert export(ro, tmp_path / "ro.json").events == 0  # no table: nothing to look up
