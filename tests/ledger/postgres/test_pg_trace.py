"""The trace gives the same graph on PostgreSQL as on SQLite, start by start.

PostgreSQL runs the trace through its own session (`PgTraceSession`: one
pipelined transaction, analysed TEMP tables, the packing walk as a single
recursive statement), so every kind of start, both directions, a time
window, a depth limit and cycles in bad data are compared on the same events.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tracer.ledger import Ledger
from tracer.ledger.backend import LedgerBackend, open_ledger
from tracer.ledger.postgres import PgLedger
from tracer.recall import backward_trace, forward_trace
from tracer.recall.graph import TraceGraph


def _scenario() -> Any:
    """tests/recall/scenario.py, the hand-built chain (tests/ is not a package)."""
    path = Path(__file__).resolve().parents[2] / "recall" / "scenario.py"
    spec = importlib.util.spec_from_file_location("recall_scenario_for_pg", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sc = _scenario()
GTIN_M, GTIN_P, GTIN_Q, P_ITEMS, T0, M = sc.GTIN_M, sc.GTIN_P, sc.GTIN_Q, sc.P_ITEMS, sc.T0, sc.M
TABLES = ("events", "identifiers", "links", "item_lots", "products", "lots", "locations")


def same_ledger_on_pg(lite: Path, url: str) -> None:
    """Copy an SQLite ledger's rows into an empty PostgreSQL ledger (same seqs)."""
    PgLedger.open(url).close()
    src = sqlite3.connect(lite)
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        for table in TABLES:
            cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            pg_cols = [
                r[0]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = %s",
                    (table,),
                )
            ]
            cols = [c for c in cols if c in pg_cols]
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            with conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:  # type: ignore[arg-type]
                for row in rows:
                    copy.write_row(row)
    src.close()


def view(g: TraceGraph) -> dict[str, Any]:
    d = g.as_dict()
    d.pop("elapsed_ms", None)
    return d


@pytest.fixture(scope="module")
def scenario_pair(
    tmp_path_factory: pytest.TempPathFactory, pg_server: Any
) -> Iterator[tuple[LedgerBackend, LedgerBackend]]:
    import uuid

    lite = sc.build_scenario(tmp_path_factory.mktemp("scenario") / "s.sqlite")
    schema = "trace_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # type: ignore[arg-type]
    url = pg_server.schema_url(schema)
    same_ledger_on_pg(lite, url)
    with open_ledger(str(lite), readonly=True) as a, open_ledger(url, readonly=True) as b:
        yield a, b


SCENARIO_STARTS: list[Any] = [
    (GTIN_M, "M1"),
    (GTIN_P, "P1"),
    (GTIN_Q, "Q1"),
    P_ITEMS[0],
    [(GTIN_P, "P1"), (GTIN_Q, "Q1")],
]


@pytest.mark.parametrize("start", SCENARIO_STARTS, ids=str)
@pytest.mark.parametrize("direction", [forward_trace, backward_trace], ids=["fwd", "back"])
def test_scenario_same_graph(
    scenario_pair: tuple[LedgerBackend, LedgerBackend], start: Any, direction: Any
) -> None:
    lite, pg = scenario_pair
    a, b = direction(lite, start), direction(pg, start)
    assert view(a) == view(b)
    assert a.lots and a.start_ids == b.start_ids


def test_scenario_window_depth_and_units(
    scenario_pair: tuple[LedgerBackend, LedgerBackend],
) -> None:
    lite, pg = scenario_pair
    sscc = lite.connection.execute(
        "SELECT id FROM identifiers WHERE id LIKE 'urn:epc:id:sscc:%' ORDER BY id"
    ).fetchall()
    assert sscc
    for unit in [r[0] for r in sscc]:
        for fn in (forward_trace, backward_trace):
            assert view(fn(lite, unit)) == view(fn(pg, unit)), unit
    until = T0 + timedelta(hours=20)
    assert view(forward_trace(lite, (GTIN_P, "P1"), until=until)) == view(
        forward_trace(pg, (GTIN_P, "P1"), until=until)
    )
    for depth in (1, 2):
        a = forward_trace(lite, (GTIN_M, "M1"), max_depth=depth)
        b = forward_trace(pg, (GTIN_M, "M1"), max_depth=depth)
        assert view(a) == view(b) and a.truncated and b.truncated


