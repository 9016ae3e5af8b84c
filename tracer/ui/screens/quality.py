"""Quality: signals (record, assess, dismiss, escalate), alerts with their trace, records, import.

Every answer comes from `tracer.quality` — the same calls `tracer signals`,
`tracer alerts` and `tracer quality-record` make. An alert opens a recall in
one step (`recall_from_alert`) and the window switches to the campaign, as
the trace screen does. Records and the sheet import live in their own
modules (`quality_record`, `quality_import`).
"""

from __future__ import annotations

from typing import Any

from tracer.devices.base import Scan
from tracer.errors import TracerError
from tracer.quality.signal_model import KINDS
from tracer.quality.signals import Signal, assess, dismiss, escalate, list_signals
from tracer.recall import list_campaigns
from tracer.ui.names import NameBook
from tracer.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.screens.quality_alerts import AlertsPanel, cell, table
from tracer.ui.screens.quality_import import ImportPanel
from tracer.ui.screens.quality_record import RecordPanel
from tracer.ui.session import Session
from tracer.ui.signal_form import SignalForm, kind_names, severity_names
from tracer.ui.widgets import RED, Screen, heading

STATUSES = ("new", "assessed", "dismissed", "escalated")


class QualityScreen(Screen):
    captures_scans = True  # a scanned label fills the open signal form's product

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.names = NameBook(session.ledger)
        self.form: SignalForm | None = None
        self.signals: list[Signal] = []
        self.title = heading()
        self.tabs = QTabWidget()

        # signals
        self.kind_filter = QComboBox()
        self.kind_filter.setProperty("vocab", True)
        for k in (None, *KINDS):
            self.kind_filter.addItem("", k)
        self.status_filter = QComboBox()
        self.status_filter.setProperty("vocab", True)
        for s in (None, *STATUSES):
            self.status_filter.addItem("", s)
        for combo in (self.kind_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _i: self.refresh_signals())
        self.record_button = QPushButton()
        self.record_button.clicked.connect(lambda: self.open_form())
        self.assess_button = QPushButton()
        self.assess_button.clicked.connect(lambda: self.assess_selected())
        self.dismiss_button = QPushButton()
        self.dismiss_button.clicked.connect(lambda: self.dismiss_selected())
        self.escalate_button = QPushButton()
        self.escalate_button.clicked.connect(lambda: self.escalate_selected())
        self.signal_table = table(8)
        self.signal_table.itemSelectionChanged.connect(self._update_buttons)
        self.signal_message = QLabel()
        self.signal_message.setProperty("data", True)
        self.signal_message.setStyleSheet(f"color: {RED}")
        top = QHBoxLayout()
        top.addWidget(self.kind_filter)
        top.addWidget(self.status_filter)
        top.addStretch(1)
        for b in (self.record_button, self.assess_button, self.dismiss_button):
            top.addWidget(b)
        top.addWidget(self.escalate_button)
        page = QWidget()
        v = QVBoxLayout(page)
        v.addLayout(top)
        v.addWidget(self.signal_table, 1)
        v.addWidget(self.signal_message)
        self.tabs.addTab(page, "")

        self.alerts_panel = AlertsPanel(session)
        self.alerts_panel.recalled.connect(lambda _c: self.refresh_signals())
        self.tabs.addTab(self.alerts_panel, "")

        self.records = RecordPanel(session)
        self.tabs.addTab(self.records, "")
        self.importer = ImportPanel(session)
        self.importer.imported.connect(lambda: self.refresh_signals())
        self.tabs.addTab(self.importer, "")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        self.refresh_signals()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Quality signals, alerts and records"))
        for i, text in enumerate(
            (self.tr("Signals"), self.tr("Alerts"), self.tr("Quality records"), self.tr("Import a sheet"))
        ):  # fmt: skip
            self.tabs.setTabText(i, text)
        kinds = kind_names()
        for i in range(self.kind_filter.count()):
            k = self.kind_filter.itemData(i)
            self.kind_filter.setItemText(i, kinds[k] if k else self.tr("All kinds"))
        statuses = self.status_names()
        for i in range(self.status_filter.count()):
            s = self.status_filter.itemData(i)
            self.status_filter.setItemText(i, statuses[s] if s else self.tr("Any status"))
        self.record_button.setText(self.tr("Record a signal…"))
        self.assess_button.setText(self.tr("Assess…"))
        self.dismiss_button.setText(self.tr("Dismiss…"))
        self.escalate_button.setText(self.tr("Escalate to a recall…"))
        self.signal_table.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Kind"), self.tr("Severity"), self.tr("Status"),
             self.tr("Product"), self.tr("Linked lots"), self.tr("Place"), self.tr("Description")]
        )  # fmt: skip
        if self.signals:
            self._fill_signals()

    def status_names(self) -> dict[str, str]:
        return {
            "new": self.tr("new"), "assessed": self.tr("assessed"),
            "dismissed": self.tr("dismissed"), "escalated": self.tr("escalated"),
            "open": self.tr("open"),
        }  # fmt: skip

    def activated(self) -> None:
        self.refresh_signals()

    def accept_scan(self, scan: Scan) -> None:
        if self.form is not None and self.form.isVisible():
            self.form.set_code(scan.text)
        else:
            self.open_form(scan.text)

    # -- signals -------------------------------------------------------------------

    def open_form(self, code: str | None = None, *, modal: bool = True) -> SignalForm | None:
        if self.session.ledger is None:
            return None
        self.form = SignalForm(self.session, self)
        if code:
            self.form.set_code(code)
        if not modal:
            return self.form
        if self.form.exec() and self.form.signal is not None:
            self.signal_recorded()
        return self.form

    def signal_recorded(self) -> None:
        self.session.events_added.emit(None)
        self.refresh_signals()
        self.alerts_panel.refresh()

    def refresh_signals(self) -> None:
        ledger = self.session.ledger
        if ledger is None:
            self.signals = []
        else:
            self.signals = list_signals(
                ledger, kind=self.kind_filter.currentData(), status=self.status_filter.currentData()
            )
        self._fill_signals()

    def _fill_signals(self) -> None:
        kinds = kind_names()
        sev = severity_names()
        statuses = self.status_names()
        t = self.signal_table
        t.setSortingEnabled(False)
        t.setRowCount(len(self.signals))
        for r, s in enumerate(self.signals):
            product = self.names.product(s.product.gtin) or s.product.name or s.product.gtin
            lots = ", ".join(f"{lot.lot} ({lot.basis})" for lot in s.lots)
            values = (
                s.day, kinds.get(s.kind, s.kind), sev.get(s.severity, s.severity),
                statuses.get(s.status, s.status), product, lots,
                self.names.location(s.place_sgln) or s.place or "", s.description or "",
            )  # fmt: skip
            for c, v in enumerate(values):
                t.setItem(r, c, cell(v, s.signal_id if c == 0 else None))
        t.resizeColumnsToContents()
        self._update_buttons()

    def selected_signal(self) -> Signal | None:
        rows = {i.row() for i in self.signal_table.selectedItems()}
        return self.signals[min(rows)] if rows else None

    def _update_buttons(self) -> None:
        s = self.selected_signal()
        for b in (self.assess_button, self.dismiss_button, self.escalate_button):
            b.setEnabled(s is not None and s.status != "escalated")

    def _follow_up(self, action: Any) -> bool:
        s = self.selected_signal()
        ledger = self.session.ledger
        if s is None or ledger is None:
            return False
        try:
            action(ledger, s.signal_id)
        except TracerError as exc:
            self.signal_message.setText(str(exc))
            return False
        self.signal_message.setText("")
        self.signal_recorded()
        return True

    def _note(self, title: str, note: str | None) -> str | None:
        if note is not None:
            return note
        text, ok = QInputDialog.getText(self, title, self.tr("Note"))
        return text if ok else None

    def assess_selected(self, note: str | None = None, severity: str | None = None) -> bool:
        note = self._note(self.tr("Assess signal"), note)
        if note is None:
            return False
        by = self.session.operator
        return self._follow_up(
            lambda lg, sid: assess(lg, sid, by=by, note=note or None, severity=severity)
        )

    def dismiss_selected(self, note: str | None = None) -> bool:
        note = self._note(self.tr("Dismiss signal"), note)
        if note is None:
            return False
        by = self.session.operator
        return self._follow_up(lambda lg, sid: dismiss(lg, sid, by=by, note=note or None))

    def escalate_selected(self, campaign: str | None = None) -> bool:
        ledger = self.session.ledger
        if ledger is None:
            return False
        if campaign is None:
            ids = [c.campaign_id for c in list_campaigns(ledger) if c.status == "open"]
            if not ids:
                self.signal_message.setText(
                    self.tr("No open recall campaign: open one from an alert or a trace.")
                )
                return False
            campaign, ok = QInputDialog.getItem(
                self, self.tr("Escalate to a recall"), self.tr("Campaign"), ids, 0, False
            )
            if not ok:
                return False
        by = self.session.operator
        return self._follow_up(lambda lg, sid: escalate(lg, sid, str(campaign), by=by))
