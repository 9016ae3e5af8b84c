from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer.demo.build import build_demo, build_demo_file
from tracer.demo.chain import build_chain, check_digit
from tracer.errors import LedgerError
from tracer.ledger import EventQuery, Ledger, masterdata
from tracer.ledger.bulkload import partial_path
from tracer.ledger.verify import verify
from tracer.model import LocationKind


def test_chain_is_realistic() -> None:
    chain = build_chain(1)
    assert len(chain.factories) == 2 and len(chain.warehouses) == 3
    assert len(chain.retailers) >= 40
    assert len({r.name for r in chain.retailers}) == len(chain.retailers)  # told apart in lists
    assert len({r.name_zh for r in chain.retailers}) == len(chain.retailers)
    assert {r.kind for r in chain.retailers} == {LocationKind.RETAILER, LocationKind.ECOMMERCE}
    assert len({r.region for r in chain.retailers}) >= 8
    for loc in chain.locations():
        assert loc.gln[-1] == check_digit(loc.gln[:-1])
        assert loc.name_zh and any("\u4e00" <= ch <= "\u9fff" for ch in loc.name_zh)
        assert loc.contact and loc.phone and loc.email and loc.address
    for p in chain.products:
        gtin = p.product.gtin
        assert len(gtin) == 13 and "690" <= gtin[:3] <= "699"
        assert gtin[-1] == check_digit(gtin[:-1])


def _ids(path: Path) -> list[str]:
    with Ledger.open(path, readonly=True) as ledger:
        return [r[0] for r in ledger.connection.execute("SELECT event_id FROM events ORDER BY seq")]


def test_same_ledger_with_any_number_of_workers(tmp_path: Path) -> None:
    for workers in (1, 2):
        with Ledger.open(tmp_path / f"w{workers}.sqlite") as ledger:
            build_demo(ledger, seed=5, events=1200, workers=workers)
    assert _ids(tmp_path / "w1.sqlite") == _ids(tmp_path / "w2.sqlite")


def test_demo_covers_the_whole_chain(demo_ledger: Ledger) -> None:
    steps = {r[0] for r in demo_ledger.connection.execute("SELECT DISTINCT biz_step FROM events")}
    assert {
        "commissioning",
        "inspecting",
        "packing",
        "shipping",
        "receiving",
        "unpacking",
        "retail_selling",
        "destroying",
    } <= steps
    dispositions = {
        r[0] for r in demo_ledger.connection.execute("SELECT DISTINCT disposition FROM events")
    }
    assert {"conformant", "non_conformant", "returned", "retail_sold"} <= dispositions
    assert demo_ledger.event_count(EventQuery(event_type="TransformationEvent")) > 10
    lots = masterdata.lots(demo_ledger)
    assert lots and all(lot.production_date and lot.expiry_date for lot in lots)
    # every shipment to a retailer names a retailer known in master data
    retailers = {loc.sgln for loc in masterdata.locations(demo_ledger)}
    dests = [
        r[0]
        for r in demo_ledger.connection.execute(
            "SELECT id FROM links WHERE kind = 'destination' AND type = 'location'"
        )
    ]
    assert dests and set(dests) <= retailers


def test_demo_stamp_equals_codec_stamp_and_with_id_equals_replace() -> None:
    """The generator's cheap stamp makes exactly the events `codec.stamp` makes."""
    import dataclasses

    from tracer.demo.build import canonical_stamp
    from tracer.demo.events import DemoEvents
    from tracer.epcis.codec import stamp

    gen = DemoEvents(build_chain(2), 2, lambda e: e)
    fast = canonical_stamp()
    for e in [e for i in range(12) for e in gen.lot_events(i)]:
        s = fast(e)
        assert s == stamp(e)
        assert s.__dict__ == dataclasses.replace(e, event_id=s.event_id).__dict__
        assert type(s) is type(e) and e.event_id is None  # the original is untouched
        with pytest.raises(dataclasses.FrozenInstanceError):
            s.event_id = "x"  # type: ignore[misc]


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every event-table row and the schema, but for the record time (and what hashes it)."""
    conn = sqlite3.connect(path)
    try:
        cols = "seq, event_id, declares_error, event_type, action, event_time, tz_offset, " + (
            "biz_step, disposition, read_point, biz_location, operator, station, device, "
            "json_remove(doc, '$.recordTime')"
        )
        return {
            "events": conn.execute(f"SELECT {cols} FROM events ORDER BY seq").fetchall(),
            "identifiers": conn.execute("SELECT * FROM identifiers ORDER BY rowid").fetchall(),
            "links": conn.execute("SELECT * FROM links ORDER BY rowid").fetchall(),
            "item_lots": conn.execute("SELECT * FROM item_lots ORDER BY rowid").fetchall(),
            "lots": conn.execute("SELECT * FROM lots ORDER BY gtin, lot").fetchall(),
            "schema": sorted(
                conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
                key=str,
            ),
        }
    finally:
        conn.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_new_file_bulk_load_is_the_same_ledger(tmp_path: Path, workers: int) -> None:
    with Ledger.open(tmp_path / "appended.sqlite") as ledger:
        build_demo(ledger, seed=5, events=1500, workers=1)
    bulk = tmp_path / "bulk.sqlite"
    summary = build_demo_file(bulk, seed=5, events=1500, workers=workers)
    assert summary.events == _content(bulk)["events"][-1][0]
    assert _content(bulk) == _content(tmp_path / "appended.sqlite")
    assert not partial_path(bulk).exists()
    with Ledger.open(bulk) as ledger:
        assert verify(ledger.connection).ok
        conn = ledger.connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM identifiers WHERE seq = 1")
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT seq FROM identifiers WHERE id = 'x'"
        ).fetchall()
        assert "identifiers_id" in str(plan)


def test_new_file_bulk_load_leaves_nothing_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracer.demo.build as build

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(build.masterdata, "upsert", broken)
    path = tmp_path / "demo.sqlite"
    with pytest.raises(RuntimeError, match="killed"):
        build.build_demo_file(path, seed=5, events=300)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_new_file_bulk_load_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    path.write_bytes(b"")
    with pytest.raises(LedgerError, match="already exists"):
        build_demo_file(path, seed=5, events=300)


def test_new_file_bulk_load_uses_big_pages(tmp_path: Path) -> None:
    from tracer.ledger.bulkload import PAGE_SIZE

    path = tmp_path / "demo.sqlite"
    build_demo_file(path, seed=5, events=300)
    with Ledger.open(path, readonly=True) as ledger:
        assert ledger.connection.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert ledger.count() > 0


def test_demo_ssccs_and_sgtins_equal_the_codes_functions() -> None:
    """The generator's shortcuts (GCP length once per prefix, lot escaped once) change nothing."""
    from tracer.codes.keys import sgtin_uri, sscc_uri
    from tracer.demo.events import DemoEvents
    from tracer.demo.lot import DemoLot

    chain = build_chain(3)
    gen = DemoEvents(chain, 3, lambda e: e)
    for dp in chain.products:
        cp = dp.company_prefix
        for serial in (0, 1, 7_654_321, 10 ** (16 - len(cp)) - 2):
            gen._sscc = serial
            body = f"0{cp}{serial + 1:0{16 - len(cp)}d}"
            assert gen.next_sscc(cp) == sscc_uri(body + check_digit(body))
        lot = DemoLot(dp, "L26/01&05?", 10, datetime(2026, 1, 5, tzinfo=UTC))
        for serial in (1, 42, 99999):
            assert lot.sgtin(serial) == sgtin_uri("0" + dp.product.gtin, f"L26/01&05?{serial:05d}")
