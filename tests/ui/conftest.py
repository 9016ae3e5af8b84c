"""Fixtures for driving the real widgets offscreen: a private ledger, settings and a sync pool."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tracer.ledger import Ledger


@pytest.fixture()
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    from tracer.ui.qt import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture()
def ui_ledger(demo_ledger_path: Path) -> Iterator[Ledger]:
    ledger = Ledger.open(demo_ledger_path)
    yield ledger
    ledger.close()


@pytest.fixture()
def window(qapp, qtbot, ui_ledger: Ledger, settings):  # type: ignore[no-untyped-def]
    """The main window on the demo ledger, English, operator signed in, work run synchronously."""
    from tracer.ui.app import build_window, setup_fonts
    from tracer.ui.operations import SyncPool

    setup_fonts(qapp)
    w = build_window(qapp, ui_ledger, settings, pool=SyncPool(), language="en")
    qtbot.addWidget(w)
    w.session.sign_in("Test Clerk")
    w.show()
    yield w
    from tracer.ui.qt import QCoreApplication, QEvent

    if w.languages is not None:
        w.languages.set_language("en")
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="session", autouse=True)
def _tidy_qt_at_exit() -> Iterator[None]:
    """Delete every widget while Python is still whole, not in the interpreter's final GC."""
    yield
    import gc

    from tracer.ui.qt import QApplication, QCoreApplication, QEvent

    app = QApplication.instance()
    if app is None:
        return
    for w in QApplication.topLevelWidgets():
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
