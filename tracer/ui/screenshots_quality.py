"""Screenshots of the Quality screen in both languages (alongside `tracer.ui.screenshots`).

    xvfb-run -a -s '-screen 0 1400x900x24' .venv/bin/python -m tracer.ui.screenshots_quality docs/screenshots

Three complaints on one demo lot raise a lot alert; the screen is shown on its
Alerts tab (trace summary and retailers) and on its sheet import (row-link report).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tracer.ledger import Ledger
from tracer.ui.screenshots import SIZE, _good_lot, _save, _settle


def _signals(ledger: Ledger, lot: Any) -> None:
    from tracer.quality.signal_model import ProductRef, SignalReport
    from tracer.quality.signals import record_signal

    texts = (
        "瓶盖断裂 / cap breaks off",
        "儿童误吞瓶盖碎片 / child swallowed a piece",
        "瓶盖松动 / loose cap",
    )
    for i, text in enumerate(texts):
        record_signal(
            ledger,
            SignalReport(
                kind="injury_report" if i == 1 else "consumer_complaint",
                date=date.today() - timedelta(days=6 - 2 * i),
                product=ProductRef(gtin=lot.gtin, lot=lot.lot, how="gtin_lot"),
                severity="medium",
                reporter=("12315 热线", "市儿童医院", "京东平台")[i],
                description=text,
                recorded_by="王芳",
            ),
        )


def _sheet(work: Path, lot: Any) -> Path:
    path = work / "spot.csv"
    path.write_text(
        "抽检日期,商品名称,商品条码,批号,抽检结果,店铺名称,不合格项目\n"
        f"2026-03-01,样品,{lot.gtin},{lot.lot},不合格,某旗舰店,标签不符\n"
        f"2026-03-02,样品,{lot.gtin},NOSUCHLOT,合格,某旗舰店,\n"
        "2026-03-03,他厂产品,6901234567892,L1,合格,某专营店,\n",
        encoding="utf-8",
    )
    return path


def shoot(out: Path, languages: tuple[str, ...] = ("en", "zh_CN")) -> list[Path]:
    from tracer.demo.build import build_demo
    from tracer.ui.app import build_window, make_app
    from tracer.ui.operations import SyncPool
    from tracer.ui.qt import QCoreApplication, QEvent, QSettings

    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tracer-qshots-"))
    template = work / "template.sqlite"
    with Ledger.open(template) as ledger:
        build_demo(ledger, seed=2, events=6000)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    app = make_app([sys.argv[0]])
    saved: list[Path] = []
    for lang in languages:
        path = work / f"{lang}.sqlite"
        shutil.copy(template, path)
        ledger = Ledger.open(path)
        lot = _good_lot(ledger)
        _signals(ledger, lot)
        settings = QSettings(str(work / f"{lang}.ini"), QSettings.Format.IniFormat)
        window = build_window(app, ledger, settings, pool=SyncPool(), language=lang)
        window.session.sign_in("王芳")
        window.resize(*SIZE)
        window.show()
        _settle(app)
        screen: Any = window.show_page("quality")
        screen.tabs.setCurrentIndex(1)
        _settle(app, 0.6)
        saved.append(_save(window, out / f"quality_{lang}.png"))
        screen.tabs.setCurrentIndex(3)
        screen.importer.choose(str(_sheet(work, lot)))
        _settle(app, 0.6)
        saved.append(_save(window, out / f"quality_import_{lang}.png"))
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        ledger.close()
    shutil.rmtree(work, ignore_errors=True)
    return saved


if __name__ == "__main__":
    for p in shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(p, p.stat().st_size)
