"""Forward and backward trace on PostgreSQL vs SQLite, the same demo ledger on both.

Run: .venv/bin/python benchmarks/bench_pg_trace.py [--events N] [--lots K] [--runs R]
     .venv/bin/python benchmarks/bench_pg_trace.py --sqlite PATH --pg URL   (ledgers built before)

Without --sqlite/--pg it starts a throwaway PostgreSQL cluster (fsync on, see
bench_postgres.py) and builds the demo (seed 11) into both backends with
`build_demo`, printing each build's rate. Then, for K random finished lots (the
same on both), it checks that both backends give the same graph and times R
runs of each trace, alternating backends run by run (so load on a shared
machine hits both alike). Medians per lot, then the median over the lots;
the ratio is PostgreSQL / SQLite in this run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from tracer.ledger.backend import LedgerBackend, open_ledger  # noqa: E402
from tracer.recall import backward_trace, forward_trace  # noqa: E402

LEDGER_TABLES = "events, identifiers, links, item_lots, lots, locations, products"


def build(location: str, events: int) -> float:
    """Build the demo into an empty ledger; return events per second."""
    from tracer.demo.build import build_demo

    t = time.perf_counter()
    with open_ledger(location) as ledger:
        build_demo(ledger, seed=11, events=events)  # type: ignore[arg-type]
        n = ledger.count()
    return n / (time.perf_counter() - t)


def analyze(pg_url: str) -> None:
    """Table statistics, as autovacuum would have them a while after a bulk load."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"ANALYZE {LEDGER_TABLES}")  # type: ignore[arg-type]


def view(g: Any) -> dict[str, Any]:
    d = g.as_dict()
    d.pop("elapsed_ms", None)
    return d


def timed(fn: Callable[..., Any], ledger: LedgerBackend, start: tuple[str, str]) -> float:
    t = time.perf_counter()
    fn(ledger, start)
    return (time.perf_counter() - t) * 1000


def compare(lite_path: str, pg_url: str, n_lots: int, runs: int) -> None:
    with (
        open_ledger(lite_path, readonly=True) as lite,
        open_ledger(pg_url, readonly=True) as pg,
    ):
        events = lite.count()
        assert events == pg.count(), "the two ledgers differ"
        lots = lite.connection.execute(
            "SELECT gtin, lot FROM lots WHERE lot LIKE 'L%' ORDER BY gtin, lot"
        ).fetchall()
        pick = random.Random(7).sample([(g, lot) for g, lot in lots], min(n_lots, len(lots)))
        print(f"\n{events:,}-event demo ledger, {len(pick)} random finished lots, {runs} runs each")
        print("| trace | SQLite median | PostgreSQL median | ratio PG/SQLite |")
        print("|---|---|---|---|")
        for name, fn in (("forward", forward_trace), ("backward", backward_trace)):
            per_lot: dict[str, list[float]] = {"sqlite": [], "pg": []}
            for start in pick:
                a, b = fn(lite, start), fn(pg, start)  # warm, and the same answer
                assert view(a) == view(b), (name, start)
                times: dict[str, list[float]] = {"sqlite": [], "pg": []}
                for i in range(runs):
                    order = (("sqlite", lite), ("pg", pg))
                    for key, ledger in order if i % 2 == 0 else order[::-1]:
                        times[key].append(timed(fn, ledger, start))
                for key in times:
                    per_lot[key].append(statistics.median(times[key]))
            s, p = statistics.median(per_lot["sqlite"]), statistics.median(per_lot["pg"])
            print(f"| {name}, one lot | {s:.1f} ms | {p:.1f} ms | {p / s:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=50_000, help="demo size when building")
    ap.add_argument("--sqlite", help="an SQLite demo ledger built before")
    ap.add_argument("--pg", help="a postgresql:// URL of the same demo built before")
    ap.add_argument("--lots", type=int, default=5, help="random finished lots to trace")
    ap.add_argument("--runs", type=int, default=9, help="timed runs per lot and backend")
    args = ap.parse_args()
    if bool(args.sqlite) != bool(args.pg):
        ap.error("--sqlite and --pg go together")
    if args.sqlite:
        analyze(args.pg)
        compare(args.sqlite, args.pg, args.lots, args.runs)
        return
    from pg_cluster import fresh, server

    with server() as base:
        lite = str(Path(tempfile.mkdtemp()) / "trace.sqlite")
        url = fresh(base)
        rate_lite = build(lite, args.events)
        rate_pg = build(url, args.events)
        print(f"demo build, {args.events:,} events: SQLite {rate_lite:,.0f} ev/s, "
              f"PostgreSQL {rate_pg:,.0f} ev/s")  # fmt: skip
        analyze(url)
        compare(lite, url, args.lots, args.runs)


if __name__ == "__main__":
    main()
