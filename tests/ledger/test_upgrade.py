"""An older ledger is upgraded before use, and the upgrade can be cancelled without harm."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tracer.ledger import Ledger
from tracer.ledger.connection import current_version
from tracer.ledger.schema import LEDGER_MIGRATIONS
from tracer.ledger.upgrade import UpgradeCancelled, pending_upgrade, upgrade

LATEST = LEDGER_MIGRATIONS[-1].version


def _as_version_1(src: Path, dst: Path) -> Path:
    """The demo ledger as tracer's schema version 1 wrote it (migration 2's indexes gone)."""
    shutil.copy(src, dst)
    conn = sqlite3.connect(dst, isolation_level=None)
    conn.execute("DROP INDEX IF EXISTS events_read_point")
    conn.execute("DROP INDEX IF EXISTS events_operator")
    conn.execute("UPDATE schema_versions SET version = 1 WHERE component = 'ledger'")
    conn.close()
    return dst


def _indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        conn.close()


def test_pending_then_upgraded(demo_ledger_path: Path, tmp_path: Path) -> None:
    old = _as_version_1(demo_ledger_path, tmp_path / "old.sqlite")
    assert [m.version for m in pending_upgrade(old)] == list(range(2, LATEST + 1))
    done = upgrade(old)
    assert [m.version for m in done] == list(range(2, LATEST + 1))
    assert pending_upgrade(old) == []
    assert {"events_read_point", "events_operator"} <= _indexes(old)
    with Ledger.open(old, readonly=True) as ledger:
        assert current_version(ledger.connection, "ledger") == LATEST


def test_cancel_leaves_the_file_as_it_was(demo_ledger_path: Path, tmp_path: Path) -> None:
    old = _as_version_1(demo_ledger_path, tmp_path / "old.sqlite")
    with pytest.raises(UpgradeCancelled, match="cancelled"):
        upgrade(old, stop=lambda: True, check_every=10)
    assert [m.version for m in pending_upgrade(old)] == list(range(2, LATEST + 1))
    assert "events_read_point" not in _indexes(old)
    with Ledger.open(old) as ledger:  # and it still opens (upgrading then)
        assert ledger.count() > 0


def test_nothing_pending_for_new_missing_or_foreign_files(tmp_path: Path) -> None:
    assert pending_upgrade(tmp_path / "missing.sqlite") == []
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    assert pending_upgrade(foreign) == []
    with Ledger.open(tmp_path / "new.sqlite"):
        pass
    assert pending_upgrade(tmp_path / "new.sqlite") == []
