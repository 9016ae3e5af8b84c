"""Alerts: signals that cluster, each with its forward-trace summary, and a recall in one step.

`quality.alerts.evaluate` runs off the UI thread on a read-only connection;
`recall_from_alert` opens the campaign on the alert's lots and escalates its
signals, then `Session.campaign_opened` shows the campaign, as the trace
screen does.
"""

from __future__ import annotations

from typing import Any

from tracer.errors import TracerError
from tracer.quality.alerts import Alert, evaluate, recall_from_alert
from tracer.quality.store import sync
from tracer.ui.names import NameBook
from tracer.ui.names import region as region_label
from tracer.ui.operations import Operation, Progress
from tracer.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tracer.ui.session import Session
from tracer.ui.widgets import RED, data_label


def table(columns: int) -> QTableWidget:
    t = QTableWidget(0, columns)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def cell(text: Any, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class AlertsPanel(QWidget):
    recalled = Signal(str)  # campaign id

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.names = NameBook(session.ledger)
        self.alerts: list[Alert] = []
        self.alert_table = table(5)
        self.alert_table.itemSelectionChanged.connect(self._show_alert)
        self.alert_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.alert_table.horizontalHeader().setStretchLastSection(False)
        self.summary = data_label(bold=True)
        self.summary.setWordWrap(True)
        self.retailer_table = table(5)
        self.retailer_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.retailer_table.horizontalHeader().setStretchLastSection(False)
        self.reason = QLineEdit()
        self.hazard = QComboBox()
        self.hazard.setProperty("vocab", True)
        for h in ("high", "medium", "low"):
            self.hazard.addItem("", h)
        self.recall_button = QPushButton()
        self.recall_button.clicked.connect(lambda: self.recall_selected())
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.message = QLabel()
        self.message.setProperty("data", True)
        self.message.setStyleSheet(f"color: {RED}")
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.hazard)
        bottom.addWidget(self.recall_button)
        bottom.addWidget(self.refresh_button)
        v = QVBoxLayout(self)
        v.addWidget(self.alert_table, 1)
        v.addWidget(self.summary)
        v.addWidget(self.retailer_table, 2)
        v.addLayout(bottom)
        v.addWidget(self.message)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.alert_table.setHorizontalHeaderLabels(
            [self.tr("Alert"), self.tr("Rule"), self.tr("Signals"), self.tr("Lots"), self.tr("Status")]
        )  # fmt: skip
        self.retailer_table.setHorizontalHeaderLabels(
            [self.tr("Retailer"), self.tr("Region"), self.tr("Received"), self.tr("Sold"), self.tr("On hand")]
        )  # fmt: skip
        hazards = {"high": self.tr("high"), "medium": self.tr("medium"), "low": self.tr("low")}
        for i in range(self.hazard.count()):
            self.hazard.setItemText(i, hazards[self.hazard.itemData(i)])
        self.reason.setPlaceholderText(self.tr("Defect found (the alert's title if empty)"))
        self.recall_button.setText(self.tr("Open recall campaign"))
        self.refresh_button.setText(self.tr("Refresh"))
        self._fill()

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def rule_names(self) -> dict[str, str]:
        return {
            "lot": self.tr("signals on one lot"), "product": self.tr("signals on one product"),
            "input_lot": self.tr("signals on one supplier lot"), "injury": self.tr("injury report"),
            "spot_check": self.tr("failed spot check"),
        }  # fmt: skip

    def title(self, a: Alert) -> str:
        """The alert in the UI language (the core's English title for one-signal alerts)."""
        n = len(a.signals)
        if a.rule in ("lot", "input_lot"):
            gtin, _, lot = a.subject.partition("/")
            name = self.names.product(gtin) or gtin
            return self.tr("{n} signals on lot {lot} ({product})").format(
                n=n, lot=lot, product=name
            )
        if a.rule == "product":
            name = self.names.product(a.subject) or a.subject
            return self.tr("{n} signals on {product} over several lots").format(n=n, product=name)
        return a.title

    def refresh(self) -> Operation | None:
        """Alerts with their forward-trace summaries, computed off the UI thread."""
        if self.session.ledger is None:
            return None
        session = self.session
        sync(session.ledger)  # the quality tables are a cache: bring them up to date here, once

        def work(_p: Progress) -> list[Alert]:
            with session.reading() as reader:
                return evaluate(reader)

        def done(alerts: list[Alert]) -> None:
            self.alerts = alerts
            self._fill()

        return session.runner.run(Operation(self.tr("Evaluating alerts"), work, on_done=done))

    def _fill(self) -> None:
        statuses = {"open": self.tr("open"), "escalated": self.tr("escalated")}
        rules = self.rule_names()
        t = self.alert_table
        t.setRowCount(len(self.alerts))
        for r, a in enumerate(self.alerts):
            values = (
                self.title(a), rules.get(a.rule, a.rule), len(a.signals),
                ", ".join(lot for _g, lot in a.lots), statuses.get(a.status, a.status),
            )  # fmt: skip
            for c, v in enumerate(values):
                t.setItem(r, c, cell(v, a.alert_id if c == 0 else None))
        for c in range(1, 5):
            t.resizeColumnToContents(c)
        if self.alerts and not t.selectedItems():
            t.selectRow(0)
        self._show_alert()

    def selected_alert(self) -> Alert | None:
        rows = {i.row() for i in self.alert_table.selectedItems()}
        return self.alerts[min(rows)] if rows and min(rows) < len(self.alerts) else None

    def _show_alert(self) -> None:
        a = self.selected_alert()
        tr = a.trace if a else None
        self.recall_button.setEnabled(a is not None and a.status != "escalated" and bool(a.lots))
        if a is None:
            self.summary.setText(self.tr("No alert: signals have not clustered."))
            self.retailer_table.setRowCount(0)
            return
        text = self.tr("{n} signals · {lots} affected lots").format(
            n=len(a.signals), lots=len(tr.lots) if tr else len(a.lots)
        )
        if tr is not None:
            text += " · " + self.tr(
                "{made} units made, {retail} received by {shops} retailers, {sold} sold"
            ).format(
                made=f"{tr.units_produced:,.0f}", retail=f"{tr.units_at_retail:,.0f}",
                shops=len(tr.retailers), sold=f"{tr.units_sold:,.0f}",
            )  # fmt: skip
        if a.campaigns:
            text += " · " + self.tr("campaign {ids}").format(ids=", ".join(a.campaigns))
        self.summary.setText(text)
        shops = tr.retailers if tr else []
        self.retailer_table.setRowCount(len(shops))
        for r, s in enumerate(shops):
            values = (
                self.names.location(s.sgln) or s.name, region_label(s.region),
                f"{s.units_received:,.0f}", f"{s.units_sold:,.0f}", f"{s.units_on_hand:,.0f}",
            )  # fmt: skip
            for c, v in enumerate(values):
                self.retailer_table.setItem(r, c, cell(v))

    def recall_selected(self) -> str | None:
        """One step: a campaign on the alert's lots, its signals escalated; show the campaign."""
        a = self.selected_alert()
        ledger = self.session.ledger
        if a is None or ledger is None:
            return None
        try:
            campaign = recall_from_alert(
                ledger,
                a.alert_id,
                reason=self.reason.text().strip() or None,
                hazard=self.hazard.currentData(),
                by=self.session.operator,
            )
        except TracerError as exc:
            self.message.setText(str(exc))
            return None
        self.message.setText("")
        self.session.events_added.emit(None)
        self.refresh()
        self.recalled.emit(campaign)
        self.session.campaign_opened.emit(campaign)
        return campaign
