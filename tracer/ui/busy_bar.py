"""A busy strip for a view whose data is read off the UI thread: "Loading…" + Cancel.

Shown above the ledger browser's table while a page is read on the pool
(`tracer.ui.event_model`), and after Cancel to say the list may be incomplete.
"""

from __future__ import annotations

from typing import Any

from tracer.ui.qt import QEvent, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class BusyBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: a single query has no steps to count
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(12)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.cancel)
        self._loading = self._stopped = False
        self.retranslate()
        self.hide()

    def show_state(self, loading: bool, stopped: bool) -> None:
        """Loading: spinner, text and Cancel; stopped: only the text; else hidden."""
        self._loading, self._stopped = loading, stopped
        self.setVisible(loading or stopped)
        self.bar.setVisible(loading)
        self.cancel.setVisible(loading)
        self.label.setText(
            self.tr("Loading events…")
            if loading
            else self.tr("Stopped: more events may match. Press Filter to search again.")
        )

    def retranslate(self) -> None:
        self.cancel.setText(self.tr("Cancel"))
        self.show_state(self._loading, self._stopped)

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
