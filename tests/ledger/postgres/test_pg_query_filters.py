"""The product filter and newest-first cursor pages answer the same on PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tracer.demo.build import build_demo
from tracer.ledger import EventQuery, Ledger, masterdata
from tracer.ledger.postgres import PgLedger


@pytest.fixture(scope="module")
def pg_demo_schema(pg_server: Any) -> str:
    """The 3,000-event demo (seed 7, as the SQLite fixture) in its own schema."""
    schema = "qdemo_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # type: ignore[arg-type]
    with PgLedger.open(pg_server.schema_url(schema)) as ledger:
        build_demo(ledger, seed=7, events=3000)
    return schema


def test_product_and_cursor_pages_match_sqlite(
    demo_ledger_path: Path, pg_server: Any, pg_demo_schema: str
) -> None:
    with (
        Ledger.open(demo_ledger_path, readonly=True) as lite,
        PgLedger.open(pg_server.schema_url(pg_demo_schema), readonly=True) as pg,
    ):
        products = [p.gtin for p in masterdata.products(lite)]
        retailer = next(x for x in masterdata.locations(lite) if x.kind.value == "retailer")
        middle = lite.count() // 2
        queries = [
            *(EventQuery(product=g) for g in products),
            EventQuery(product="06900000000007"),
            EventQuery(product=products[3], biz_step="retail_selling", newest_first=True, limit=9),
            EventQuery(product=products[0], before_seq=middle, newest_first=True, limit=25),
            EventQuery(biz_step="shipping", before_seq=middle, newest_first=True, limit=25),
            EventQuery(location=retailer.gln, before_seq=middle, newest_first=True, limit=25),
        ]
        for q in queries:
            a = [(e.seq, e.event.event_id) for e in lite.events(q)]
            b = [(e.seq, e.event.event_id) for e in pg.events(q)]
            assert a == b, q
            assert lite.event_count(q) == pg.event_count(q) or q.limit is not None
        assert any(lite.event_count(EventQuery(product=g)) for g in products)
