from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tracer.demo.build import canonical_stamp
from tracer.errors import LedgerError, SchemaVersionError
from tracer.ledger import EventQuery, Ledger, verify
from tracer.ledger.schema import LEDGER_MIGRATIONS, Migration
from tracer.model import Action, Event, EventType, QuantityElement

CST = timezone(timedelta(hours=8))
stamp = canonical_stamp()


def scan(n: int, step: str = "inspecting") -> Event:
    return stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=datetime(2026, 3, 1, 9, 0, tzinfo=CST) + timedelta(seconds=n),
            action=Action.OBSERVE,
            epc_list=(f"urn:epc:id:sgtin:6923456.001003.T{n:05d}",),
            biz_step=step,
            read_point="urn:epc:id:sgln:6923456.00001.0",
            operator="李娜",
            station="qc-1",
        )
    )


def test_append_is_durable_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with Ledger.open(path) as ledger:
        first = ledger.append([scan(1), scan(2)])
        again = ledger.append([scan(2), scan(3)])
    assert first.added == (1, 2)
    assert again.added == (3,) and again.skipped == 1
    with Ledger.open(path, readonly=True) as ledger:
        events = list(ledger.events())
        assert [e.event.epc_list[0][-6:] for e in events] == ["T00001", "T00002", "T00003"]
        assert events[0].event.operator == "李娜"
        assert events[0].event.event_id == scan(1).event_id
        assert verify(ledger.connection).ok


def test_events_cannot_be_updated_or_deleted(demo_ledger: Ledger) -> None:
    conn = demo_ledger.connection
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET biz_step = 'shipping' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM identifiers WHERE seq = 1")


def _tamper(conn: sqlite3.Connection, sql: str, *params: object) -> None:
    """What someone editing the file with another SQLite tool could do."""
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("DROP TRIGGER identifiers_no_update")
    conn.execute(sql, params)


def test_verify_names_changed_row(demo_ledger: Ledger) -> None:
    conn = demo_ledger.connection
    assert verify(conn).ok
    _tamper(
        conn, "UPDATE events SET doc = substr(doc, 1, 20) || 'X' || substr(doc, 22) WHERE seq = 40"
    )
    report = verify(conn)
    assert not report.ok and report.seq == 40 and "changed" in (report.problem or "")


def test_verify_names_removed_rows(demo_ledger: Ledger) -> None:
    conn = demo_ledger.connection
    _tamper(conn, "DELETE FROM events WHERE seq IN (10, 11)")
    report = verify(conn)
    assert not report.ok and report.seq == 10 and "removed" in (report.problem or "")


def test_verify_finds_removed_last_row(demo_ledger: Ledger) -> None:
    conn = demo_ledger.connection
    last = demo_ledger.count()
    _tamper(conn, "DELETE FROM events WHERE seq = ?", last)
    report = verify(conn)
    assert not report.ok and "removed" in (report.problem or "")


def test_verify_finds_changed_identifier(demo_ledger: Ledger) -> None:
    conn = demo_ledger.connection
    _tamper(conn, "UPDATE identifiers SET id = id || 'x' WHERE rowid = 5")
    seq = conn.execute("SELECT seq FROM identifiers WHERE rowid = 5").fetchone()[0]
    report = verify(conn)
    assert not report.ok and report.seq == seq and "identifiers" in (report.problem or "")


def test_query_by_lot_epc_location_and_time(demo_ledger: Ledger) -> None:
    row = demo_ledger.connection.execute(
        "SELECT l.gtin, l.lot FROM lots l JOIN products p ON '0' || p.gtin = l.gtin "
        "WHERE p.producer_gln LIKE '6934567%' LIMIT 1"
    ).fetchone()
    lot_events = list(demo_ledger.events(EventQuery(lot=(row[0], row[1]))))
    steps = {e.event.biz_step for e in lot_events}
    assert {"commissioning", "inspecting"} <= steps
    assert all(any(row[1] in i.id for i in e.event.identifiers()) for e in lot_events)
    ship = next(e for e in demo_ledger.events(EventQuery(biz_step="shipping")) if e.event.epc_list)
    sscc = ship.event.epc_list[0]
    assert any(e.seq == ship.seq for e in demo_ledger.events(EventQuery(epc=sscc)))
    t = ship.event.event_time
    window = list(demo_ledger.events(EventQuery(since=t, until=t + timedelta(seconds=1))))
    assert ship.seq in [e.seq for e in window]
    assert all(t <= e.event.event_time < t + timedelta(seconds=1) for e in window)


