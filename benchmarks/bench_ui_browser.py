"""Ledger browser: how long a filter change blocks the UI thread, on a 1M-event ledger.

The window's event loop runs with a 5 ms QTimer recording each tick; the
filter is applied from inside the loop (as a click does) and the loop turns
until the filter's first page is shown. "Blocked" is the longest gap between
two ticks in that time, "click → page" the time from the click to the page
painted.
Two windows on the same read-only ledger, alternated run by run:

* raw — the table model without a runner, which reads each page inside the
  click on the UI thread, as the browser did before pages moved to the
  thread pool (same core query, same model; the count stays on the pool);
* tracer — the window as shipped: pages read on the thread pool.

Filters: the slow combination (a step at a place where neither index is
selective: retail sales at a DC, which walks much of the ledger) and a fast
one (a lot), so the hand-off's cost shows too. The ledger is opened
READ-ONLY (default: benchmarks/out/ui-demo-1000k.sqlite, built by
bench_ui_startup.py).

    xvfb-run -a .venv/bin/python benchmarks/bench_ui_browser.py [--ledger P] [--runs 5]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tracer.ledger import Ledger, masterdata  # noqa: E402


def build(app: Any, ledger: Ledger, sync: bool, folder: Path) -> Any:
    """A window on the ledger; `sync`: its browser reads pages on the UI thread."""
    from tracer.ui.app import build_window
    from tracer.ui.qt import QSettings

    settings = QSettings(str(folder / f"{sync}.ini"), QSettings.Format.IniFormat)
    window = build_window(app, ledger, settings, language="en")
    window.session.sign_in("Bench")
    if sync:
        window.show_page("ledger").model.runner = None  # pages read on the UI thread
    window.resize(1360, 860)
    window.show()
    return window


def settle(app: Any, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)


def apply(
    app: Any, window: Any, step: str | None, location: str | None, lot: str
) -> tuple[float, float]:
    """(longest gap between event-loop ticks, click → page shown), both in ms."""
    from tracer.ui.qt import QModelIndex, QTimer

    screen = window.show_page("ledger")
    screen.clear_filter()
    settle(app, 0.2)
    screen.lot_edit.setText(lot)
    screen.step_combo.setCurrentIndex(max(0, screen.step_combo.findData(step)))
    screen.location_combo.setCurrentIndex(max(0, screen.location_combo.findData(location)))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    settle(app, 0.05)
    clicked: list[float] = []
    QTimer.singleShot(0, lambda: (clicked.append(time.perf_counter()), screen.apply_filter()))
    model = screen.model

    def shown() -> bool:
        loading = getattr(model, "loading", False)
        return bool(clicked) and model.filtered and not loading

    while not shown():
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()  # the page painted, in both windows
    done = time.perf_counter()
    assert model.rowCount() > 0 or not model.canFetchMore(QModelIndex())
    settle(app, 0.05)
    timer.stop()
    span = [t for t in ticks if t >= clicked[0] - 0.01]
    gaps = [b - a for a, b in itertools.pairwise(span)]
    return max(gaps) * 1000, (done - clicked[0]) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ledger", type=Path, default=HERE / "out" / "ui-demo-1000k.sqlite")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from tracer.ui.app import make_app
    from tracer.ui.qt import QThreadPool

    app = make_app([sys.argv[0]])
    ledger = Ledger.open(args.ledger, readonly=True)
    places = [loc for loc in masterdata.locations(ledger) if loc.kind.value == "warehouse"]
    dc = places[1] if len(places) > 1 else places[0]
    lot = masterdata.lots(ledger)[len(masterdata.lots(ledger)) // 2]
    cases = {
        f"retail sales at {dc.name}": ("retail_selling", dc.gln, ""),
        "a lot": (None, None, f"{lot.gtin}/{lot.lot}"),
    }
    print(f"{args.ledger.name}: {ledger.count():,} events, {args.runs} runs each, alternated")
    with tempfile.TemporaryDirectory() as tmp:
        windows = {"raw": build(app, ledger, True, Path(tmp)), "tracer": build(app, ledger, False, Path(tmp))}  # fmt: skip
        settle(app, 0.5)
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for name, (step, location, lot_text) in cases.items():
            for window in windows.values():  # warm-up: the OS cache, the query plan
                apply(app, window, step, location, lot_text)
            for _ in range(args.runs):
                for kind, window in windows.items():
                    results.setdefault((name, kind), []).append(
                        apply(app, window, step, location, lot_text)
                    )
        print("| filter | window | UI thread blocked, median (max) | click → page, median | ratio blocked |")  # fmt: skip
        print("|---|---|---|---|---|")
        for name in cases:
            raw_block = statistics.median(b for b, _ in results[(name, "raw")])
            for kind in windows:
                rs = results[(name, kind)]
                block = statistics.median(b for b, _ in rs)
                worst = max(b for b, _ in rs)
                page = statistics.median(p for _, p in rs)
                print(f"| {name} | {kind} | {block:.0f} ms ({worst:.0f}) | {page:.0f} ms | {block / raw_block:.2f} |")  # fmt: skip
        for window in windows.values():
            window.close()
        QThreadPool.globalInstance().waitForDone()
    ledger.close()


if __name__ == "__main__":
    main()
