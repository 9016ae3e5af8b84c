"""Screenshots of every screen in both languages, for docs/screenshots/ (and for looking).

    xvfb-run -a -s '-screen 0 1400x900x24' .venv/bin/python -m tracer.ui.screenshots docs/screenshots

Builds a small demo ledger in a temporary folder, drives each screen into a
typical state through the same calls a clerk's clicks make, and saves
`<screen>_<language>.png` (kept under 300 KB).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from tracer.ledger import Ledger, masterdata

MAX_BYTES = 300_000
SIZE = (1360, 860)


def _settle(app: Any, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _save(widget: Any, path: Path) -> Path:
    from tracer.ui.qt import Qt

    pixmap = widget.grab()
    pixmap.save(str(path), "PNG", 9)
    scale = 0.9
    while path.stat().st_size > MAX_BYTES and scale > 0.4:
        smaller = pixmap.scaledToWidth(
            int(pixmap.width() * scale), Qt.TransformationMode.SmoothTransformation
        )
        smaller.save(str(path), "PNG", 9)
        scale -= 0.1
    return path


def _good_lot(ledger: Ledger) -> Any:
    from tracer.recall import forward_trace

    today = date.today().isoformat()
    for lot in masterdata.lots(ledger):
        if lot.expiry_date and lot.expiry_date > today and lot.quantity:
            graph = forward_trace(ledger, (lot.gtin, lot.lot))
            if len([t for t in graph.locations.values() if t.is_retail]) >= 6:
                return lot
    return masterdata.lots(ledger)[0]


def shoot(out: Path, languages: tuple[str, ...] = ("en", "zh_CN")) -> list[Path]:
    from tracer.demo.build import build_demo
    from tracer.ui.app import make_app

    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tracer-shots-"))
    template = work / "template.sqlite"
    with Ledger.open(template) as ledger:
        build_demo(ledger, seed=2, events=6000)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    app = make_app([sys.argv[0]])
    saved: list[Path] = []
    for lang in languages:
        saved += _shoot_language(app, template, work, out, lang)
    shutil.rmtree(work, ignore_errors=True)
    return saved


def _shoot_language(app: Any, template: Path, work: Path, out: Path, lang: str) -> list[Path]:
    from tracer.devices.base import barcode_scan
    from tracer.ui.app import build_window
    from tracer.ui.qt import QCoreApplication, QEvent, QSettings

    saved: list[Path] = []
    path = work / f"{lang}.sqlite"
    shutil.copy(template, path)
    ledger = Ledger.open(path)
    settings = QSettings(str(work / f"{lang}.ini"), QSettings.Format.IniFormat)
    window = build_window(app, ledger, settings, language=lang)
    window.session.sign_in("王芳")
    window.resize(*SIZE)
    window.show()
    _settle(app)
    lot = _good_lot(ledger)
    bridge = window.session.bridge()

    def scan_station() -> None:
        s = window.show_page("scan")
        s.station_combo.setCurrentText("qc-1")
        s.apply_station()
        for code in (f"]C101{lot.gtin}10{lot.lot}", f"]C101{lot.gtin}10{lot.lot}",
                     f"]d201{lot.gtin}21SN000123\x1d10{lot.lot}", "]C100069234560000000018"):  # fmt: skip
            bridge.put(barcode_scan(code, "wedge:"))
            _settle(app, 0.4)

    def scan_flagged() -> None:
        window.show_page("scan")
        bridge.put(barcode_scan("]E04006381333931", "wedge:"))
        _settle(app, 0.4)

    def inspection() -> None:
        s = window.show_page("inspection")
        s.set_lot(lot.gtin, lot.lot)
        for i in range(5):
            s.accept_scan(barcode_scan(f"]d201{lot.gtin}21S{i:04d}\x1d10{lot.lot}", "wedge:"))
        s.major.setValue(s.current_plan.reject if s.current_plan else 1)
        s.minor.setValue(1)
        s.record()

    def ledger_page() -> None:
        s = window.show_page("ledger")  # the product filter, newest first
        s.product_combo.setCurrentIndex(max(0, s.product_combo.findData(lot.gtin.lstrip("0"))))
        s.apply_filter()
        end = time.monotonic() + 10  # the page is read off the UI thread
        while s.model.loading and time.monotonic() < end:
            _settle(app, 0.05)
        s.table.selectRow(min(3, s.model.rowCount() - 1))

    def trace_tree() -> None:
        window.session.open_recall.emit((lot.gtin, lot.lot))
        _settle(app, 1.0)
        window.screens["trace"].tabs.setCurrentIndex(0)

    def trace_graph() -> None:
        window.screens["trace"].tabs.setCurrentIndex(1)

    def campaign() -> None:
        from tracer.recall import open_campaign, record_ack, record_notified, record_return

        graph = window.screens["trace"].graph
        c = open_campaign(ledger, graph.start, reason="小零件易脱落，有窒息风险 / small parts detach",
                          hazard="high", action="return", instructions="立即停止销售 / stop selling",
                          opened_by="王芳")  # fmt: skip
        targets = [t for t in c.targets if t.gln]
        record_notified(ledger, c.campaign_id, [t.gln for t in targets[:-2]])
        for t in targets[:3]:
            record_ack(ledger, c.campaign_id, t.gln)
        shops = [t for t in targets if t.units_on_hand > 0]
        if shops:
            record_return(ledger, c.campaign_id, shops[0].gln, min(6, shops[0].units_on_hand))
        window.session.campaign_opened.emit(c.campaign_id)

    def masterdata_page() -> None:
        s = window.show_page("masterdata")
        s.tabs.setCurrentIndex(2)

    for name, prepare in (
        ("scan", scan_station), ("scan_flagged", scan_flagged), ("inspection", inspection),
        ("ledger", ledger_page), ("trace_tree", trace_tree), ("trace_graph", trace_graph),
        ("campaign", campaign), ("masterdata", masterdata_page),
    ):  # fmt: skip
        prepare()
        _settle(app, 0.6)
        saved.append(_save(window, out / f"{name}_{lang}.png"))
    _devices_with_simulator(window, app, out, lang, saved)
    _scan_with_camera(window, app, work, lot, out / f"scan_camera_{lang}.png", saved)
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    ledger.close()
    return saved


def _devices_with_simulator(window: Any, app: Any, out: Path, lang: str, saved: list[Path]) -> None:
    """The devices screen with a serial scanner (a pty) connected, read, then unplugged."""
    from tracer.devices.sim.pty_port import PtyPort

    screen = window.show_page("devices")
    with PtyPort() as port:
        ok = f"serial://{port.path}?retry=0.2"
        screen.connect_uri(ok)
        _settle(app, 0.8)
        port.write(b"]E06923456010017\r")
        _settle(app, 0.6)
        gone = PtyPort(name="ttyTRACER1")
        lost = f"serial://{gone.path}?baud=115200&retry=0.2"
        screen.connect_uri(lost)
        _settle(app, 0.6)
        gone.unplug()
        _settle(app, 1.0)
        saved.append(_save(window, out / f"devices_{lang}.png"))
        for uri in (ok, lost):
            window.session.bridge().detach(uri)
        gone.close()


def _scan_with_camera(
    window: Any, app: Any, work: Path, lot: Any, path: Path, saved: list[Path]
) -> None:
    """The scan station with a simulated camera: a generated video of a lot label."""
    import cv2

    from tracer.codes.synthetic import Distortion, frame_with_code

    video = work / "camera.avi"
    code = f"(01){lot.gtin}(10){lot.lot}"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (800, 600))
    for i in range(40):
        frame, _ = frame_with_code("GS1-128", code, (800, 600), Distortion(6.0, 2.0, seed=i % 3))
        writer.write(frame)
    writer.release()
    uri = f"camera://{video}?realtime=1"
    window.show_page("devices").connect_uri(uri)
    window.show_page("scan")
    _settle(app, 1.5)
    saved.append(_save(window, path))
    window.session.bridge().detach(uri)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    for p in shoot(target):
        print(p, p.stat().st_size // 1024, "KB")
