"""The ledger's behaviours, shown on both backends through one parametrised fixture."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tracer.demo.build import build_demo, canonical_stamp
from tracer.errors import LedgerError, SchemaVersionError
from tracer.ledger import EventQuery, Ledger
from tracer.ledger.backend import LedgerBackend, open_ledger, verify_ledger
from tracer.ledger.postgres import PgLedger
from tracer.model import Action, ErrorDeclaration, Event, EventType, QuantityElement

CST = timezone(timedelta(hours=8))
stamp = canonical_stamp()
APPEND_ONLY = (sqlite3.IntegrityError, psycopg.errors.IntegrityConstraintViolation)
DEMO_TABLES = (
    "events",
    "identifiers",
    "links",
    "item_lots",
    "products",
    "lots",
    "locations",
    "parties",
    "stations",
    "operators",
    "chain_heads",
)


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


class Backend:
    """Where a test's ledger lives, and how to tamper with it behind tracer's back."""

    def __init__(self, kind: str, location: str) -> None:
        self.kind = kind
        self.location = location

    def open(self, *, readonly: bool = False) -> LedgerBackend:
        return open_ledger(self.location, readonly=readonly)

    def tamper(self, sql: str) -> None:
        """What someone with a database tool and the owner's password could do."""
        if self.kind == "sqlite":
            conn = sqlite3.connect(self.location, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = OFF")
            for t in ("events", "identifiers"):
                conn.execute(f"DROP TRIGGER IF EXISTS {t}_no_update")
                conn.execute(f"DROP TRIGGER IF EXISTS {t}_no_delete")
            conn.execute(sql)
            conn.close()
            return
        with psycopg.connect(self.location, autocommit=True) as conn, conn.transaction():
            for t in ("events", "identifiers"):
                conn.execute(f"ALTER TABLE {t} DISABLE TRIGGER USER")  # type: ignore[arg-type]
            for t in ("identifiers", "links", "item_lots"):
                conn.execute(f"ALTER TABLE {t} DROP CONSTRAINT {t}_seq_fkey")  # type: ignore[arg-type]
            conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        return Backend("sqlite", str(tmp_path / "ledger.sqlite"))
    return Backend("postgresql", request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def pg_demo_schema(pg_server: Any) -> str:
    """A 3,000-event demo ledger on the server, built once (copy before writing)."""
    schema = "demo_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    with PgLedger.open(pg_server.schema_url(schema)) as ledger:
        build_demo(ledger, seed=7, events=3000)
    return schema


@pytest.fixture(params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Backend, LedgerBackend]]:
    """A private copy of the demo ledger on each backend."""
    if request.param == "sqlite":
        b = Backend("sqlite", str(request.getfixturevalue("demo_ledger_path")))
    else:
        url = request.getfixturevalue("pg_url")
        template = request.getfixturevalue("pg_demo_schema")
        PgLedger.open(url).close()
        with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
            for table in DEMO_TABLES:
                conn.execute(f"INSERT INTO {table} SELECT * FROM {template}.{table}")  # type: ignore[arg-type]
        b = Backend("postgresql", url)
    with b.open() as ledger:
        yield b, ledger


@pytest.fixture()
def small(backend: Backend) -> Iterator[tuple[Backend, LedgerBackend]]:
    """120 scans appended in four batches: enough rows to tamper with, quick to build."""
    with backend.open() as ledger:
        for start in range(1, 121, 30):
            ledger.append([scan(i) for i in range(start, start + 30)])
        yield backend, ledger


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_demo(request: pytest.FixtureRequest) -> Iterator[LedgerBackend]:
    """The session's demo ledger itself, read-only: for tests that only read."""
    if request.param == "sqlite":
        where = str(request.getfixturevalue("demo_ledger_template"))
    else:
        server = request.getfixturevalue("pg_server")
        where = server.schema_url(request.getfixturevalue("pg_demo_schema"))
    with open_ledger(where, readonly=True) as ledger:
        yield ledger


def test_append_is_durable_and_idempotent(backend: Backend) -> None:
    with backend.open() as ledger:
        first = ledger.append([scan(1), scan(2)])
        again = ledger.append([scan(2), scan(3), scan(3)])
    assert first.added == (1, 2)
    assert again.added == (3,) and again.skipped == 2  # one already there, one twice
    with backend.open(readonly=True) as ledger:
        events = list(ledger.events())
        assert [e.event.epc_list[0][-6:] for e in events] == ["T00001", "T00002", "T00003"]
        assert events[0].event.operator == "李娜"
        assert events[0].event.event_id == scan(1).event_id
        assert ledger.has_event(str(scan(3).event_id)) and not ledger.has_event("ni:///x")
        assert ledger.count() == 3 and ledger.get(2) is not None and ledger.get(9) is None
        assert verify_ledger(ledger).ok
        with pytest.raises(LedgerError, match="read-only"):
            ledger.append([scan(4)])


def test_same_rows_same_chain_on_both_backends(tmp_path: Path, pg_url: str) -> None:
    """The row digest and chain are backend-independent: same events, same head."""
    t = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    heads = []
    for where in (str(tmp_path / "a.sqlite"), pg_url):
        with open_ledger(where) as ledger:
            ledger.append([scan(i) for i in range(1, 40)], record_time=t)
            ledger.append([scan(i) for i in range(30, 60)], record_time=t)
            last = ledger.connection.execute("SELECT seq, chain FROM events ORDER BY seq DESC")
            heads.append(tuple(last.fetchone()))
    assert heads[0][0] == heads[1][0] == 59
    assert bytes(heads[0][1]) == bytes(heads[1][1])


def test_error_declaration_shares_the_event_id(backend: Backend) -> None:
    wrong = scan(1, "shipping")
    declared = stamp(
        Event(
            **{
                **{f: getattr(wrong, f) for f in ("event_type", "event_time", "action")},
                "epc_list": wrong.epc_list,
                "biz_step": "shipping",
                "read_point": wrong.read_point,
                "operator": wrong.operator,
                "station": wrong.station,
                "error_declaration": ErrorDeclaration(
                    datetime(2026, 3, 2, tzinfo=CST), "incorrect_data"
                ),
            }
        )
    )
    assert declared.event_id == wrong.event_id
    with backend.open() as ledger:
        assert ledger.append([wrong, declared]).count == 2
        assert ledger.append([declared]).skipped == 1
        assert ledger.stats()["error_declarations"] == 1


def test_events_cannot_be_updated_or_deleted(demo: tuple[Backend, LedgerBackend]) -> None:
    _, ledger = demo
    conn = ledger.connection
    for sql in (
        "UPDATE events SET biz_step = 'shipping' WHERE seq = 1",
        "DELETE FROM events WHERE seq = 1",
        "DELETE FROM identifiers WHERE seq = 1",
        "UPDATE links SET id = 'x' WHERE seq IN (SELECT seq FROM links LIMIT 1)",
    ):
        with pytest.raises(APPEND_ONLY, match="append-only"):
            conn.execute(sql)
        if getattr(conn, "in_transaction", False):
            conn.execute("ROLLBACK")
    assert ledger.count() >= 3000


def test_verify_names_changed_row(small: tuple[Backend, LedgerBackend]) -> None:
    b, ledger = small
    assert verify_ledger(ledger).ok
    b.tamper("UPDATE events SET doc = substr(doc, 1, 20) || 'X' || substr(doc, 22) WHERE seq = 40")
    report = verify_ledger(ledger)
    assert not report.ok and report.seq == 40 and "changed" in (report.problem or "")


def test_verify_names_removed_rows(small: tuple[Backend, LedgerBackend]) -> None:
    b, ledger = small
    b.tamper("DELETE FROM events WHERE seq IN (10, 11)")
    report = verify_ledger(ledger)
    assert not report.ok and report.seq == 10 and "removed" in (report.problem or "")


def test_verify_finds_removed_last_row(small: tuple[Backend, LedgerBackend]) -> None:
    b, ledger = small
    b.tamper(f"DELETE FROM events WHERE seq = {ledger.count()}")
    report = verify_ledger(ledger)
    assert not report.ok and "removed" in (report.problem or "")


def test_verify_finds_changed_identifier(small: tuple[Backend, LedgerBackend]) -> None:
    b, ledger = small
    b.tamper("UPDATE identifiers SET id = id || 'x' WHERE seq = 77")
    report = verify_ledger(ledger)
    assert not report.ok and report.seq == 77 and "identifiers" in (report.problem or "")


def test_query_by_lot_epc_location_and_time(shared_demo: LedgerBackend) -> None:
    ledger = shared_demo
    row = ledger.connection.execute(
        "SELECT l.gtin, l.lot FROM lots l JOIN products p ON '0' || p.gtin = l.gtin "
        "WHERE p.producer_gln LIKE '6934567%' ORDER BY l.lot LIMIT 1"
    ).fetchone()
    lot_events = list(ledger.events(EventQuery(lot=(row[0], row[1]))))
    steps = {e.event.biz_step for e in lot_events}
    assert {"commissioning", "inspecting"} <= steps
    assert all(any(row[1] in i.id for i in e.event.identifiers()) for e in lot_events)
    ship = next(e for e in ledger.events(EventQuery(biz_step="shipping")) if e.event.epc_list)
    sscc = ship.event.epc_list[0]
    assert any(e.seq == ship.seq for e in ledger.events(EventQuery(epc=sscc)))
    t = ship.event.event_time
    window = list(ledger.events(EventQuery(since=t, until=t + timedelta(seconds=1))))
    assert ship.seq in [e.seq for e in window]
    assert all(t <= e.event.event_time < t + timedelta(seconds=1) for e in window)
    loc = ship.event.biz_location or ship.event.read_point
    assert loc is not None
    at = list(ledger.events(EventQuery(location=loc, biz_step="shipping", limit=5)))
    assert 0 < len(at) <= 5 and all(loc in (e.event.biz_location, e.event.read_point) for e in at)
    assert ledger.event_count(EventQuery(biz_step="shipping")) == len(
        list(ledger.events(EventQuery(biz_step="shipping")))
    )
    newest = next(ledger.events(EventQuery(newest_first=True, limit=1)))
    assert newest.seq == ledger.count()


def test_same_answers_on_both_backends(
    demo_ledger_path: Path, pg_url: str, pg_demo_schema: str, pg_server: Any
) -> None:
    """The demo built with the same seed answers every query identically."""
    queries = [
        EventQuery(biz_step="receiving"),
        EventQuery(event_type="TransformationEvent"),
        EventQuery(location="6923456000018", limit=50),
        EventQuery(since=datetime(2026, 4, 1, tzinfo=CST), until=datetime(2026, 4, 9, tzinfo=CST)),
        EventQuery(station="qc-1", after_seq=100, limit=20),
    ]
    with (
        Ledger.open(demo_ledger_path, readonly=True) as lite,
        PgLedger.open(pg_server.schema_url(pg_demo_schema), readonly=True) as pg,
    ):
        for q in queries:
            a = [(e.seq, e.event.event_id) for e in lite.events(q)]
            b = [(e.seq, e.event.event_id) for e in pg.events(q)]
            assert a == b and a, q
        sa, sb = lite.stats(), pg.stats()
        for key in ("events", "events_by_type", "error_declarations", "locations", "lots"):
            assert sa[key] == sb[key], key


def test_stats(shared_demo: LedgerBackend) -> None:
    ledger = shared_demo
    s = ledger.stats()
    assert s["events"] == ledger.count() >= 3000
    assert set(s["events_by_type"]) == {"ObjectEvent", "AggregationEvent", "TransformationEvent"}
    assert s["locations"] >= 48 and s["products"] >= 6 and s["error_declarations"] >= 1
    assert int(s["file_bytes"]) > 100_000


def test_masterdata_on_both(backend: Backend) -> None:
    from tracer.ledger import masterdata
    from tracer.model import Location, LocationKind, Lot, Station

    with backend.open() as ledger:
        shop = Location("6923456000018", "宁波一号店", LocationKind.RETAILER, city="宁波")
        masterdata.upsert(ledger, [shop, Station("dock-9", shop.gln, "shipping")])  # type: ignore[arg-type]
        masterdata.upsert(ledger, [Station("dock-9", shop.gln, "receiving")])  # type: ignore[arg-type]
        masterdata.upsert(ledger, [Lot("06923456000011", "L1", quantity=12.5)])  # type: ignore[arg-type]
        got = masterdata.station(ledger, "dock-9")  # type: ignore[arg-type]
        assert got is not None and got.biz_step == "receiving"
        assert masterdata.location(ledger, shop.sgln) == shop  # type: ignore[arg-type]
        assert masterdata.lots(ledger)[0].quantity == 12.5  # type: ignore[arg-type]


def test_quantity_events_round_trip(backend: Backend) -> None:
    e = stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=datetime(2026, 3, 1, tzinfo=CST),
            quantity_list=(QuantityElement("urn:epc:class:lgtin:6923456.01001.L1", 12.5, "KGM"),),
            extra={"example:temperature": {"@value": "4"}},
        )
    )
    with backend.open() as ledger:
        ledger.append([e])
        back = next(ledger.events()).event
        assert verify_ledger(ledger).ok
    assert back.quantity_list == e.quantity_list
    assert back.extra == e.extra and back.event_id == e.event_id


def test_component_migrations(backend: Backend) -> None:
    from tracer.ledger.schema import Migration

    with backend.open() as ledger:
        ledger.append([scan(1)])
        steps = (Migration(1, "r", "CREATE TABLE recall_probe (x INTEGER);"),)
        assert ledger.migrate("probe", steps) == 1
        assert ledger.migrate("probe", steps) == 1  # applied once
        ledger.connection.execute("INSERT INTO recall_probe VALUES (?)", (5,))
        assert ledger.connection.execute("SELECT x FROM recall_probe").fetchone()[0] == 5
        with pytest.raises(SchemaVersionError, match="newer tracer"):
            ledger.migrate("probe", ())
