"""Demo generator end to end vs the raw insert of the very same rows, same run.

Run: .venv/bin/python benchmarks/bench_demo.py [--events 200000] [--workers N] [--append]
"tracer" is `build_demo_file` into a new ledger file, as `tracer demo` does
(generate lots in worker processes, hash every event, build its rows, number,
chain and bulk load them: no journal, secondary indexes built at the end, then
WAL and rename); `--append` measures `build_demo` through ordinary appends
into an open ledger instead (20k-event durable transactions). "raw" is `sqlite3.executemany` of the finished rows
read back from that ledger into a fresh copy of the schema (chain included,
so no hashing, no JSON, no Python per row beyond the call): the floor any
writer of this ledger format has on this machine. CPU is split into the
writer (this process) and the workers (its children).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

from tracer.demo.build import build_demo, build_demo_file
from tracer.ledger import Ledger
from tracer.ledger.bulkload import CACHE_MB, secondary_indexes

TABLES = {"events": 17, "identifiers": 5, "links": 4, "item_lots": 3}


def raw_insert(source: Path, target: Path, batch: int = 20_000, *, bulk: bool = False) -> float:
    """Seconds to insert the source's event rows; `bulk`: as `new_ledger_file` loads them."""
    Ledger.open(target).close()  # same schema, indexes and triggers
    src = sqlite3.connect(source)
    rows = {t: src.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    src.close()
    seq_col = {"events": 0, "identifiers": 0, "links": 0, "item_lots": 2}
    conn = sqlite3.connect(target, isolation_level=None)
    indexes = []
    if bulk:  # no journal, no fsync, secondary indexes built at the end (timed too)
        indexes = secondary_indexes(conn)
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute(f"PRAGMA cache_size={-CACHE_MB * 1024}")
    else:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA cache_size=-524288")  # as Ledger.bulk_writes gives the demo
        conn.execute("PRAGMA wal_autocheckpoint=50000")
    last = rows["events"][-1][0]
    chunks = []
    cursors = dict.fromkeys(TABLES, 0)
    for lo in range(1, last + 1, batch):
        hi = lo + batch - 1
        chunk = {}
        for t, n in TABLES.items():
            start = cursors[t]
            end = start
            col = seq_col[t]
            data = rows[t]
            while end < len(data) and data[end][col] <= hi:
                end += 1
            chunk[t] = (f"INSERT INTO {t} VALUES ({','.join('?' * n)})", data[start:end])
            cursors[t] = end
        chunks.append(chunk)
    t0 = time.perf_counter()
    for chunk in chunks:
        conn.execute("BEGIN")
        for sql, data in chunk.values():
            conn.executemany(sql, data)
        conn.execute("COMMIT")
    for _name, sql in indexes:
        conn.execute(sql)
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--append", action="store_true", help="ordinary appends, not a bulk load")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        path = Path(tmp) / "demo.sqlite"
        t0 = time.perf_counter()
        if args.append:
            with Ledger.open(path) as ledger:
                summary = build_demo(
                    ledger, seed=args.seed, events=args.events, workers=args.workers
                )
        else:
            summary = build_demo_file(
                path, seed=args.seed, events=args.events, workers=args.workers
            )
        ours = time.perf_counter() - t0
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        n = summary.events
        raw = raw_insert(path, Path(tmp) / "raw.sqlite", bulk=not args.append)
        size = path.stat().st_size
        how = "appends" if args.append else "bulk load of a new file"
        print(
            f"demo build ({how}), {n:,} events, {summary.lots:,} lots, load {os.getloadavg()[0]:.1f}"
        )
        print(f"  tracer build_demo        {n / ours:>10,.0f} events/s   ({ours:.1f} s)")
        print(f"  raw executemany of rows  {n / raw:>10,.0f} events/s   ({raw:.1f} s)")
        print(f"  ratio raw time / ours    {raw / ours:>10.2f}")
        print(
            f"  CPU per event            writer {(me.ru_utime + me.ru_stime) / n * 1e6:.0f} µs, "
            f"workers {(kids.ru_utime + kids.ru_stime) / n * 1e6:.0f} µs"
        )
        print(f"  bytes per event          {size / n:>10,.0f}")
        print(
            f"  10M events at this rate  {1e7 / (n / ours) / 60:>10.1f} min (raw floor {1e7 / (n / raw) / 60:.1f} min)"
        )


if __name__ == "__main__":
    main()
