"""Open a recall campaign from a forward trace: reason, hazard, remedy, instructions."""

from __future__ import annotations

from typing import Any

from tracer.errors import TracerError
from tracer.recall import TraceGraph, open_campaign
from tracer.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.widgets import RED, data_label

HAZARDS = ("high", "medium", "low")
REMEDIES = ("return", "destroy", "repair")


class OpenRecallDialog(QDialog):
    def __init__(self, session: Session, graph: TraceGraph, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.graph = graph
        self.campaign: Any = None
        self.scope = data_label()
        self.scope.setWordWrap(True)
        self.reason = QLineEdit()
        self.hazard = QComboBox()
        self.hazard.setProperty("vocab", True)
        for h in HAZARDS:
            self.hazard.addItem("", h)
        self.remedy = QComboBox()
        self.remedy.setProperty("vocab", True)
        for r in REMEDIES:
            self.remedy.addItem("", r)
        self.instructions = QPlainTextEdit()
        self.instructions.setMinimumHeight(90)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED}")
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(4)]
        for label, w in zip(
            self.labels, (self.reason, self.hazard, self.remedy, self.instructions), strict=True
        ):
            self.form.addRow(label, w)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Open recall campaign"))
        retail = sum(1 for t in self.graph.locations.values() if t.is_retail)
        self.scope.setText(
            self.tr(
                "{start}: {lots} affected lots, {shops} retailers. Every place that received them becomes a target."
            ).format(start=self.graph.start, lots=len(self.graph.lots), shops=retail)
        )
        for label, text in zip(
            self.labels, (self.tr("Defect found"), self.tr("Hazard"), self.tr("Remedy"), self.tr("Instructions to retailers")),
            strict=True,
        ):  # fmt: skip
            label.setText(text)
        hazards = {"high": self.tr("high"), "medium": self.tr("medium"), "low": self.tr("low")}
        for i in range(self.hazard.count()):
            self.hazard.setItemText(i, hazards[self.hazard.itemData(i)])
        remedies = {
            "return": self.tr("return to us"),
            "destroy": self.tr("destroy on site"),
            "repair": self.tr("repair"),
        }
        for i in range(self.remedy.count()):
            self.remedy.setItemText(i, remedies[self.remedy.itemData(i)])
        self.reason.setPlaceholderText(self.tr("e.g. small parts detach: choking hazard"))
        self.instructions.setPlaceholderText(
            self.tr("Stop selling at once; keep the goods apart; call the number below.")
        )

    def submit(self) -> None:
        ledger = self.session.ledger
        if ledger is None:
            return
        try:
            self.campaign = open_campaign(
                ledger,
                self.graph.start,
                reason=self.reason.text(),
                hazard=self.hazard.currentData(),
                action=self.remedy.currentData(),
                instructions=self.instructions.toPlainText() or self.instructions.placeholderText(),
                opened_by=self.session.operator,
            )
        except TracerError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
