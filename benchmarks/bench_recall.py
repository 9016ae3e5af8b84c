"""Recall benchmarks: forward trace on a big demo ledger, retailer list for 100k units.

Run: .venv/bin/python benchmarks/bench_recall.py [--events 1000000] [--lots 40]
Ledgers are built once into benchmarks/out/ and reused (the 1M demo ledger
takes a while to generate). Every ratio is measured in this run, on this
machine, against a hand-written sqlite3 query over the same file:
* trace: the raw indexed lookup of the events that name the lot or its items
  (what `tracer events --lot` does, no containers, no transformations);
* retailer list: one raw GROUP BY counting items received per location
  through the case contents (valid only for this ledger's fixed shape).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tracer.demo.build import build_demo, canonical_stamp
from tracer.gs1_check import check_digit
from tracer.ledger import Ledger, masterdata
from tracer.ledger.query import lot_classes
from tracer.model import (
    Action,
    Event,
    EventType,
    Link,
    Location,
    LocationKind,
    Product,
    QuantityElement,
)
from tracer.recall import backward_trace, forward_trace, retailer_list
from tracer.recall.listfiles import write_retailer_list_csv, write_retailer_list_xlsx

OUT = Path(__file__).resolve().parent / "out"
CST = timezone(timedelta(hours=8))


def demo_ledger(events: int) -> Path:
    path = OUT / f"recall-demo-{events // 1000}k.sqlite"
    legacy = OUT / "recall-demo-1m.sqlite"
    if events == 1_000_000 and legacy.exists():
        return legacy
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    print(f"building a {events:,}-event demo ledger into {path} (once) ...", flush=True)
    t = time.perf_counter()
    with Ledger.open(tmp) as ledger:
        ledger.connection.execute("PRAGMA synchronous = OFF")
        build_demo(ledger, seed=11, events=events)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp.rename(path)
    print(f"  built in {time.perf_counter() - t:.0f} s", flush=True)
    return path


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def bench_trace(path: Path, n_lots: int) -> None:
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with Ledger.open(path, readonly=True) as ledger:
        events = ledger.count()
        lots = ledger.connection.execute(
            "SELECT gtin, lot FROM lots WHERE lot LIKE 'L%' ORDER BY gtin, lot"
        ).fetchall()
        materials = ledger.connection.execute(
            "SELECT gtin, lot FROM lots WHERE lot LIKE 'M%' ORDER BY gtin, lot"
        ).fetchall()
        rng = random.Random(5)
        pick = rng.sample(lots, min(n_lots, len(lots)))
        forward_trace(ledger, pick[0])  # warm the page cache for both sides alike
        ours, theirs, back, sizes = [], [], [], []
        for gtin, lot in pick:
            classes = lot_classes(gtin, lot)
            marks = ",".join("?" * len(classes))
            t = time.perf_counter()
            raw.execute(
                "SELECT e.seq, e.doc FROM events e WHERE e.seq IN ("
                f"SELECT seq FROM identifiers WHERE id IN ({marks}) UNION "
                "SELECT i.seq FROM item_lots l JOIN identifiers i ON i.id = l.epc "
                f"WHERE l.lot_class IN ({marks}))",
                classes + classes,
            ).fetchall()
            theirs.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            g = forward_trace(ledger, (gtin, lot))
            ours.append((time.perf_counter() - t) * 1000)
            sizes.append(len(g.locations))
            t = time.perf_counter()
            backward_trace(ledger, (gtin, lot))
            back.append((time.perf_counter() - t) * 1000)
        mat = []
        for gtin, lot in rng.sample(materials, min(5, len(materials))):
            t = time.perf_counter()
            g = forward_trace(ledger, (gtin, lot))
            mat.append(((time.perf_counter() - t) * 1000, len(g.lots), len(g.locations)))
    med_o, med_r = statistics.median(ours), statistics.median(theirs)
    print(f"\nforward trace, one lot, {events:,}-event ledger ({len(pick)} random finished lots)")
    print(
        f"  tracer forward_trace  median {med_o:7.1f} ms  p95 {_pct(ours, 0.95):7.1f} ms  "
        f"(median {statistics.median(sizes):.0f} locations)"
    )
    print(f"  raw indexed lookup    median {med_r:7.1f} ms  p95 {_pct(theirs, 0.95):7.1f} ms")
    print(f"  ratio tracer/raw      {med_o / med_r:7.1f}x   goal: < 100 ms on 10M events")
    print(f"  backward_trace        median {statistics.median(back):7.1f} ms")
    for ms, n_lots_found, n_locs in mat:
        print(f"  material lot forward  {ms:7.1f} ms  ({n_lots_found} lots, {n_locs} locations)")


def retail_ledger(units: int, retailers: int) -> Path:
    """One lot of `units` serialised items, cases of units/retailers, 50 cases a pallet,
    factory -> DC (pallets) -> unpacked -> one case to each retailer, all received."""
    path = OUT / f"recall-{units // 1000}k-{retailers}.sqlite"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"building the {units:,}-unit / {retailers:,}-retailer ledger (once) ...", flush=True)
    stamp = canonical_stamp()

    def gln(n: int) -> str:
        body = f"69{n:010d}"
        return body + check_digit(body)

    factory = Location(gln(1), "Bench factory", LocationKind.FACTORY, region="Zhejiang")
    dc = Location(gln(2), "Bench DC", LocationKind.WAREHOUSE, region="Shanghai")
    shops = [
        Location(
            gln(1000 + i),
            f"Shop {i}",
            LocationKind.RETAILER,
            name_zh=f"商店{i}",
            region=f"Region {i % 31}",
            city=f"City {i % 97}",
            contact="王伟",
            phone=f"0571-{i:08d}",
            email=f"shop{i}@example.cn",
        )
        for i in range(retailers)
    ]
    cp, ir, lot = "6900000", "012345", "B1"
    lot_class = f"urn:epc:class:lgtin:{cp}.{ir}.{lot}"
    items = [f"urn:epc:id:sgtin:{cp}.{ir}.{lot}{n:07d}" for n in range(units)]
    per_case = units // retailers
    cases = [f"urn:epc:id:sscc:{cp}.1{n:09d}" for n in range(retailers)]
    pallets = [f"urn:epc:id:sscc:{cp}.2{n:09d}" for n in range(0, retailers, 50)]
    t0 = datetime(2026, 6, 1, 8, tzinfo=CST)
    ev: list[Event] = []

    def add(minutes: float, **kw: object) -> None:
        ev.append(stamp(Event(event_time=t0 + timedelta(minutes=minutes), **kw)))  # type: ignore[arg-type]

    add(
        0,
        event_type=EventType.TRANSFORMATION,
        action=None,
        output_quantity_list=(QuantityElement(lot_class, float(units)),),
        biz_step="commissioning",
        biz_location=factory.sgln,
        ilmd={"cbvmda:lotNumber": lot},
    )
    for i in range(0, units, 500):
        add(
            1,
            event_type=EventType.OBJECT,
            action=Action.ADD,
            epc_list=tuple(items[i : i + 500]),
            biz_step="commissioning",
            biz_location=factory.sgln,
            ilmd={"cbvmda:lotNumber": lot},
        )
    for c, case in enumerate(cases):
        add(
            2,
            event_type=EventType.AGGREGATION,
            action=Action.ADD,
            parent_id=case,
            child_epcs=tuple(items[c * per_case : (c + 1) * per_case]),
            biz_step="packing",
            biz_location=factory.sgln,
        )
    for p, pallet in enumerate(pallets):
        kids = tuple(cases[p * 50 : (p + 1) * 50])
        add(
            3,
            event_type=EventType.AGGREGATION,
            action=Action.ADD,
            parent_id=pallet,
            child_epcs=kids,
            biz_step="packing",
            biz_location=factory.sgln,
        )
        add(
            60,
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=(pallet,),
            biz_step="shipping",
            read_point=factory.sgln,
            sources=(Link("location", factory.sgln),),
            destinations=(Link("location", dc.sgln),),
        )
        add(
            600,
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=(pallet,),
            biz_step="receiving",
            biz_location=dc.sgln,
        )
        add(
            700,
            event_type=EventType.AGGREGATION,
            action=Action.DELETE,
            parent_id=pallet,
            child_epcs=kids,
            biz_step="unpacking",
            biz_location=dc.sgln,
        )
    for case, shop in zip(cases, shops, strict=True):
        add(
            1000,
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=(case,),
            biz_step="shipping",
            read_point=dc.sgln,
            sources=(Link("location", dc.sgln),),
            destinations=(Link("location", shop.sgln),),
        )
        add(
            3000,
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=(case,),
            biz_step="receiving",
            biz_location=shop.sgln,
        )
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    with Ledger.open(tmp) as ledger:
        ledger.connection.execute("PRAGMA synchronous = OFF")
        masterdata.upsert(ledger, [factory, dc, *shops])
        gtin14 = ir[0] + cp + ir[1:] + check_digit(ir[0] + cp + ir[1:])
        masterdata.upsert(ledger, [Product(gtin14[1:], "Bench toy", "基准玩具")])
        for i in range(0, len(ev), 5000):
            ledger.append(ev[i : i + 5000])
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp.rename(path)
    return path


def bench_retailers(units: int, retailers: int) -> None:
    path = retail_ledger(units, retailers)
    body = "0690000012345"  # indicator 0, prefix 6900000, item 12345 (see retail_ledger)
    gtin = body + check_digit(body)
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with Ledger.open(path, readonly=True) as ledger:
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            rl = retailer_list(forward_trace(ledger, (gtin, "B1")))
            runs.append(time.perf_counter() - t)
        ours = min(runs)
    shops = [r for r in rl.rows if r.kind == "retailer"]
    assert len(shops) == retailers and sum(r.units_received for r in shops) == units
    raws = []
    for _ in range(3):
        t = time.perf_counter()
        got = raw.execute(
            "SELECT e.biz_location, count(*) FROM events e "
            "JOIN identifiers i ON i.seq = e.seq AND i.role = 'epc' "
            "JOIN identifiers p ON p.id = i.id AND p.role = 'parent' "
            "JOIN identifiers c ON c.seq = p.seq AND c.role = 'child' "
            "WHERE e.biz_step = 'receiving' AND c.id LIKE 'urn:epc:id:sgtin:%' "
            "GROUP BY e.biz_location"
        ).fetchall()
        raws.append(time.perf_counter() - t)
    assert sum(n for _, n in got if n) >= units
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        write_retailer_list_csv(rl, Path(d) / "l.csv")
        csv_s = time.perf_counter() - t
        t = time.perf_counter()
        write_retailer_list_xlsx(rl, Path(d) / "l.xlsx")
        xlsx_s = time.perf_counter() - t
    print(f"\nretailer list, {units:,} serialised units to {retailers:,} retailers")
    print(f"  forward_trace + retailer_list  {ours:6.2f} s   goal < 3 s")
    print(f"  raw GROUP BY (fixed shape)      {min(raws):6.2f} s   ratio {ours / min(raws):5.1f}x")
    print(f"  write CSV {csv_s:5.2f} s, XLSX {xlsx_s:5.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000, help="demo ledger size")
    ap.add_argument("--lots", type=int, default=40, help="random lots to trace")
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--retailers", type=int, default=5_000)
    args = ap.parse_args()
    bench_trace(demo_ledger(args.events), args.lots)
    bench_retailers(args.units, args.retailers)


if __name__ == "__main__":
    main()
