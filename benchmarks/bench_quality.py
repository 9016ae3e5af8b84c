"""Quality benchmarks: sheet import, plausible-lot linking, alerts with traces.

Run: .venv/bin/python benchmarks/bench_quality.py [--events N] [--rows N]
Every ratio is measured in this one run, on the same data, on this machine:
* import of an XLSX result sheet (read, map, link, hash, one append) against
  openpyxl's own read of the same sheet;
* a signal recorded without a lot (place → plausible lots) against one with
  its lot stated;
* `alerts.evaluate` with traces against `forward_trace` of the same lots.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tracer.demo.build import build_demo
from tracer.ledger import Ledger
from tracer.quality.alerts import evaluate
from tracer.quality.importer import commit_import, plan_import
from tracer.quality.signal_model import ProductRef, SignalReport
from tracer.quality.signals import record_signal
from tracer.recall import forward_trace


def timed(fn, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--rows", type=int, default=2_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "l.sqlite"
        with Ledger.open(path) as ledger:
            build_demo(ledger, seed=3, events=args.events)
            conn = ledger.connection
            lots = conn.execute(
                "SELECT gtin, lot FROM lots WHERE lot LIKE 'L%' ORDER BY lot"
            ).fetchall()
            shops = conn.execute(
                "SELECT gln, name_zh FROM locations WHERE kind = 'retailer'"
            ).fetchall()

            # -- import ------------------------------------------------------
            sheet = Path(tmp) / "checks.xlsx"
            wb = Workbook()
            ws = wb.active
            ws.append(
                ["产品名称", "商品条码", "生产批号", "抽检结果", "抽检日期", "抽检机构", "店铺"]
            )
            for i in range(args.rows):
                g, lot = lots[i % len(lots)]
                ws.append(["产品", g, lot, "合格" if i % 7 else "不合格",
                           f"2026-05-{1 + i % 28:02d}", "平台", shops[i % len(shops)][1]])  # fmt: skip
            wb.save(sheet)
            raw = timed(
                lambda: list(
                    load_workbook(sheet, read_only=True).active.iter_rows(values_only=True)
                )
            )
            t0 = time.perf_counter()
            plan = plan_import(ledger, sheet)
            commit_import(ledger, plan)
            ours = time.perf_counter() - t0
            print(f"import {args.rows} rows: {ours:.2f} s ({args.rows / ours:,.0f} rows/s); "
                  f"openpyxl read alone {raw:.3f} s; ratio {ours / raw:.1f}x")  # fmt: skip

            # -- linking -------------------------------------------------------
            stated, plausible = [], []
            for i in range(20):
                g, lot = lots[(i * 7) % len(lots)]
                day = date(2026, 6, 1) + timedelta(days=i)
                t = time.perf_counter()
                record_signal(ledger, SignalReport("consumer_complaint", day, ProductRef(g, lot),
                                                   description=f"s{i}"))  # fmt: skip
                stated.append(time.perf_counter() - t)
                t = time.perf_counter()
                record_signal(ledger, SignalReport("consumer_complaint", day, ProductRef(g),
                                                   place=shops[i % len(shops)][0],
                                                   description=f"p{i}"))  # fmt: skip
                plausible.append(time.perf_counter() - t)
            s, p = statistics.median(stated), statistics.median(plausible)
            print(f"record signal (median of 20): lot stated {1000 * s:.1f} ms, "
                  f"by place (plausible lots) {1000 * p:.1f} ms; ratio {p / s:.2f}")  # fmt: skip

            # -- alerts ----------------------------------------------------------
            alerts: list = []  # type: ignore[type-arg]
            ours = timed(lambda: alerts.extend(evaluate(ledger)))
            keys = sorted({tuple(a.lots) for a in alerts if a.lots})
            raw = timed(lambda: [forward_trace(ledger, list(k)) for k in keys])
            print(f"alerts: {len(alerts)} with traces in {ours:.2f} s; forward_trace of the "
                  f"{len(keys)} distinct lot sets {raw:.2f} s; ratio {ours / max(raw, 1e-9):.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
