"""Correct an event: edit it as it should have been; OK writes an errorDeclaration
and the corrective event through `tracer.ledger.corrections.correct_event`."""

from __future__ import annotations

import json
from typing import Any

from tracer.errors import TracerError
from tracer.ledger.codec import event_from_epcis, event_to_epcis
from tracer.ledger.corrections import DID_NOT_OCCUR, INCORRECT_DATA, correct_event
from tracer.ui.event_source import Row
from tracer.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.widgets import mono_font


class CorrectionDialog(QDialog):
    """Edit the event as it should have been; OK writes declaration + corrective event."""

    def __init__(self, session: Session, row: Row, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.row = row
        self.result_: Any = None
        doc = event_to_epcis(row.stored.event, with_id=False)
        doc.pop("recordTime", None)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.addItem("", INCORRECT_DATA)
        self.reason.addItem("", DID_NOT_OCCUR)
        self.reason.currentIndexChanged.connect(self._reason_changed)
        self.editor = QPlainTextEdit(json.dumps(doc, ensure_ascii=False, indent=2))
        self.editor.setFont(mono_font())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.reason_label = QLabel()
        form = QHBoxLayout()
        form.addWidget(self.reason_label)
        form.addWidget(self.reason, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(720, 640)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Correct event {seq}").format(seq=self.row.seq))
        self.intro.setText(
            self.tr(
                "The ledger never changes a recorded event. Fix the event below as it should "
                "have been; tracer records an error declaration for the original and the "
                "corrected event, signed with your name."
            )
        )
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setItemText(0, self.tr("Incorrect data: record the corrected event"))
        self.reason.setItemText(1, self.tr("Did not occur: cancel the event only"))

    def _reason_changed(self) -> None:
        self.editor.setEnabled(self.reason.currentData() == INCORRECT_DATA)

    def submit(self) -> None:
        from tracer.demo.build import canonical_stamp

        ledger = self.session.ledger
        assert ledger is not None
        reason = self.reason.currentData()
        corrected = None
        if reason == INCORRECT_DATA:
            try:
                corrected = event_from_epcis(json.loads(self.editor.toPlainText()))
            except (ValueError, KeyError, TypeError) as exc:
                self.message.setText(
                    self.tr("The event is not valid EPCIS JSON: {error}").format(error=exc)
                )
                return
        try:
            self.result_ = correct_event(
                ledger,
                self.row.seq,
                corrected,
                stamp=canonical_stamp(),
                reason=reason,
                operator=self.session.operator,
            )
        except TracerError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
