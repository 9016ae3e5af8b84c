"""Ledger browser filters: a newest-first page of each filter kind on a big ledger.

The browser shows a filter's events newest first, 200 at a time, and asks
for the next page with the last seq it has (`EventQuery(before_seq=...)`).
For each filter kind this times, through the core API (`Ledger.events`),
the first page, the next page (cursor from the first) and a deep page (cursor
at the middle of the ledger), medians of a few runs after one warm-up. The
raw baseline, in the same run, is the unfiltered page straight from sqlite3
(`WHERE seq < ? ORDER BY seq DESC LIMIT 200`): the floor of reading 200
event rows.

The ledger is opened READ-ONLY; by default the 10M-event recall demo ledger
if it exists, else the 1M one (both built by benchmarks/bench_recall.py).
A ledger written before the schema's second migration has no read point /
operator indexes: a rare location or operator is then a full scan, shown
with `--rare` (50 s on 10M).

    .venv/bin/python benchmarks/bench_ledger_filters.py [--ledger P] [--runs 3] [--rare]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tracer.ledger import EventQuery, Ledger, masterdata  # noqa: E402
from tracer.model import parse_time  # noqa: E402

PAGE = 200


def timed(fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t) * 1000, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = HERE / "out" / "recall-demo-10000k.sqlite"
    if not default.exists():
        default = HERE / "out" / "recall-demo-1m.sqlite"
    ap.add_argument("--ledger", type=Path, default=default)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rare", action="store_true", help="also a location/operator with no events")
    args = ap.parse_args()
    ledger = Ledger.open(args.ledger, readonly=True)
    conn = ledger.connection
    n = ledger.count()
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    print(f"{args.ledger.name}: {n:,} events; read point/operator indexes: "
          f"{'yes' if 'events_operator' in indexes else 'no (schema 1)'}")  # fmt: skip

    products = masterdata.products(ledger)
    finished = next(p for p in products if p.gtin.startswith("6923456"))
    material = next(p for p in products if p.gtin.startswith("6945678"))
    gtin, lot = conn.execute(
        "SELECT gtin, lot FROM lots WHERE gtin LIKE '069234%' ORDER BY rowid DESC LIMIT 1 OFFSET 50"
    ).fetchone()
    retailer = next(x for x in masterdata.locations(ledger) if x.kind.value == "retailer")
    supplier = next(x for x in masterdata.locations(ledger) if x.kind.value == "supplier")
    operator = conn.execute(
        "SELECT operator FROM events WHERE operator IS NOT NULL ORDER BY seq DESC LIMIT 1"
    ).fetchone()[0]
    mid = parse_time(
        conn.execute("SELECT event_time FROM events WHERE seq = ?", (n // 2,)).fetchone()[0]
    )
    last = parse_time(conn.execute("SELECT max(event_time) FROM events").fetchone()[0])
    cases: list[tuple[str, EventQuery]] = [
        ("lot", EventQuery(lot=(gtin, lot))),
        ("product (serialised)", EventQuery(product=finished.gtin)),
        ("product (material)", EventQuery(product=material.gtin)),
        ("product, none", EventQuery(product="06900000000007")),
        ("location (retailer)", EventQuery(location=retailer.gln)),
        ("location (supplier)", EventQuery(location=supplier.gln)),
        ("step shipping", EventQuery(biz_step="shipping")),
        ("step destroying", EventQuery(biz_step="destroying")),
        ("operator", EventQuery(operator=operator)),
        ("time, 1 day", EventQuery(since=mid, until=mid + timedelta(days=1))),
        ("time, last 30 days", EventQuery(since=last - timedelta(days=30))),
        ("product + step", EventQuery(product=finished.gtin, biz_step="retail_selling")),
        ("step + location", EventQuery(biz_step="receiving", location=retailer.gln)),
    ]
    if args.rare:
        cases += [
            ("operator, none", EventQuery(operator="nobody")),
            ("location, none", EventQuery(location="6900000000009")),
        ]

    def raw(before: int) -> list[tuple[object, ...]]:
        return conn.execute(
            "SELECT seq, record_time, doc FROM events WHERE seq < ? ORDER BY seq DESC LIMIT ?",
            (before, PAGE),
        ).fetchall()

    def page(q: EventQuery, before: int | None) -> list[int]:
        fields = {f: getattr(q, f) for f in q.__slots__}  # type: ignore[attr-defined]
        fields.update(before_seq=before, limit=PAGE, newest_first=True)
        return [s.seq for s in ledger.events(EventQuery(**fields))]  # type: ignore[arg-type]

    def median(fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
        timed(fn)  # warm-up
        runs = [timed(fn) for _ in range(args.runs)]
        return statistics.median(r[0] for r in runs), runs[0][1]

    base, _ = median(lambda: raw(n // 2))
    print(f"{'raw sqlite3 unfiltered page':32} {base:8.1f} ms (deep page, baseline)")
    print(f"{'filter':32} {'first':>8} {'next':>8} {'deep':>8}  rows   ratio(deep/raw)")
    for name, q in cases:
        t1, first = median(lambda q=q: page(q, None))
        cursor = first[-1] if first else None  # type: ignore[index]
        t2, _ = median(lambda q=q, c=cursor: page(q, c)) if cursor else (0.0, [])
        t3, _deep = median(lambda q=q: page(q, n // 2))
        print(f"{name:32} {t1:8.1f} {t2:8.1f} {t3:8.1f}  {len(first):4}  {t3 / base:7.1f}")  # type: ignore[arg-type]
    ledger.close()


if __name__ == "__main__":
    main()
