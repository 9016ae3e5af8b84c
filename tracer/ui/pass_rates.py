"""Inspection pass rates by product, line (station) or month, from `tracer.quality.inspection`."""

from __future__ import annotations

from typing import Any

from tracer.quality.inspection import pass_rates
from tracer.ui.names import NameBook
from tracer.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QEvent,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class PassRatesBox(QGroupBox):
    def __init__(self, session: Session, names: NameBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.names = names
        self.by = QComboBox()
        self.by.setProperty("vocab", True)
        for key in ("product", "station", "month"):
            self.by.addItem("", key)
        self.by.currentIndexChanged.connect(self.refresh)
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.by_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.by_label)
        top.addWidget(self.by, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.retranslate()
        self.refresh()

    def refresh(self) -> None:
        ledger = self.session.ledger
        by = self.by.currentData() or "product"
        rows = pass_rates(ledger, by=by) if ledger else []
        self.table.setRowCount(len(rows))
        for r, rate in enumerate(rows):
            label = self.names.product(rate.key) if by == "product" else ""
            cells = [QTableWidgetItem(f"{label} · {rate.key}" if label else rate.key),
                     QTableWidgetItem(str(rate.inspected)), QTableWidgetItem(str(rate.passed)),
                     QTableWidgetItem(f"{rate.rate:.1%}")]  # fmt: skip
            for c, item in enumerate(cells):
                if c:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(r, c, item)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Pass rates"))
        self.by_label.setText(self.tr("By"))
        names = {
            "product": self.tr("product"),
            "station": self.tr("line / station"),
            "month": self.tr("month"),
        }
        for i in range(self.by.count()):
            self.by.setItemText(i, names[self.by.itemData(i)])
        self.table.setHorizontalHeaderLabels(
            [self.tr("Group"), self.tr("Inspected"), self.tr("Passed"), self.tr("Rate")]
        )

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