def test_cycles_same_answer_and_no_loop(tmp_path: Path, pg_url: str) -> None:
    """A packing loop (A in B in A) and a transformation loop end on both backends,
    with the same graph (the PostgreSQL walk revisits a loop only up to the limit)."""
    from tracer.model import QuantityElement

    F, R1, S, Chain = sc.F, sc.R1, sc.S, sc.Chain

    c = Chain()
    x = M.replace("M1", "X1")
    c.commission_class(S, M, 10, "M1")
    c.transform(F, [(M, 10)], [(x, 10)])
    c.transform(F, [(x, 10)], [(M, 10)])
    a, b = "urn:epc:id:sscc:6990000.0000000101", "urn:epc:id:sscc:6990000.0000000102"
    c.pack(F, a, [], (QuantityElement(M, 10),))
    c.pack(F, b, [a])
    c.pack(F, a, [b])
    c.ship(F, R1, [a])
    lite_path = tmp_path / "cyc.sqlite"
    with Ledger.open(lite_path) as led:
        led.append(c.events)
    same_ledger_on_pg(lite_path, pg_url)
    with open_ledger(str(lite_path), readonly=True) as lite, open_ledger(pg_url) as pg:
        for depth in (3, 50):
            one = forward_trace(lite, (GTIN_M, "M1"), max_depth=depth)
            two = forward_trace(pg, (GTIN_M, "M1"), max_depth=depth)
            assert view(one) == view(two) and set(two.lots) == {M, x}
            assert one.truncated == two.truncated
            assert view(backward_trace(lite, a, max_depth=depth)) == view(
                backward_trace(pg, a, max_depth=depth)
            )


def test_demo_same_graph_every_lot(demo_ledger_path: Path, pg_url: str) -> None:
    """The 3,000-event demo ledger: every lot, forward and backward, and a few
    cases and items, give the same graph on both backends."""
    same_ledger_on_pg(demo_ledger_path, pg_url)
    with (
        open_ledger(str(demo_ledger_path), readonly=True) as lite,
        open_ledger(pg_url, readonly=True) as pg,
    ):
        lots = lite.connection.execute("SELECT gtin, lot FROM lots ORDER BY gtin, lot").fetchall()
        units = [
            r[0]
            for r in lite.connection.execute(
                "SELECT DISTINCT id FROM identifiers WHERE role IN ('parent', 'epc') "
                "ORDER BY id LIMIT 400"
            ).fetchall()
        ][::40]
        assert len(lots) > 20 and len(units) >= 5
        compared = 0
        for start in [(g, lot) for g, lot in lots] + units:
            for fn in (forward_trace, backward_trace):
                a, b = fn(lite, start), fn(pg, start)
                assert view(a) == view(b), (fn.__name__, start)
                compared += bool(a.locations)
        assert compared > len(lots)


def test_failed_trace_leaves_the_connection_usable(
    scenario_pair: tuple[LedgerBackend, LedgerBackend],
) -> None:
    """A start that is not in the ledger fails mid-pipeline; the transaction is rolled
    back and the next trace on the same connection works."""
    from tracer.recall import TraceError

    lite, pg = scenario_pair
    for _ in range(2):
        with pytest.raises(TraceError, match="not in the ledger"):
            forward_trace(pg, (GTIN_P, "NOPE"))
        assert view(forward_trace(pg, (GTIN_P, "P1"))) == view(forward_trace(lite, (GTIN_P, "P1")))
    assert pg.count() == lite.count()


def test_temp_tables_do_not_grow(
    scenario_pair: tuple[LedgerBackend, LedgerBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Emptied by DELETE and never autovacuumed, the TEMP tables are vacuumed by the
    session now and then, so a long-lived connection's tables stay small."""
    import tracer.ledger.postgres.trace_session as ts

    _, pg = scenario_pair
    size = "SELECT pg_relation_size('pg_temp.trace_hit')"
    monkeypatch.setattr(ts, "VACUUM_EVERY", 10**9)
    for _ in range(30):
        forward_trace(pg, (GTIN_M, "M1"))
    grown = pg.connection.execute(size).fetchone()[0]
    monkeypatch.setattr(ts, "VACUUM_EVERY", 1)
    for _ in range(30):
        forward_trace(pg, (GTIN_M, "M1"))
    assert pg.connection.execute(size).fetchone()[0] < grown
