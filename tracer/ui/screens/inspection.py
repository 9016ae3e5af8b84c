"""Placeholder while the screen is built."""

from __future__ import annotations

from tracer.ui.qt import QLabel, QVBoxLayout, QWidget
from tracer.ui.session import Session
from tracer.ui.widgets import Screen


class InspectionScreen(Screen):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.label = QLabel()
        QVBoxLayout(self).addWidget(self.label)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Coming soon"))
