"""Cold start of the desktop app to a scan-ready window, on a 1M-event ledger.

"Cold start" is a fresh Python process: from launching it until the main
window is shown with the scan station built, the station's recorder armed and
the keyboard-wedge filter installed (the clerk can scan), measured from the
parent around the whole child process. The raw baseline, in the same run, is
a fresh process that imports PySide6 and shows a bare QMainWindow — the floor
any Qt app pays. Goal (DESIGN.md): < 1 s.

The 1M-event demo ledger is built once under benchmarks/out/ (a few minutes).

    .venv/bin/python benchmarks/bench_ui_startup.py [--events 1000000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

RAW = """
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
from PySide6.QtCore import QTimer
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("ready")); w.resize(1280, 820); w.show()
QTimer.singleShot(0, lambda: (print("READY", flush=True), app.quit()))
app.exec()
"""

TRACER = """
import sys, time
t0 = time.perf_counter()
from tracer.ui.app import make_app, build_window
from tracer.ui.qt import QSettings, QTimer
from tracer.ledger import Ledger
t1 = time.perf_counter()
app = make_app()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
ledger = Ledger.open(sys.argv[1])
t2 = time.perf_counter()
w = build_window(app, ledger, settings, language=sys.argv[3])
w.show()
def ready():
    screen = w.screens["scan"]
    assert w.session.operator and w.session.bridge().recorder is not None, "not scan-ready"
    t3 = time.perf_counter()
    print(f"READY imports={t1-t0:.3f} ledger={t2-t1:.3f} window={t3-t2:.3f} events={ledger.count()}", flush=True)
    w.close(); app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def ledger_path(events: int) -> Path:
    path = OUT / f"ui-demo-{events // 1000}k.sqlite"
    if path.exists():
        return path
    from tracer.demo.build import build_demo
    from tracer.ledger import Ledger

    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    print(f"building {path.name} ({events:,} events, once)…", flush=True)
    t = time.perf_counter()
    with Ledger.open(tmp) as ledger:
        build_demo(ledger, seed=5, events=events)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp.rename(path)
    print(f"built in {time.perf_counter() - t:.0f} s", flush=True)
    return path


def settings_file(ledger: Path) -> str:
    """A remembered clerk (no PIN) and station, as on a real station PC."""
    from tracer.ledger import Ledger, masterdata
    from tracer.model import Operator

    with Ledger.open(ledger) as led:
        masterdata.upsert(led, [Operator("bench clerk")])
        station = masterdata.stations(led)[0].name
    fd, path = tempfile.mkstemp(suffix=".ini")
    os.close(fd)
    Path(path).write_text(
        "[global]\nlast_operator=bench clerk\n"
        f"[users]\nbench%20clerk\\station={station}\n",
        encoding="utf-8",
    )
    return path


def run(code: str, *args: str) -> tuple[float, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    ).stdout
    elapsed = time.perf_counter() - t
    line = next((x for x in out.splitlines() if x.startswith("READY")), "")
    if not line:
        raise SystemExit(f"child did not get ready:\n{out}")
    return elapsed, line


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    ledger = ledger_path(args.events)
    ini = settings_file(ledger)
    run(RAW)  # warm the OS file cache for both, so "cold" means a new process, not a cold disk
    run(TRACER, str(ledger), ini, "en")
    raw, ours, zh, lines = [], [], [], []
    for _ in range(args.runs):  # alternate, so load on the machine hits both alike
        raw.append(run(RAW)[0])
        t, line = run(TRACER, str(ledger), ini, "en")
        ours.append(t)
        lines.append(line)
        zh.append(run(TRACER, str(ledger), ini, "zh_CN")[0])
    Path(ini).unlink(missing_ok=True)
    med = statistics.median
    print(f"ledger: {ledger.name}, {lines[-1].split('events=')[-1]} events")
    print("| start-up to scan-ready | median | best | ratio to bare Qt |")
    print("|---|---|---|---|")
    print(f"| bare PySide6 window (raw) | {med(raw):.2f} s | {min(raw):.2f} s | 1.00 |")
    print(f"| tracer, English | {med(ours):.2f} s | {min(ours):.2f} s | {med(ours) / med(raw):.2f} |")
    print(f"| tracer, 简体中文 | {med(zh):.2f} s | {min(zh):.2f} s | {med(zh) / med(raw):.2f} |")
    print(f"inside the process (last run): {lines[-1].removeprefix('READY ')}")
    goal = med(ours) < 1.0
    print(f"goal < 1 s: {'met' if goal else 'NOT met'}")


if __name__ == "__main__":
    main()
