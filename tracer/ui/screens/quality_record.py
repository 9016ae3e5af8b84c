"""The quality record of a producer, product or supplier: pass rates against the target line.

Draws `quality.records.quality_record` (inspection and spot-check pass rates
against the 92 % goal, signals, flagged supplier lots, recalls, history) and
exports it with `quality.record_export.write_record` (XLSX or PDF) as an
operation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracer.errors import TracerError
from tracer.ledger import masterdata
from tracer.quality.record_export import write_record
from tracer.quality.records import SCOPES, QualityRecord, Rate, quality_record
from tracer.ui.names import localized
from tracer.ui.operations import Operation, Progress
from tracer.ui.qt import (
    QColor,
    QComboBox,
    QEvent,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPainter,
    QPen,
    QPushButton,
    QSize,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.widgets import GREEN, GREY, RED, data_label


class RateBar(QWidget):
    """A pass rate as a bar, green at or above the target, red below; the target as a line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rate: float | None = None
        self.target = 0.92
        self.setMinimumSize(QSize(240, 22))

    def set_rate(self, rate: float | None, target: float) -> None:
        self.rate, self.target = rate, target
        self.update()

    def paintEvent(self, _event: Any) -> None:
        p = QPainter(self)
        w, h = self.width() - 2, self.height() - 2
        p.setPen(QColor(GREY))
        p.setBrush(QColor("#eef0f3"))
        p.drawRect(1, 1, w, h)
        if self.rate is not None:
            color = GREEN if self.rate >= self.target else RED
            p.setBrush(QColor(color))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawRect(1, 1, int(w * self.rate), h)
        pen = QPen(QColor("#222222"))
        pen.setWidth(2)
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        x = 1 + int(w * self.target)
        p.drawLine(x, 0, x, h + 2)
        p.end()


def pct(r: Rate) -> str:
    return "—" if r.rate is None else f"{r.rate:.1%} ({r.passed}/{r.done})"


class RecordPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.record: QualityRecord | None = None
        self.scope = QComboBox()
        self.scope.setProperty("vocab", True)
        for s in SCOPES:
            self.scope.addItem("", s)
        self.scope.setCurrentIndex(SCOPES.index("product"))
        self.scope.currentIndexChanged.connect(lambda _i: self.fill_keys())
        self.key = QComboBox()
        self.key.setEditable(True)
        self.key.setMinimumWidth(320)
        self.show_button = QPushButton()
        self.show_button.clicked.connect(lambda: self.show_record())
        self.xlsx_button = QPushButton()
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button = QPushButton()
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(self.key, 1)
        top.addWidget(self.show_button)
        top.addStretch(1)
        top.addWidget(self.xlsx_button)
        top.addWidget(self.pdf_button)
        self.name = data_label(bold=True, size=13)
        self.labels = [QLabel() for _ in range(2)]
        self.values = [data_label() for _ in range(2)]
        self.bars = [RateBar() for _ in range(2)]
        self.target_label = QLabel()
        self.counts = data_label()
        self.counts.setWordWrap(True)
        self.message = QLabel()
        self.message.setProperty("data", True)
        self.message.setStyleSheet(f"color: {RED}")
        self.history = QTableWidget(0, 4)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.name)
        for label, bar, value in zip(self.labels, self.bars, self.values, strict=True):
            row = QHBoxLayout()
            label.setMinimumWidth(180)
            row.addWidget(label)
            row.addWidget(bar, 1)
            row.addWidget(value)
            layout.addLayout(row)
        layout.addWidget(self.target_label)
        layout.addWidget(self.counts)
        layout.addWidget(self.history, 1)
        self.retranslate()
        self.fill_keys()

    def retranslate(self) -> None:
        scopes = {"producer": self.tr("Producer"), "product": self.tr("Product"), "supplier": self.tr("Supplier")}  # fmt: skip
        for i in range(self.scope.count()):
            self.scope.setItemText(i, scopes[self.scope.itemData(i)])
        self.show_button.setText(self.tr("Show record"))
        self.xlsx_button.setText(self.tr("Export XLSX…"))
        self.pdf_button.setText(self.tr("Export PDF…"))
        self.labels[0].setText(self.tr("Inspection pass rate"))
        self.labels[1].setText(self.tr("Spot-check pass rate"))
        self.history.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("What"), self.tr("Subject"), self.tr("Outcome")]
        )
        self.key.lineEdit().setPlaceholderText(self.tr("GTIN or GLN"))
        self._fill()

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def fill_keys(self) -> None:
        self.key.clear()
        ledger = self.session.ledger
        if ledger is None:
            return
        if self.scope.currentData() == "product":
            for p in masterdata.products(ledger):
                self.key.addItem(f"{localized(p.name, p.name_zh)} ({p.gtin})", p.gtin)
        else:
            for party in masterdata.parties(ledger):
                self.key.addItem(f"{localized(party.name, party.name_zh)} ({party.gln})", party.gln)

    def key_value(self) -> str:
        text = self.key.currentText().strip()
        data = self.key.currentData()
        if data and text == self.key.itemText(self.key.currentIndex()):
            return str(data)
        return text

    def show_record(self) -> QualityRecord | None:
        ledger = self.session.ledger
        if ledger is None:
            return None
        try:
            self.record = quality_record(ledger, self.scope.currentData(), self.key_value())
        except TracerError as exc:
            self.message.setText(str(exc))
            self.record = None
        else:
            self.message.setText("")
        self._fill()
        return self.record

    def _fill(self) -> None:
        rec = self.record
        for b in (self.xlsx_button, self.pdf_button):
            b.setEnabled(rec is not None)
        target = rec.target if rec else 0.92
        self.target_label.setText(
            self.tr("Dashed line: the {target} pass-rate target").format(target=f"{target:.0%}")
        )
        if rec is None:
            self.name.setText("")
            self.counts.setText("")
            for bar, value in zip(self.bars, self.values, strict=True):
                bar.set_rate(None, target)
                value.setText("")
            self.history.setRowCount(0)
            return
        self.name.setText(f"{localized(rec.name, rec.name_zh)} · {rec.key}")
        for bar, value, rate in zip(
            self.bars, self.values, (rec.inspections, rec.spot_checks), strict=True
        ):
            bar.set_rate(rate.rate, rec.target)
            value.setText(pct(rate))
        self.counts.setText(
            self.tr(
                "{lots} lots · {signals} signals · {flagged} flagged supplier lots · "
                "{recalls} recalls · acknowledged on time {ack}"
            ).format(
                lots=len(rec.lots), signals=len(rec.signals), flagged=len(rec.flagged_inputs),
                recalls=len(rec.recalls), ack=pct(rec.acknowledgements),
            )
        )  # fmt: skip
        self.history.setRowCount(len(rec.history))
        for r, h in enumerate(rec.history):
            for c, v in enumerate((h.day, h.kind, h.subject, f"{h.text} {h.outcome}".strip())):
                self.history.setItem(r, c, QTableWidgetItem(v))
        self.history.resizeColumnsToContents()

    def export(self, fmt: str, path: str | None = None) -> Operation | None:
        rec = self.record
        if rec is None:
            return None
        if path is None:
            name = f"quality-record-{rec.key}.{fmt}"
            filters = self.tr("Excel (*.xlsx)") if fmt == "xlsx" else self.tr("PDF (*.pdf)")
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export quality record"), name, filters
            )
            if not path:
                return None
        target = Path(path)

        def work(_p: Progress) -> Path:
            return write_record(rec, target)

        def done(out: Path) -> None:
            self.message.setText(self.tr("Written: {path}").format(path=out))

        return self.session.runner.run(
            Operation(self.tr("Exporting quality record"), work, on_done=done)
        )
