"""A big import's front end in a worker process: the same rows, all or nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tracer.epcis import documents
from tracer.epcis.exporter import export
from tracer.epcis.import_worker import FrontEnd
from tracer.epcis.importer import import_document
from tracer.epcis.validate import InvalidDocument
from tracer.errors import TracerError
from tracer.ledger import Ledger
from tracer.ledger.verify import verify

RECORDED = datetime(2026, 3, 1, 8, tzinfo=UTC)
ROWS = "SELECT event_id, declares_error, doc, chain FROM events ORDER BY seq"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, demo_ledger_template: Path) -> Path:
    out = tmp_path_factory.mktemp("worker") / "demo.json"
    with Ledger.open(demo_ledger_template, readonly=True) as ledger:
        export(ledger, out)
    return out


def _import(path: Path, ledger_path: Path, **kw: Any) -> tuple[Any, list[tuple[Any, ...]]]:
    with Ledger.open(ledger_path) as ledger:
        report = import_document(ledger, path, record_time=RECORDED, batch=250, **kw)
        return report, ledger.connection.execute(ROWS).fetchall()


@pytest.mark.parametrize("fmt", ["epcis-json", "epcis-xml"])
def test_worker_makes_the_same_rows(tmp_path: Path, demo_ledger_template: Path, fmt: str) -> None:
    doc = tmp_path / f"demo.{fmt}"
    with Ledger.open(demo_ledger_template, readonly=True) as ledger:
        export(ledger, doc, fmt=fmt)
        n = ledger.count()
    one, rows_one = _import(doc, tmp_path / "one.sqlite", worker=False)
    two, rows_two = _import(doc, tmp_path / "two.sqlite", worker=True)
    assert rows_two == rows_one and len(rows_one) == one.added == two.added
    assert two.added + two.skipped == n
    # idempotent through the worker too
    again, rows_again = _import(doc, tmp_path / "two.sqlite", worker=True)
    assert (again.added, again.skipped) == (0, two.added) and rows_again == rows_two


def test_an_unreadable_event_rejects_the_file(tmp_path: Path, exported: Path) -> None:
    doc = json.loads(exported.read_text(encoding="utf-8"))
    events = doc["epcisBody"]["eventList"]
    events[1700]["eventTime"] = "yesterday"
    events[2500]["eventTime"] = "soon"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    target = tmp_path / "main.sqlite"
    with Ledger.open(target) as ledger:
        with pytest.raises(InvalidDocument) as err:
            # without the schema check, so the reader meets them after batches were written
            import_document(ledger, bad, batch=250, worker=True, validate=False)
        assert err.value.total == 2
        assert [p.where for p in err.value.problems] == ["event 1701", "event 2501"]
        assert ledger.count() == 0


def test_a_killed_reader_fails_the_import_and_writes_nothing(
    tmp_path: Path, exported: Path
) -> None:
    fronts: list[FrontEnd] = []
    real_init = FrontEnd.__init__

    def remember(self: FrontEnd, path: str, batch: int) -> None:
        real_init(self, path, batch)
        fronts.append(self)

    def kill(_: int) -> None:  # while the document is being validated
        fronts[0]._process.kill()

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(FrontEnd, "__init__", remember)
        mp.setattr(documents, "STREAM_THRESHOLD", 1000)  # validated as a stream, with progress
        with Ledger.open(tmp_path / "main.sqlite") as ledger:
            with pytest.raises(TracerError, match=r"stopped unexpectedly.*nothing was imported"):
                import_document(ledger, exported, batch=100, worker=True, progress=kill)
            assert ledger.count() == 0 and verify(ledger.connection).ok