def test_stats(demo_ledger: Ledger) -> None:
    s = demo_ledger.stats()
    assert s["events"] == demo_ledger.count() >= 3000
    assert set(s["events_by_type"]) == {"ObjectEvent", "AggregationEvent", "TransformationEvent"}
    assert s["locations"] >= 48 and s["products"] >= 6 and s["error_declarations"] >= 1


def test_newer_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    Ledger.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_versions SET version = 99 WHERE component = 'ledger'")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaVersionError, match=r"version 99.*up to version 2"):
        Ledger.open(path)


def test_older_ledger_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with Ledger.open(path) as ledger:
        ledger.append([scan(1)])
        extra = (*LEDGER_MIGRATIONS, Migration(3, "test", "CREATE TABLE t2 (x INTEGER);"))
        assert ledger.migrate("ledger", extra) == 3
        assert ledger.migrate("recall", (Migration(1, "r", "CREATE TABLE r (x);"),)) == 1
        names = {r[0] for r in ledger.connection.execute("SELECT name FROM sqlite_master")}
        assert {"t2", "r"} <= names
        assert ledger.count() == 1


def test_not_a_ledger(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"hello, this is not sqlite" * 100)
    with pytest.raises(LedgerError, match="not a tracer ledger"):
        Ledger.open(junk)
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id)")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match="not a tracer ledger"):
        Ledger.open(other)


def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if (folder / "x").parent.stat().st_mode & 0o200 == 0 and not _is_root():
            with pytest.raises(LedgerError, match="read-only"):
                Ledger.open(folder / "l.sqlite")
    finally:
        folder.chmod(0o700)


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


def test_read_only_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    path = tmp_path / "l.sqlite"
    Ledger.open(path).close()
    monkeypatch.setattr(os, "access", lambda p, mode: False)
    with pytest.raises(LedgerError, match="read-only"):
        Ledger.open(path)


def test_full_disk_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with Ledger.open(path) as ledger:
        ledger.append([scan(1)])
        pages = ledger.connection.execute("PRAGMA page_count").fetchone()[0]
        ledger.connection.execute(f"PRAGMA max_page_count = {pages + 1}")
        big = [scan(i) for i in range(2, 3000)]
        with pytest.raises(LedgerError, match=r"disk .* is full"):
            ledger.append(big)
        assert ledger.count() == 1
        assert verify(ledger.connection).ok
        # space again: the same batch now goes in whole
        ledger.connection.execute("PRAGMA max_page_count = 1073741823")
        assert ledger.append(big).count == len(big)


def test_locked_ledger(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    Ledger.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Ledger.open(path) as ledger:
            ledger.connection.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(LedgerError, match="locked"):
                ledger.append([scan(1)])
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_quantity_events_round_trip(tmp_path: Path) -> None:
    e = stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=datetime(2026, 3, 1, tzinfo=CST),
            quantity_list=(QuantityElement("urn:epc:class:lgtin:6923456.01001.L1", 12.5, "KGM"),),
            extra={"example:temperature": {"@value": "4"}},
        )
    )
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        ledger.append([e])
        back = next(ledger.events()).event
    assert back.quantity_list == e.quantity_list
    assert back.extra == e.extra and back.event_id == e.event_id


def test_bulk_writes_and_deferred_checkpoints_restore_the_pragmas(demo_ledger: Ledger) -> None:
    conn = demo_ledger.connection

    def pragmas() -> tuple[int, int]:
        return (
            conn.execute("PRAGMA cache_size").fetchone()[0],
            conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0],
        )

    before = pragmas()
    with demo_ledger.bulk_writes(cache_mb=64, checkpoint_pages=7000):
        assert pragmas() == (-64 * 1024, 7000)
        with demo_ledger.checkpoints_deferred(pages=9000):
            assert pragmas() == (-64 * 1024, 9000)
        assert pragmas() == (-64 * 1024, 7000)
    assert pragmas() == before
