"""Ledger benchmarks: bulk append vs raw sqlite3.executemany, one-scan latency, size.

Run: .venv/bin/python benchmarks/bench_ledger.py [--events N]
Every ratio is measured in this one run, on the same rows, on this machine.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from event_streams import demo_events, portal_events

from tracer.demo.build import canonical_stamp
from tracer.demo.events import START
from tracer.ledger import Ledger
from tracer.ledger.rows import GENESIS, build_rows, next_chain, row_digest
from tracer.model import Action, Event, EventType

BATCH = 5000


def bench_bulk(events: list[Event], folder: Path) -> tuple[float, float]:
    path = folder / "ours.sqlite"
    with Ledger.open(path) as ledger:
        t = time.perf_counter()
        for i in range(0, len(events), BATCH):
            ledger.append(events[i : i + BATCH])
        ours = time.perf_counter() - t
    # the raw library on the very same rows (chain included, computed up front)
    now = datetime.now(UTC)
    chain = GENESIS
    ev_rows, ids, links, lots = [], [], [], []
    for seq, e in enumerate(events, 1):
        r = build_rows(e, seq, now)
        chain = next_chain(chain, row_digest(r.event))
        ev_rows.append((*r.event, chain))
        ids += r.identifiers
        links += r.links
        lots += r.item_lots
    raw_path = folder / "raw.sqlite"
    Ledger.open(raw_path).close()  # same schema, indexes and triggers
    conn = sqlite3.connect(raw_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    batches = []
    for i in range(0, len(ev_rows), BATCH):
        lo, hi = ev_rows[i][0], ev_rows[min(i + BATCH, len(ev_rows)) - 1][0]
        batches.append(
            (
                ev_rows[i : i + BATCH],
                [x for x in ids if lo <= x[0] <= hi],
                [x for x in links if lo <= x[0] <= hi],
                [x for x in lots if lo <= x[2] <= hi],
            )
        )
    marks = ",".join("?" * 17)
    t = time.perf_counter()
    for b_events, b_ids, b_links, b_lots in batches:
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO events VALUES ({marks})", b_events)
        conn.executemany("INSERT INTO identifiers VALUES (?,?,?,?,?)", b_ids)
        conn.executemany("INSERT INTO links VALUES (?,?,?,?)", b_links)
        conn.executemany("INSERT INTO item_lots VALUES (?,?,?)", b_lots)
        conn.execute("COMMIT")
    raw = time.perf_counter() - t
    conn.close()
    return ours, raw


def bench_single(folder: Path, n: int = 400) -> list[float]:
    stamp = canonical_stamp()
    scans = [
        stamp(
            Event(
                event_type=EventType.OBJECT,
                event_time=START,
                action=Action.OBSERVE,
                epc_list=(f"urn:epc:id:sgtin:6923456.001003.S{i}",),
                biz_step="inspecting",
                read_point="urn:epc:id:sgln:6923456.00001.0",
                station="qc-1",
            )
        )
        for i in range(n)
    ]
    lat = []
    with Ledger.open(folder / "single.sqlite") as ledger:
        for e in scans:
            t = time.perf_counter()
            ledger.append([e])
            lat.append((time.perf_counter() - t) * 1000)
    return lat


def bench_single_raw(folder: Path, n: int = 400) -> list[float]:
    """The floor: one tiny row per transaction, WAL + synchronous=FULL, raw sqlite3."""
    conn = sqlite3.connect(folder / "raw-single.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, doc TEXT)")
    lat = []
    for i in range(n):
        t = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (?, ?)", (f"id{i}", "x" * 600))
        conn.execute("COMMIT")
        lat.append((time.perf_counter() - t) * 1000)
    conn.close()
    return lat


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=3, help="ours/raw pairs; medians printed")
    args = ap.parse_args()
    workloads = {
        "portal scans (1 EPC/event)": portal_events(args.events, canonical_stamp()),
        "demo supply-chain mix": demo_events(args.events, canonical_stamp()),
    }
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        for name, events in workloads.items():
            ours_t, raw_t, ratios = [], [], []
            for r in range(args.rounds):
                sub = folder / f"{name.split()[0]}-{r}"
                sub.mkdir()
                ours, raw = bench_bulk(events, sub)
                ours_t.append(ours)
                raw_t.append(raw)
                ratios.append(raw / ours)
            n = len(events)
            n_ids = sum(1 for e in events for _ in e.identifiers())
            print(
                f"bulk append, {name}: {n:,} events, {n_ids / n:.1f} identifiers/event, "
                f"batches of {BATCH}, median of {args.rounds} rounds"
            )
            ours, raw = statistics.median(ours_t), statistics.median(raw_t)
            print(f"  tracer Ledger.append     {n / ours:>10,.0f} events/s")
            print(f"  raw sqlite3.executemany  {n / raw:>10,.0f} events/s (same rows and schema)")
            print(
                f"  ratio ours/raw           {statistics.median(ratios):>10.2f} "
                f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})"
            )
            with sqlite3.connect(sub / "ours.sqlite") as c:
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = (sub / "ours.sqlite").stat().st_size
            print(f"  bytes per event          {size / n:>10,.0f} (file incl. indexes)")
        print("one-scan durable append (one transaction each, WAL, synchronous=FULL):")
        for label, lat in (
            ("tracer Ledger.append  ", sorted(bench_single(folder))),
            ("raw sqlite3 one row   ", sorted(bench_single_raw(folder))),
        ):
            p50 = statistics.median(lat)
            p99 = lat[int(len(lat) * 0.99) - 1]
            print(f"  {label} p50 {p50:.2f} ms   p99 {p99:.2f} ms   max {lat[-1]:.2f} ms")


if __name__ == "__main__":
    main()
