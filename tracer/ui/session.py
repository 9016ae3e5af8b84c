"""What every screen shares: the open ledger, the signed-in operator, settings, the runner.

One `Session` object is handed to each screen instead of globals, so a test
builds one around a temporary ledger and a synchronous pool and drives the
real widgets.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tracer.errors import LedgerError
from tracer.ledger.backend import LedgerBackend, open_ledger
from tracer.ui.operations import OperationRunner, Pool
from tracer.ui.qt import QObject, QSettings, Signal


class UserSettings:
    """QSettings with a group per operator: each clerk keeps language, station, layout."""

    def __init__(self, settings: QSettings) -> None:
        self.qsettings = settings

    def _key(self, user: str | None, key: str) -> str:
        return f"users/{_safe(user)}/{key}" if user else f"global/{key}"

    def get(self, key: str, default: Any = None, *, user: str | None = None) -> Any:
        value = self.qsettings.value(self._key(user, key), default)
        return default if value is None else value

    def set(self, key: str, value: Any, *, user: str | None = None) -> None:
        self.qsettings.setValue(self._key(user, key), value)
        self.qsettings.sync()


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else f"_{ord(c):x}" for c in name)


class Session(QObject):
    """The shared state of one window; signals tell screens what changed."""

    ledger_changed = Signal()  # a different ledger was opened
    events_added = Signal(object)  # AppendResult: new events in the open ledger
    masterdata_changed = Signal()  # products, lots, places, stations or operators changed
    operator_changed = Signal(str)
    open_recall = Signal(object)  # a lot key (gtin, lot) handed to the trace screen
    campaign_opened = Signal(str)  # a campaign id: show it on the campaign screen

    def __init__(
        self,
        ledger: LedgerBackend | None,
        settings: UserSettings,
        pool: Pool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.settings = settings
        self.runner = OperationRunner(pool, self)
        self.operator: str | None = None
        self._bridge: Any = None

    def bridge(self) -> Any:
        """The one ScanBridge (devices → window), started on first use."""
        if self._bridge is None:
            from tracer.ui.scan_bridge import ScanBridge

            self._bridge = ScanBridge(self)
        return self._bridge

    def shutdown(self) -> None:
        if self._bridge is not None:
            self._bridge.shutdown()
            self._bridge = None

    @property
    def ledger_path(self) -> Path | None:
        """The open SQLite file; None for a server ledger (no folder to start dialogs in)."""
        path = self.ledger.path if self.ledger else None
        return path if isinstance(path, Path) else None

    @property
    def ledger_location(self) -> str | None:
        """What reopens the open ledger: a file path, or the server URL (with its password)."""
        if self.ledger is None:
            return None
        return str(getattr(self.ledger, "url", None) or self.ledger.path)

    def set_ledger(self, ledger: LedgerBackend | None) -> None:
        old = self.ledger
        if self._bridge is not None:
            self._bridge.set_recorder(None)  # nothing more is written to the old ledger
        self.ledger = ledger
        if old is not None and old is not ledger:
            old.close()
        if ledger is not None:
            # the URL is remembered without its password: ~/.pgpass or $PGPASSWORD supply it
            self.settings.set("last_ledger", str(ledger.path))
        self.ledger_changed.emit()

    @contextlib.contextmanager
    def reading(self) -> Iterator[LedgerBackend]:
        """A separate read-only connection for long reads on a worker thread (traces,
        counts, exports), so they never hold the shared connection's lock while the
        scan writer needs it. WAL (or PostgreSQL's MVCC) lets both run at once."""
        ledger = self.ledger
        if ledger is None:
            raise LedgerError("no ledger is open")
        location = self.ledger_location
        assert location is not None
        reader = open_ledger(location, readonly=True)
        try:
            yield reader
        finally:
            reader.close()

    def sign_in(self, name: str | None) -> None:
        self.operator = name or None
        if name:
            self.settings.set("last_operator", name)
        self.operator_changed.emit(name or "")

    def user_get(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default, user=self.operator)

    def user_set(self, key: str, value: Any) -> None:
        self.settings.set(key, value, user=self.operator)
