"""PostgreSQL ledger and `tracer serve` benchmarks, ratios measured in this run.

Run: .venv/bin/python benchmarks/bench_postgres.py [--events N] [--scans N] [--trace-events N]

Starts a throwaway PostgreSQL cluster (tools/pg-test-cluster.sh, fsync ON) unless
TRACER_BENCH_PG_URL names a server. Measures:
1. bulk append through `PgLedger.append` vs psycopg COPY of the very same rows
   (rows and chain precomputed outside the timing) into the same schema;
2. 1, 4 and 8 concurrent stations (processes), one scan per append: scan-to-
   durable latency p50/p99 and total scans/s;
3. `POST /capture` through a real uvicorn on 127.0.0.1 (documents of 500
   events, 2 clients) vs `append` of the same events, on PostgreSQL and SQLite;
4. with --trace-events N > 0: forward and backward trace of one lot on an
   N-event demo ledger, PostgreSQL vs SQLite (bench_pg_trace.py, which also
   takes two ledgers built before).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from event_streams import portal_events  # noqa: E402
from pg_cluster import fresh, server  # noqa: E402

from tracer.epcis.codec import event_to_epcis, stamp  # noqa: E402
from tracer.ledger import Ledger  # noqa: E402
from tracer.ledger.postgres import PgLedger  # noqa: E402
from tracer.ledger.postgres.append import COPY_TYPES, copy_rows  # noqa: E402
from tracer.ledger.rows import (  # noqa: E402
    EVENT_COLUMNS,
    GENESIS,
    RecordTime,
    build_rows,
    next_chain,
    row_digest,
)
from tracer.model import Event  # noqa: E402

BATCH = 5000


def scans(n: int, tag: str) -> list[Event]:
    """`n` portal scans of one station (serials prefixed with `tag`), stamped."""
    return portal_events(n, stamp, tag=tag)


# -- 1. bulk --------------------------------------------------------------


def bench_bulk(base: str, events: list[Event]) -> tuple[float, float]:
    url = fresh(base)
    with PgLedger.open(url) as ledger:
        t = time.perf_counter()
        for i in range(0, len(events), BATCH):
            ledger.append(events[i : i + BATCH])
        ours = time.perf_counter() - t
    rt = RecordTime.of(datetime.now(UTC))
    chain = GENESIS
    batches = []
    for i in range(0, len(events), BATCH):
        ev_rows: list[tuple[Any, ...]] = []
        ids: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        lots: list[tuple[Any, ...]] = []
        for seq, e in enumerate(events[i : i + BATCH], i + 1):
            r = build_rows(e, seq, rt)
            chain = next_chain(chain, row_digest(r.event))
            ev_rows.append((*r.event, chain))
            ids += [
                (x[0], x[1], x[2], None if x[3] is None else float(x[3]), x[4])
                for x in r.identifiers
            ]
            links += r.links
            lots += r.item_lots
        batches.append((ev_rows, ids, links, lots))
    raw_url = fresh(base)
    cols = ", ".join(EVENT_COLUMNS)
    with psycopg.connect(raw_url, autocommit=True) as conn:
        t = time.perf_counter()
        for ev_rows, ids, links, lots in batches:
            with conn.transaction(), conn.cursor() as cur:
                copy_rows(cur, f"COPY events ({cols}, chain) FROM STDIN (FORMAT BINARY)",
                          COPY_TYPES["events"], ev_rows)  # fmt: skip
                for table, rows in (("identifiers", ids), ("links", links), ("item_lots", lots)):
                    copy_rows(cur, f"COPY {table} FROM STDIN (FORMAT BINARY)",
                              COPY_TYPES[table], rows)  # fmt: skip
        raw = time.perf_counter() - t
    return ours, raw


# -- 2. stations ------------------------------------------------------------


def _station(url: str, tag: str, n: int, start: Any, out: Any) -> None:
    events = scans(n, tag)
    lat = []
    with PgLedger.open(url) as ledger:
        start.wait()
        for e in events:
            t = time.perf_counter()
            ledger.append([e])
            lat.append((time.perf_counter() - t) * 1000)
    out.put(lat)


def bench_stations(base: str, stations: int, n: int) -> tuple[list[float], float]:
    url = fresh(base)
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_station, args=(url, f"S{s}x", n, start, out)) for s in range(stations)
    ]
    for p in procs:
        p.start()
    time.sleep(3.0)  # let every station connect and build its events
    t = time.perf_counter()
    start.set()
    lat: list[float] = []
    for _ in procs:
        lat += out.get()
    wall = time.perf_counter() - t
    for p in procs:
        p.join()
    with PgLedger.open(url, readonly=True) as ledger:
        assert ledger.count() == stations * n and ledger.verify().ok
    return lat, stations * n / wall


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


# -- 3. /capture ------------------------------------------------------------


def bench_capture(location: str, events: list[Event], doc_size: int = 500) -> float:
    import httpx
    import uvicorn

    from tracer.server import create_app
    from tracer.server.tokens import add_token

    with (PgLedger.open(location) if location.startswith("postgresql") else Ledger.open(location)) as ledger:  # fmt: skip
        token, _ = add_token(ledger, "capture")
    docs = []
    for i in range(0, len(events), doc_size):
        docs.append(json.dumps({
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                         {"tracer": "https://tracer.example.org/epcis/"}],
            "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": "2026-04-01T00:00:00Z",
            "epcisBody": {"eventList": [event_to_epcis(e) for e in events[i : i + doc_size]]},
        }).encode())  # fmt: skip
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(location), log_level="warning"))
    th = threading.Thread(target=srv.run, kwargs={"sockets": [sock]})
    th.start()
    while not srv.started:
        time.sleep(0.05)
    todo = list(docs)
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300,
                          headers={"Authorization": f"Bearer {token}",
                                   "Content-Type": "application/json"}) as c:  # fmt: skip
            while True:
                with lock:
                    if not todo:
                        return
                    body = todo.pop()
                r = c.post("/capture", content=body)
                assert r.status_code == 202, r.text

    t = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t
    srv.should_exit = True
    th.join()
    sock.close()
    return len(events) / elapsed


def append_rate(location: str, events: list[Event], size: int = 500) -> float:
    opener = PgLedger.open if location.startswith("postgresql") else Ledger.open
    with opener(location) as ledger:  # type: ignore[operator]
        t = time.perf_counter()
        for i in range(0, len(events), size):
            ledger.append(events[i : i + size])
        return len(events) / (time.perf_counter() - t)


# -- 4. trace ---------------------------------------------------------------


def bench_trace(base: str, n: int) -> None:
    """The same N-event demo on both backends, traced alternately (bench_pg_trace.py)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_pg_trace import build, compare

    lite = str(Path(tempfile.mkdtemp()) / "trace.sqlite")
    url = fresh(base)
    rate_lite, rate_pg = build(lite, n), build(url, n)
    print(f"demo build, {n:,} events: SQLite {rate_lite:,.0f} ev/s, PostgreSQL {rate_pg:,.0f} ev/s")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE events, identifiers, links, item_lots, lots, locations, products")
    compare(lite, url, n_lots=5, runs=9)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=30_000, help="bulk / capture events")
    ap.add_argument("--scans", type=int, default=150, help="scans per station")
    ap.add_argument("--trace-events", type=int, default=0, help="0: skip the trace comparison")
    args = ap.parse_args()
    with server() as base:
        events = scans(args.events, "B")
        ours, raw = bench_bulk(base, events)
        n = len(events)
        print(f"bulk append, {n:,} portal scans: PgLedger.append {n / ours:,.0f} ev/s, "
              f"raw COPY {n / raw:,.0f} ev/s, ratio tracer/raw {raw / ours:.2f}")  # fmt: skip
        for stations in (1, 4, 8):
            lat, rate = bench_stations(base, stations, args.scans)
            print(f"{stations} station(s): scan-to-durable p50 {pct(lat, 50):.1f} ms, "
                  f"p99 {pct(lat, 99):.1f} ms, {rate:,.0f} scans/s total")  # fmt: skip
        cap = scans(min(args.events, 10_000), "C")
        pg_url = fresh(base)
        pg_cap = bench_capture(pg_url, cap)
        pg_app = append_rate(fresh(base), cap)
        lite = str(Path(tempfile.mkdtemp()) / "cap.sqlite")
        lite_cap = bench_capture(lite, cap)
        lite_app = append_rate(str(Path(tempfile.mkdtemp()) / "app.sqlite"), cap)
        print(f"/capture (500-event documents, 2 clients): PostgreSQL {pg_cap:,.0f} ev/s "
              f"({pg_cap / pg_app:.2f} of append {pg_app:,.0f} ev/s); SQLite {lite_cap:,.0f} ev/s "
              f"({lite_cap / lite_app:.2f} of append {lite_app:,.0f} ev/s)")  # fmt: skip
        if args.trace_events:
            bench_trace(base, args.trace_events)


if __name__ == "__main__":
    main()
