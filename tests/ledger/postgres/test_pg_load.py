"""`tracer db load`: a ledger file moved onto an empty server ledger, row for row."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cli_run import run

from tracer.epcis.codec import stamp
from tracer.errors import LedgerError
from tracer.ledger import Ledger, masterdata
from tracer.ledger.postgres import PgLedger
from tracer.ledger.postgres.load import load_file, load_ledger
from tracer.ledger.postgres.sync import sync
from tracer.recall import forward_trace

ROWS = "SELECT seq, event_id, record_time, doc, chain FROM events ORDER BY seq"


def _pg_shape(url: str) -> tuple[set[str], set[str]]:
    """Index names and foreign-key definitions of the event tables."""
    with psycopg.connect(url) as conn:
        indexes = {
            r[0]
            for r in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            )
        }
        keys = {
            f"{r[0]}: {r[1]}"
            for r in conn.execute(
                "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace"
            )
        }
    return indexes, keys


def _finished_lot(ledger: Ledger) -> tuple[str, str]:
    row = ledger.connection.execute(
        "SELECT gtin, lot FROM lots WHERE lot LIKE 'L%' ORDER BY gtin, lot LIMIT 1"
    ).fetchone()
    return str(row[0]), str(row[1])


def test_load_keeps_every_row_chain_and_answer(demo_ledger_path: Path, pg_url: str) -> None:
    PgLedger.open(pg_url).close()  # `tracer db init`
    shape = _pg_shape(pg_url)
    seen: list[int] = []
    with PgLedger.open(pg_url) as target:
        stages: list[str] = []
        report = load_file(str(demo_ledger_path), target, progress=seen.append, stage=stages.append)
    assert stages == [
        "master data",
        "events",
        "identifiers",
        "links",
        "lots of items",
        "indexes and keys",
        "commit",
    ]
    with Ledger.open(demo_ledger_path) as lite, PgLedger.open(pg_url) as pg:
        assert report.events == lite.count() == pg.count() == sum(seen) == report.last_seq
        lite_rows = lite.connection.execute(ROWS).fetchall()
        pg_rows = [tuple(r) for r in pg.pg.execute(ROWS).fetchall()]
        assert [(*r[:4], bytes(r[4])) for r in pg_rows] == lite_rows
        n_ids = lite.connection.execute("SELECT count(*) FROM identifiers").fetchone()[0]
        assert report.identifiers == n_ids
        assert pg.pg.execute("SELECT count(*) FROM identifiers").fetchone()[0] == n_ids
        assert pg.verify().ok
        assert len(masterdata.locations(pg)) == len(masterdata.locations(lite)) >= 48
        assert len(masterdata.lots(pg)) == len(masterdata.lots(lite))
        start = _finished_lot(lite)
        a, b = forward_trace(lite, start).as_dict(), forward_trace(pg, start).as_dict()
        a.pop("elapsed_ms", None), b.pop("elapsed_ms", None)
        assert a == b and len(a["final_locations"]) > 1
    # the indexes and foreign keys set aside during the load are all back
    assert _pg_shape(pg_url) == shape
    # a sync afterwards sends nothing; an event recorded on the file later goes over
    with Ledger.open(demo_ledger_path) as lite, PgLedger.open(pg_url) as pg:
        assert sync(lite, pg).sent == 0
        last = lite.get(lite.count()).event
        later = replace(last, event_time=datetime(2027, 1, 5, 9, tzinfo=UTC), event_id=None)
        lite.append([stamp(later)])
        report2 = sync(lite, pg)
        assert (report2.sent, report2.checked) == (1, 1)
        assert pg.verify().ok


def test_load_refuses_a_ledger_with_events(demo_ledger_path: Path, pg_url: str) -> None:
    with PgLedger.open(pg_url) as target:
        load_file(str(demo_ledger_path), target)
        before = target.count()
        with pytest.raises(LedgerError, match="already holds events"):
            load_file(str(demo_ledger_path), target)
        assert target.count() == before and target.verify().ok


def test_a_tampered_file_is_refused_and_nothing_is_loaded(
    demo_ledger_path: Path, pg_url: str
) -> None:
    conn = sqlite3.connect(demo_ledger_path)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET biz_step = 'urn:x' WHERE seq = 1234")
    conn.commit()
    conn.close()
    PgLedger.open(pg_url).close()
    shape = _pg_shape(pg_url)
    with PgLedger.open(pg_url) as target:
        with pytest.raises(LedgerError, match="row 1234 does not fit the hash chain"):
            load_file(str(demo_ledger_path), target)
        assert target.count() == 0
    assert _pg_shape(pg_url) == shape  # the rollback put the indexes back too


def test_db_load_command(
    capsys: pytest.CaptureFixture[str], demo_ledger_path: Path, pg_url: str
) -> None:
    code, out, err = run(capsys, "db", "init", pg_url)
    assert code == 0, err
    code, out, err = run(capsys, "db", "load", str(demo_ledger_path), pg_url, "--json")
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    with Ledger.open(demo_ledger_path) as lite:
        assert report["events"] == lite.count()
    assert "tracer_test:" not in report["target"]  # no password printed
    code, out, err = run(capsys, "verify", "--ledger", pg_url)
    assert code == 0 and "intact" in out
    code, out, err = run(capsys, "db", "load", str(demo_ledger_path), pg_url)
    assert code == 1 and "already holds events" in err and "Traceback" not in err
    code, out, err = run(capsys, "db", "load", str(demo_ledger_path), str(demo_ledger_path))
    assert code == 1 and "postgresql://" in err


def test_a_read_only_file_loads_without_the_sync_note(demo_ledger_path: Path, pg_url: str) -> None:
    with Ledger.open(demo_ledger_path, readonly=True) as lite, PgLedger.open(pg_url) as pg:
        report = load_ledger(lite, pg)
        assert report.events == lite.count() == pg.count() and pg.verify().ok
    with Ledger.open(demo_ledger_path) as lite:
        tables = {r[0] for r in lite.connection.execute("SELECT name FROM sqlite_master")}
        assert "sync_marks" not in tables  # nothing was written into the file


def test_sync_to_an_empty_server_points_to_db_load(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    demo_ledger_path: Path,
    pg_url: str,
) -> None:
    import tracer.cli.db

    monkeypatch.setattr(tracer.cli.db, "LOAD_HINT_FROM", 100)
    code, _, err = run(capsys, "sync", "--ledger", str(demo_ledger_path), "--to", pg_url)
    assert code == 0 and "Tip: the server ledger is empty; `tracer db load" in err
    code, _, err = run(capsys, "sync", "--ledger", str(demo_ledger_path), "--to", pg_url)
    assert code == 0 and "Tip" not in err  # it holds events now
