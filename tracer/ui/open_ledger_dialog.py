"""File → Open ledger…: a file on this computer or a `postgresql://` server URL.

A clerk on a shared site types (or picks from the recent list) the server URL
the office gave them; a single station browses for its SQLite file. Both go
through `tracer.ledger.backend.open_ledger`, so every screen gets the same
`LedgerBackend` whichever it is.
"""

from __future__ import annotations

from pathlib import Path

from tracer.ledger.backend import is_server_url
from tracer.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import UserSettings

RECENT_KEY = "recent_ledgers"
RECENT_MAX = 8


def recent_ledgers(settings: UserSettings) -> list[str]:
    """Most recent first; URLs are kept without their password (see `remember_ledger`)."""
    value = settings.get(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list
        value = [value]
    return [str(v) for v in value if str(v).strip()]


def remember_ledger(settings: UserSettings, location: str) -> None:
    """Put `location` first in the recent list (a password never reaches the settings file)."""
    if is_server_url(location):
        from tracer.ledger.postgres.connect import safe_url

        location = safe_url(location)
    items = [location] + [r for r in recent_ledgers(settings) if r != location]
    settings.set(RECENT_KEY, items[:RECENT_MAX])


class OpenLedgerDialog(QDialog):
    """One field for a path or a URL, with the recent ledgers and a Browse… button."""

    def __init__(self, settings: UserSettings, start_dir: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.start_dir = start_dir
        self.location = QComboBox()
        self.location.setEditable(True)
        self.location.setMinimumWidth(460)
        self.location.addItems(recent_ledgers(settings))
        line = self.location.lineEdit()
        assert line is not None
        line.setPlaceholderText("postgresql://user@host/db   /path/to/ledger.sqlite")
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self.browse)
        self.hint = QLabel(
            self.tr(
                "A ledger file, or a PostgreSQL server: postgresql://user@host/database "
                "(the password comes from ~/.pgpass or $PGPASSWORD)."
            )
        )
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.location, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("Open ledger"))

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open ledger"),
            self.start_dir,
            self.tr("tracer ledgers (*.sqlite *.db);;All files (*)"),
        )
        if path:
            self.location.setCurrentText(path)
            self.accept()

    def chosen(self) -> str | Path | None:
        """A URL as typed, a file as a Path, or None when the field is empty."""
        text = self.location.currentText().strip()
        if not text:
            return None
        return text if is_server_url(text) else Path(text).expanduser()
