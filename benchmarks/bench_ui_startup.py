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
import resource
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
        f"[global]\nlast_operator=bench clerk\n[users]\nbench%20clerk\\station={station}\n",
        encoding="utf-8",
    )
    return path


CPU: dict[str, list[float]] = {}


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(code: str, *args: str, label: str = "") -> tuple[float, str]:
    """Wall time of a fresh child process to READY; its CPU time goes to CPU[label]."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # An installed app has its bytecode cached (pip and PyInstaller compile it);
    # a shell with PYTHONDONTWRITEBYTECODE would re-compile every module each start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cpu = _children_cpu()
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    ).stdout
    elapsed = time.perf_counter() - t
    CPU.setdefault(label, []).append(_children_cpu() - cpu)
    line = next((x for x in out.splitlines() if x.startswith("READY")), "")
    if not line:
        raise SystemExit(f"child did not get ready:\n{out}")
    return elapsed, line


BROWSER = """
import sys, time
from tracer.ui.app import make_app, build_window
from tracer.ui.qt import QSettings
from tracer.ledger import Ledger
app = make_app()
w = build_window(app, Ledger.open(sys.argv[1]), QSettings(sys.argv[2], QSettings.Format.IniFormat), language="en")
w.show(); app.processEvents()
t = time.perf_counter()
s = w.show_page("ledger"); app.processEvents()
t_open = time.perf_counter() - t
m = s.model; n = m.rowCount()
t = time.perf_counter()
for r in (n // 2, n - 1, n // 3):
    s.table.scrollTo(m.index(r, 0)); app.processEvents()
t_jump = (time.perf_counter() - t) / 3
gtin, lot = None, None
from tracer.ledger import masterdata
l = masterdata.lots(s.session.ledger)[len(masterdata.lots(s.session.ledger)) // 2]
t = time.perf_counter()
s.set_lot(l.gtin, l.lot); app.processEvents()
t_filter = time.perf_counter() - t
print(f"READY rows={n} open={t_open*1000:.0f}ms jump={t_jump*1000:.0f}ms lot_filter={t_filter*1000:.0f}ms", flush=True)
w.close()
"""


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
        raw.append(run(RAW, label="raw")[0])
        t, line = run(TRACER, str(ledger), ini, "en", label="en")
        ours.append(t)
        lines.append(line)
        zh.append(run(TRACER, str(ledger), ini, "zh_CN", label="zh")[0])
    med = statistics.median
    print(f"ledger: {ledger.name}, {lines[-1].split('events=')[-1]} events")
    cpu = {k: med(v) for k, v in CPU.items()}
    print(
        "| start-up to scan-ready | wall, median | wall, best | CPU, median | ratio to bare Qt (wall / CPU) |"
    )
    print("|---|---|---|---|---|")
    print(
        f"| bare PySide6 window (raw) | {med(raw):.2f} s | {min(raw):.2f} s | {cpu['raw']:.2f} s | 1.00 / 1.00 |"
    )
    for name, times, key in (("tracer, English", ours, "en"), ("tracer, 简体中文", zh, "zh")):
        print(f"| {name} | {med(times):.2f} s | {min(times):.2f} s | {cpu[key]:.2f} s | "
              f"{med(times) / med(raw):.2f} / {cpu[key] / cpu['raw']:.2f} |")  # fmt: skip
    print(
        "(on a shared, loaded machine wall time is mostly waiting for a core; CPU time is the work)"
    )
    print(f"inside the process (last run): {lines[-1].removeprefix('READY ')}")
    _t, browser = run(BROWSER, str(ledger), ini)
    print(f"ledger browser (in process): {browser.removeprefix('READY ')}")
    goal = med(ours) < 1.0 and med(zh) < 1.0
    print(f"goal < 1 s (median wall, both languages): {'met' if goal else 'NOT met'}")
    Path(ini).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
