"""Start the desktop app: QApplication, fonts with a CJK fallback, language, window.

`tracer gui` calls `run`. Heavy modules (screens other than the scan station,
trace, reports) load when first shown, so the window is scan-ready quickly.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
from pathlib import Path

from tracer.errors import TracerError
from tracer.ledger import Ledger
from tracer.ledger.backend import LedgerBackend, is_server_url, open_ledger
from tracer.ui.i18n import LanguageSwitch, system_language
from tracer.ui.icons import icon
from tracer.ui.main_window import MainWindow
from tracer.ui.operations import Pool
from tracer.ui.qt import QApplication, QFont, QMessageBox, QSettings
from tracer.ui.session import Session, UserSettings

# Latin UI font first, then a CJK face for 汉字: Qt falls back per character.
FONT_FAMILIES = ["Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", "Source Han Sans SC",
                 "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei"]  # fmt: skip


def setup_fonts(app: QApplication) -> QFont:
    """Application font with explicit CJK fallback, so Chinese never shows as boxes.

    Families that are not installed are skipped by Qt at match time, so the list
    is not checked against the font database (enumerating it costs start-up time).
    """
    font = QFont(app.font())
    font.setFamilies([*FONT_FAMILIES, app.font().family()])
    if font.pointSize() < 10:
        font.setPointSize(10)
    app.setFont(font)
    return font


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("tracer")
    app.setOrganizationName("tracer")
    app.setWindowIcon(icon("app"))
    setup_fonts(app)
    return app


# Loaded after the window shows, off the UI thread: the first scan then finds
# its parsers (biip ~0.15 s, the EPC tables) ready instead of importing them.
WARM_MODULES = ("tracer.codes.gs1", "tracer.codes.epc", "tracer.epcis.codec")


def warm_up(modules: tuple[str, ...] = WARM_MODULES) -> threading.Thread:
    """Import what the first scan needs in a daemon thread; returns it (tests join)."""

    def load() -> None:
        for name in modules:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)

    thread = threading.Thread(target=load, name="tracer-warm-up", daemon=True)
    thread.start()
    return thread


def build_window(
    app: QApplication,
    ledger: LedgerBackend | None,
    settings: QSettings | None = None,
    pool: Pool | None = None,
    language: str | None = None,
) -> MainWindow:
    """Everything but the event loop (tests and the start-up benchmark call this)."""
    user_settings = UserSettings(settings or QSettings("tracer", "tracer"))
    languages = LanguageSwitch(app)
    session = Session(ledger, user_settings, pool)
    last = user_settings.get("last_operator")
    if last and ledger is not None:
        # a remembered operator without a PIN stays signed in; with a PIN, ask
        from tracer.ledger import masterdata

        known = {o.name: o for o in masterdata.operators(ledger)}
        if last in known and not known[last].pin_hash:
            session.operator = str(last)
    lang = language or session.user_get("language") or user_settings.get("language")
    languages.set_language(str(lang or system_language()))
    window = MainWindow(session, languages)
    page = session.user_get("page")
    if page and page != "scan":
        with contextlib.suppress(ValueError):
            window.show_page(str(page))
    return window


def run(ledger_path: str | Path | None, demo: bool = False, events: int = 20_000) -> int:
    """`ledger_path`: a file or a postgresql:// URL; a server that is down is a message."""
    from tracer.ledger.location import default_ledger_path
    from tracer.ledger.upgrade import pending_upgrade
    from tracer.ui.open_ledger_dialog import remember_ledger

    app = make_app()
    settings = QSettings("tracer", "tracer")
    last = str(settings.value("global/last_ledger") or default_ledger_path())
    path: str | Path = ledger_path or (last if is_server_url(last) else Path(last))
    if not is_server_url(path):
        path = Path(path)
    ledger: LedgerBackend | None = None
    upgrading = isinstance(path, Path) and bool(pending_upgrade(path))
    if not upgrading:  # an older file is upgraded by the window, off the UI thread
        try:
            ledger = open_ledger(path)
            remember_ledger(UserSettings(settings), str(path))
        except TracerError as exc:
            QMessageBox.warning(None, "tracer", str(exc))
    build_first = (
        isinstance(ledger, Ledger) and isinstance(path, Path) and demo and ledger.count() == 0
    )
    if build_first and ledger is not None:
        ledger.close()  # the demo is written off the UI thread, then opened
        ledger = None
    window = build_window(app, ledger, settings)
    window.show()
    warm_up()
    if build_first and isinstance(path, Path):
        window.build_demo(path, events)
    elif upgrading:
        window.open_ledger(path)
    elif ledger is not None and window.session.operator is None:
        window.sign_in()
    return int(app.exec())
