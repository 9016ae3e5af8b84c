"""The desktop app on a postgresql:// ledger: open it, browse, trace, record a wedge scan —
the same screens as on an SQLite file, checked against the server's own rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from shipped_lots import shipped_lot

from tracer.cli import main
from tracer.ledger import masterdata
from tracer.ledger.backend import open_ledger

pytest.importorskip("pytestqt")


@pytest.fixture()
def pg_demo(pg_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    try:
        main(["demo", "--ledger", pg_url, "--events", "1500"])
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr().err
    capsys.readouterr()
    return pg_url


@pytest.fixture()
def pg_window(qapp: Any, qtbot: Any, tmp_path: Path, pg_demo: str) -> Iterator[Any]:
    """The main window opened on the server ledger through File → Open ledger's own path."""
    from tracer.ui.app import build_window, setup_fonts
    from tracer.ui.operations import SyncPool
    from tracer.ui.qt import QCoreApplication, QEvent, QSettings

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    setup_fonts(qapp)
    w = build_window(qapp, None, settings, pool=SyncPool(), language="en")
    qtbot.addWidget(w)
    assert w.open_ledger(pg_demo)
    w.session.sign_in("Test Clerk")
    w.show()
    yield w
    w.session.shutdown()
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_gui_browses_traces_and_records_on_postgres(
    pg_window: Any, pg_demo: str, qtbot: Any
) -> None:
    from tracer.ui.qt import Qt

    session = pg_window.session
    assert type(session.ledger).__name__ == "PgLedger"
    assert session.ledger.path.startswith("postgresql://")
    with psycopg.connect(pg_demo) as conn:
        server_count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert server_count >= 1500 and session.ledger.count() == server_count
    assert f"{server_count:,} events" in pg_window.ledger_label.text()

    # ledger browser: every event, newest first; a lot filter pages through the server
    browser = pg_window.show_page("ledger")
    assert browser.model.rowCount() == server_count
    assert browser.model.row(0).stored.seq == server_count
    lot, graph = shipped_lot(session.ledger)
    browser.lot_edit.setText(f"{lot.gtin}/{lot.lot}")
    qtbot.mouseClick(browser.apply_button, Qt.MouseButton.LeftButton)
    assert browser.model.filtered and browser.model.rowCount() >= 1

    # trace screen: forward trace to the retailers the core finds on the same server
    trace = pg_window.show_page("trace")
    trace.start_edit.setText(f"{lot.gtin}/{lot.lot}")
    trace.run_trace()
    assert trace.graph is not None
    shops = {t.sgln for t in graph.retail_locations()}
    assert shops and set(trace.graph_view.node_items) >= shops
    listed = {trace.retailers.item(r, 0).text() for r in range(trace.retailers.rowCount())}
    assert trace.retailers.rowCount() >= len(shops)
    assert {t.location.name for t in graph.retail_locations()} <= listed | {
        trace.retailers.item(r, 1).text() for r in range(trace.retailers.rowCount())
    }

    # scan station: a keyboard-wedge burst is appended to the PostgreSQL ledger
    screen = pg_window.show_page("scan")
    screen.station_combo.setCurrentText("qc-1")
    screen.apply_station()
    today = date.today().isoformat()
    good = next(
        x for x in masterdata.lots(session.ledger) if x.expiry_date and x.expiry_date > today
    )
    bridge = session.bridge()
    with qtbot.waitSignal(bridge.result, timeout=10000):
        qtbot.keyClicks(screen.manual, f"(01){good.gtin}(10){good.lot}")
        qtbot.keyClick(screen.manual, Qt.Key.Key_Return)
    with psycopg.connect(pg_demo) as conn:
        after = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert after == server_count + 1
    with open_ledger(pg_demo, readonly=True) as fresh:
        event = fresh.get(after).event
    assert (event.operator, event.station, event.device) == ("Test Clerk", "qc-1", "wedge:")
    assert event.biz_step == "inspecting"


def test_gui_server_down_is_a_message(
    qapp: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """A server nobody answers on: a plain message box, the window keeps running."""
    from tracer.ui.app import build_window
    from tracer.ui.main_window import QMessageBox
    from tracer.ui.operations import SyncPool
    from tracer.ui.qt import QSettings

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = build_window(qapp, None, settings, pool=SyncPool(), language="en")
    qtbot.addWidget(w)
    assert not w.open_ledger("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    assert len(shown) == 1 and "Traceback" not in shown[0] and "secret" not in shown[0]
    assert w.session.ledger is None and w.ledger_label.text() == "No ledger open"
    w.close()


def test_quality_signal_with_a_photo_on_the_server_ledger(pg_window: Any, tmp_path: Path) -> None:
    """The signal form stores an attachment inside the PostgreSQL ledger, as the CLI does."""
    from tracer.quality.attachments import read_attachment

    ledger = pg_window.session.ledger
    lot, _graph = shipped_lot(ledger)
    screen = pg_window.show_page("quality")
    photo = tmp_path / "cap.jpg"
    photo.write_bytes(b"\xff\xd8 a label photo")
    form = screen.open_form(modal=False)
    form.kind.setCurrentIndex(form.kind.findData("consumer_complaint"))
    form.description.setPlainText("cap breaks off")
    form.how.setCurrentIndex(form.how.findData("gtin_lot"))
    form.gtin.setText(lot.gtin)
    form.lot.setText(lot.lot)
    form.choose_files([str(photo)])
    form.submit()
    assert form.signal is not None, form.message.text()
    (attachment,) = form.signal.attachments
    assert attachment.name == "cap.jpg"
    assert read_attachment(ledger, attachment) == photo.read_bytes()
