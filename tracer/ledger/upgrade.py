"""Upgrading an older ledger file before it is opened: what is pending, and doing it.

A migration that builds an index reads every event once: about a minute or
two on a 10M-event ledger. `Ledger.open` would do it silently on the caller's
thread; the desktop app asks `pending_upgrade` first and runs `upgrade` as
long work with a progress strip and a Cancel that rolls the step back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from tracer.errors import LedgerError
from tracer.ledger.connection import (
    connect,
    current_version,
    ensure_tracer_ledger,
    explain,
    migrate,
)
from tracer.ledger.schema import LEDGER_MIGRATIONS, Migration

CHECK_EVERY = 100_000  # SQLite virtual-machine steps between looks at the Cancel flag


class UpgradeCancelled(LedgerError):
    """The user stopped the upgrade; the step in progress was rolled back."""


def pending_upgrade(path: str | Path) -> list[Migration]:
    """The ledger migrations the file lacks (none for a new, missing or foreign file)."""
    file = Path(path)
    if not file.exists() or file.stat().st_size == 0:
        return []
    try:
        conn = connect(file, readonly=True)
    except LedgerError:
        return []  # opening it for real gives the plain error
    try:
        if not ensure_tracer_ledger(conn, file):
            return []
        have = current_version(conn, "ledger")
    except (LedgerError, sqlite3.Error):
        return []
    finally:
        conn.close()
    return [m for m in LEDGER_MIGRATIONS if m.version > have]


def upgrade(
    path: str | Path,
    *,
    stop: Callable[[], bool] | None = None,
    check_every: int = CHECK_EVERY,
) -> list[Migration]:
    """Apply the pending migrations; `stop()` returning True cancels (rolled back)."""
    file = Path(path)
    steps = pending_upgrade(file)
    if not steps:
        return []
    conn = connect(file)
    try:
        if stop is not None:
            conn.set_progress_handler(lambda: 1 if stop() else 0, check_every)
        try:
            migrate(conn, "ledger", LEDGER_MIGRATIONS, file)
        except (LedgerError, sqlite3.Error) as exc:
            if stop is not None and stop():
                raise UpgradeCancelled(
                    f"upgrade of {file} cancelled; the file is as it was"
                ) from None
            if isinstance(exc, sqlite3.Error):
                raise explain(exc, file) from exc
            raise
    finally:
        conn.close()
    return steps
