"""The main window: a sidebar of screens, menus, and a status bar with the running work.

Screens are built the first time they are shown (only the scan station at
start-up), so a clerk gets a scan-ready window fast whatever the ledger size.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from tracer.errors import TracerError
from tracer.ledger import Ledger
from tracer.ui.i18n import LANGUAGES, LanguageSwitch
from tracer.ui.icons import icon
from tracer.ui.operations import Operation, OperationStrip, Progress
from tracer.ui.qt import (
    QAction,
    QActionGroup,
    QEvent,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSize,
    QStackedWidget,
    Qt,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.widgets import Screen

# key, "module:Class" (imported on first show), icon name
PAGES: tuple[tuple[str, str, str], ...] = (
    ("scan", "tracer.ui.screens.scan_station:ScanStationScreen", "scan"),
    ("inspection", "tracer.ui.screens.inspection:InspectionScreen", "inspection"),
    ("ledger", "tracer.ui.screens.ledger_browser:LedgerBrowserScreen", "ledger"),
    ("trace", "tracer.ui.screens.trace:TraceScreen", "trace"),
    ("quality", "tracer.ui.screens.quality:QualityScreen", "inspection"),
    ("campaigns", "tracer.ui.screens.campaigns:CampaignScreen", "recall"),
    ("devices", "tracer.ui.screens.devices:DevicesScreen", "devices"),
    ("masterdata", "tracer.ui.screens.masterdata:MasterDataScreen", "masterdata"),
)


class MainWindow(QMainWindow):
    def __init__(self, session: Session, languages: LanguageSwitch | None = None) -> None:
        super().__init__()
        self.session = session
        self.languages = languages
        self.screens: dict[str, Screen] = {}
        self.sidebar = QListWidget()
        self.sidebar.setIconSize(QSize(22, 22))
        self.sidebar.setFixedWidth(190)
        self.sidebar.setSpacing(2)
        self.stack = QStackedWidget()
        self._placeholders: dict[str, QHBoxLayout] = {}
        for key, _target, icon_name in PAGES:
            item = QListWidgetItem(icon(icon_name), "")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(180, 40))
            self.sidebar.addItem(item)
            holder = QWidget()
            holder_layout = QHBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            self._placeholders[key] = holder_layout
            self.stack.addWidget(holder)
        self.sidebar.currentRowChanged.connect(self._show_row)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.ledger_label = QLabel()
        self.operator_label = QLabel()
        self.strip = OperationStrip(session.runner)
        self.statusBar().addWidget(self.ledger_label, 1)
        self.statusBar().addPermanentWidget(self.strip)
        self.statusBar().addPermanentWidget(self.operator_label)
        self._build_menus()

        session.ledger_changed.connect(self._ledger_changed)
        session.operator_changed.connect(lambda _n: self._update_status())
        session.events_added.connect(lambda _r: self._update_status())
        session.runner.failed.connect(self._operation_failed)
        session.open_recall.connect(self._open_recall)
        session.campaign_opened.connect(self._show_campaign)
        self.resize(1280, 820)
        self.retranslate()
        self.sidebar.setCurrentRow(0)
        self._install_wedge()
        from tracer.ui.qt import QTimer

        QTimer.singleShot(0, self.restore_devices)  # after the window is up, not before

    def restore_devices(self) -> list[str]:
        """Reconnect the devices this clerk had connected last time."""
        from tracer.devices import open_reader

        bridge = self.session.bridge()
        opened = []
        for uri in self.session.user_get("devices") or []:
            if uri in bridge.readers:
                continue
            try:
                bridge.attach(open_reader(str(uri)))
            except TracerError:
                continue  # the Devices screen shows what is connected; the URI stays saved
            opened.append(str(uri))
        return opened

    # -- scans -----------------------------------------------------------------

    def _install_wedge(self) -> None:
        """Keyboard-wedge scanners work wherever the focus is in this window."""
        from tracer.ui.qt import QApplication
        from tracer.ui.wedge_filter import WedgeFilter

        bridge = self.session.bridge()
        self.wedge_filter = WedgeFilter(bridge.wedge(), self, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.wedge_filter)
        bridge.captured.connect(self._route_scan)

    def _route_scan(self, scan: Any) -> None:
        screen = self.screens.get(PAGES[self.stack.currentIndex()][0])
        accept = getattr(screen, "accept_scan", None)
        if accept is not None:
            accept(scan)

    # -- pages ---------------------------------------------------------------

    def show_page(self, key: str) -> Screen:
        row = [k for k, _, _ in PAGES].index(key)
        self.sidebar.setCurrentRow(row)
        return self.screen_for(key)

    def _open_recall(self, lot: Any) -> None:
        screen = self.show_page("trace")
        screen.trace_lot(lot)  # type: ignore[attr-defined]

    def _show_campaign(self, campaign_id: str) -> None:
        screen = self.show_page("campaigns")
        show = getattr(screen, "show_campaign", None)
        if show is not None:
            show(campaign_id)

    def screen_for(self, key: str) -> Screen:
        """The screen for `key`, built on first use."""
        if key not in self.screens:
            target = dict((k, t) for k, t, _ in PAGES)[key]
            module, cls = target.split(":")
            screen = getattr(importlib.import_module(module), cls)(self.session)
            self.screens[key] = screen
            self._placeholders[key].addWidget(screen)
        return self.screens[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = PAGES[row][0]
        screen = self.screen_for(key)
        self.stack.setCurrentIndex(row)
        # screens that use scans themselves (inspection, trace) take them; else they are recorded
        self.session.bridge().set_capture(getattr(screen, "captures_scans", False))
        screen.activated()
        self.session.user_set("page", key)

    # -- menus ---------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.open_action = QAction(self)
        self.open_action.setShortcut("Ctrl+O")
        self.open_action.triggered.connect(self.choose_ledger)
        self.demo_action = QAction(self)
        self.demo_action.triggered.connect(self.choose_demo_ledger)
        self.import_action = QAction(self)
        self.import_action.triggered.connect(lambda: self.import_epcis())
        self.merge_action = QAction(self)
        self.merge_action.triggered.connect(lambda: self.merge_ledger())
        self.quit_action = QAction(self)
        self.quit_action.setShortcut("Ctrl+Q")
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addActions([self.open_action, self.demo_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.import_action, self.merge_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.language_menu = bar.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setData(code)
            action.triggered.connect(lambda _c=False, c=code: self.set_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        current = self.languages.language if self.languages else "en"
        self.language_actions[current].setChecked(True)

        self.operator_menu = bar.addMenu("")
        self.sign_in_action = QAction(self)
        self.sign_in_action.triggered.connect(self.sign_in)
        self.sign_out_action = QAction(self)
        self.sign_out_action.triggered.connect(lambda: self.session.sign_in(None))
        self.operator_menu.addActions([self.sign_in_action, self.sign_out_action])

        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.about)
        self.help_menu.addAction(self.about_action)

    def set_language(self, code: str) -> None:
        if self.languages is None:
            return
        self.languages.set_language(code)
        self.language_actions[self.languages.language].setChecked(True)
        self.session.user_set("language", self.languages.language)

    # -- ledger --------------------------------------------------------------

    def choose_ledger(self) -> None:
        """A file dialog and a field for a postgresql:// URL, with the recent ledgers."""
        from tracer.ui.open_ledger_dialog import OpenLedgerDialog

        start = str(self.session.ledger_path.parent) if self.session.ledger_path else ""
        dialog = OpenLedgerDialog(self.session.settings, start, self)
        if dialog.exec():
            location = dialog.chosen()
            if location is not None:
                self.open_ledger(location)

    def open_ledger(self, location: str | Path) -> bool:
        """Open a file or a server ledger; a server that is down or refuses us is a message.

        An older ledger file is upgraded first, off the UI thread (an index
        build reads every event); False then, and the ledger opens when done.
        """
        from tracer.ledger.backend import is_server_url, open_ledger

        if not is_server_url(str(location)) and self.upgrade_ledger(Path(location)):
            return False
        try:
            ledger = open_ledger(location)
        except TracerError as exc:
            QMessageBox.warning(self, self.tr("Cannot open ledger"), str(exc))
            return False
        from tracer.ui.open_ledger_dialog import remember_ledger

        remember_ledger(self.session.settings, str(location))
        self.session.set_ledger(ledger)
        return True

    def upgrade_ledger(self, path: Path) -> Operation | None:
        """Bring an older ledger file up to this tracer's schema as long work, then open it."""
        from tracer.ledger.upgrade import pending_upgrade, upgrade

        steps = pending_upgrade(path)
        if not steps:
            return None

        def work(progress: Progress) -> Path:
            progress.report(0, 0, "; ".join(m.description for m in steps))
            upgrade(path, stop=lambda: progress.cancelled)
            return path

        title = self.tr("Upgrading ledger (once)")
        return self.session.runner.run(Operation(title, work, on_done=self.open_ledger))

    def choose_demo_ledger(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("New demo ledger"), "demo.sqlite", self.tr("tracer ledgers (*.sqlite)")
        )
        if path:
            self.build_demo(Path(path), 20_000)

    def build_demo(self, path: Path, events: int) -> Operation:
        """Write a demo ledger off the UI thread, then open it."""
        from tracer.demo.build import build_demo

        def work(progress: Progress) -> Path:
            with Ledger.open(path) as ledger:
                if ledger.count():
                    raise TracerError(f"{path} already holds events; choose a new file")
                progress.report(0, events)
                build_demo(ledger, events=events, progress=progress.advance)
            return path

        op = Operation(self.tr("Building demo ledger"), work, on_done=self.open_ledger)
        return self.session.runner.run(op)

    def import_epcis(self, path: str | None = None) -> Operation | None:
        """Import an EPCIS 2.0 document (JSON or XML) off the UI thread."""
        ledger = self.session.ledger
        if ledger is None:
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Import EPCIS document"),
                "",
                self.tr("EPCIS documents (*.json *.jsonld *.xml)"),
            )
            if not path:
                return None
        source = Path(path)

        def work(progress: Progress) -> Any:
            from tracer.epcis.importer import import_document

            progress.report(0, max(source.stat().st_size, 1))
            return import_document(ledger, source, progress=lambda n: progress.report(n))

        def done(report: Any) -> None:
            self.session.events_added.emit(None)
            self.statusBar().showMessage(
                self.tr("{file}: {added} events added, {skipped} already there").format(
                    file=source.name, added=report.added, skipped=report.skipped
                ), 10000
            )  # fmt: skip

        return self.session.runner.run(
            Operation(self.tr("Importing {file}").format(file=source.name), work, on_done=done)
        )

    def merge_ledger(self, path: str | None = None) -> Operation | None:
        """Bring an inspector's laptop ledger into this one (idempotent by event hash)."""
        ledger = self.session.ledger
        if ledger is None:
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Merge a laptop ledger"),
                "",
                self.tr("tracer ledgers (*.sqlite *.db);;All files (*)"),
            )
            if not path:
                return None
        source = Path(path)

        def work(_p: Progress) -> Any:
            from tracer.epcis.merge import merge

            return merge(ledger, source)

        def done(report: Any) -> None:
            self.session.events_added.emit(None)
            self.session.masterdata_changed.emit()
            self.statusBar().showMessage(
                self.tr("{file}: {added} events added, {skipped} already there").format(
                    file=source.name, added=report.added, skipped=report.skipped
                ), 10000
            )  # fmt: skip

        return self.session.runner.run(
            Operation(self.tr("Merging {file}").format(file=source.name), work, on_done=done)
        )

    def _ledger_changed(self) -> None:
        for key, screen in list(self.screens.items()):
            screen.setParent(None)
            screen.deleteLater()
            del self.screens[key]
        self._show_row(self.sidebar.currentRow())
        self._update_status()

    # -- operator ------------------------------------------------------------

    def sign_in(self) -> bool:
        from tracer.ui.signin import SignInDialog

        if self.session.ledger is None:
            return False
        dialog = SignInDialog(self.session.ledger, self.session.settings.get("last_operator"), self)
        if dialog.exec() and dialog.operator is not None:
            self.session.sign_in(dialog.operator.name)
            lang = self.session.user_get("language")
            if lang and self.languages and lang != self.languages.language:
                self.set_language(str(lang))
            return True
        return False

    # -- chrome --------------------------------------------------------------

    def _operation_failed(self, op: Operation, message: str) -> None:
        QMessageBox.warning(self, op.title, message)

    def _update_status(self) -> None:
        ledger = self.session.ledger
        if ledger is None:
            self.ledger_label.setText(self.tr("No ledger open"))
        else:
            self.ledger_label.setText(
                self.tr("Ledger {path} · {n} events").format(
                    path=ledger.path, n=f"{ledger.count():,}"
                )
            )
        op = self.session.operator
        self.operator_label.setText(
            self.tr("Operator: {name}").format(name=op) if op else self.tr("Not signed in")
        )
        self.sign_out_action.setEnabled(bool(op))

    def about(self) -> None:
        from tracer import __version__

        QMessageBox.about(
            self,
            self.tr("About tracer"),
            self.tr(
                "tracer {version}\nProduct traceability and recall: GS1 codes, "
                "EPCIS 2.0 ledger, forward trace, recall campaigns."
            ).format(version=__version__),
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("tracer — traceability and recall"))
        titles = {
            "scan": self.tr("Scan station"),
            "inspection": self.tr("Inspection"),
            "ledger": self.tr("Ledger"),
            "trace": self.tr("Trace & recall"),
            "quality": self.tr("Quality"),
            "campaigns": self.tr("Recall campaigns"),
            "devices": self.tr("Devices"),
            "masterdata": self.tr("Master data"),
        }
        for row, (key, _t, _i) in enumerate(PAGES):
            self.sidebar.item(row).setText(titles[key])
        self.file_menu.setTitle(self.tr("&File"))
        self.open_action.setText(self.tr("&Open ledger…"))
        self.demo_action.setText(self.tr("New &demo ledger…"))
        self.import_action.setText(self.tr("&Import EPCIS document…"))
        self.merge_action.setText(self.tr("&Merge a laptop ledger…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.operator_menu.setTitle(self.tr("O&perator"))
        self.sign_in_action.setText(self.tr("&Sign in…"))
        self.sign_out_action.setText(self.tr("Sign &out"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About tracer"))
        self._update_status()

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: Any) -> None:
        from tracer.ui.qt import QApplication

        self.session.runner.cancel_all()
        for screen in self.screens.values():
            closer = getattr(screen, "shutdown", None)
            if closer:
                closer()
        app = QApplication.instance()
        if app is not None and hasattr(self, "wedge_filter"):
            app.removeEventFilter(self.wedge_filter)
        self.session.shutdown()
        super().closeEvent(event)
