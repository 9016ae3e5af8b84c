"""Opening a ledger file safely: pragmas, identity check, migrations, plain errors."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from tracer.errors import LedgerError, SchemaVersionError
from tracer.ledger.schema import APPLICATION_ID, LEDGER_MIGRATIONS, Migration

BUSY_TIMEOUT_MS = 5000


def explain(exc: sqlite3.Error, path: Path | str) -> LedgerError:
    """Turn an sqlite3 error into a message a clerk can act on."""
    text = str(exc).lower()
    if "full" in text:
        return LedgerError(
            f"the disk holding {path} is full: nothing from this batch was written "
            "(it was rolled back); free some space and try again"
        )
    if "locked" in text or "busy" in text:
        return LedgerError(
            f"{path} is locked by another tracer process that is writing to it; "
            "close the other program or wait and try again"
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return LedgerError(
            f"cannot write to {path}: the file or its folder is read-only or missing "
            "(check permissions, or choose another location with --ledger)"
        )
    if "not a database" in text or "malformed" in text:
        return LedgerError(f"{path} is not a tracer ledger (it is not an SQLite database)")
    if "append-only" in text:
        return LedgerError(str(exc))
    return LedgerError(f"ledger {path}: {exc}")


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if not readonly:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(f"cannot create the folder for {path}: {exc.strerror}") from exc
        if path.exists() and not os.access(path, os.W_OK):
            raise LedgerError(f"cannot write to {path}: the file is read-only")
        if not path.exists() and not os.access(path.parent, os.W_OK):
            raise LedgerError(f"cannot create {path}: the folder {path.parent} is read-only")
    elif not path.exists():
        raise LedgerError(f"no ledger at {path}")
    uri = f"file:{path}?mode={'ro' if readonly else 'rwc'}"
    try:
        conn = sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=5.0
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise LedgerError(f"{path}: could not switch the ledger to WAL mode ({mode})")
        # FULL: an acknowledged scan survives a power cut, not only a crash
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA temp_store = MEMORY")
    except sqlite3.Error as exc:
        raise explain(exc, path) from exc
    return conn


def ensure_tracer_ledger(conn: sqlite3.Connection, path: Path) -> bool:
    """True when the file is already a tracer ledger, False when empty (new)."""
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as exc:
        raise explain(exc, path) from exc
    if not tables:
        return False
    if "tracer_meta" not in tables:
        raise LedgerError(
            f"{path} is an SQLite database but not a tracer ledger "
            f"(it has tables {', '.join(sorted(tables)[:5])}); choose another file"
        )
    row = conn.execute("SELECT value FROM tracer_meta WHERE key='application'").fetchone()
    if not row or row[0] != APPLICATION_ID:
        raise LedgerError(f"{path} is not a tracer ledger")
    return True


def _bootstrap(conn: sqlite3.Connection) -> None:
    conn.executescript(
        f"""
BEGIN;
CREATE TABLE IF NOT EXISTS tracer_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
INSERT OR IGNORE INTO tracer_meta VALUES ('application', '{APPLICATION_ID}');
COMMIT;
"""
    )


def current_version(conn: sqlite3.Connection, component: str) -> int:
    row = conn.execute(
        "SELECT version FROM schema_versions WHERE component = ?", (component,)
    ).fetchone()
    return int(row[0]) if row else 0


def migrate(
    conn: sqlite3.Connection, component: str, migrations: Iterable[Migration], path: Path
) -> int:
    """Apply the migrations the file lacks; refuse a file from a newer tracer."""
    steps = sorted(migrations, key=lambda m: m.version)
    known = steps[-1].version if steps else 0
    have = current_version(conn, component)
    if have > known:
        raise SchemaVersionError(
            f"{path} was written by a newer tracer: its '{component}' schema is version "
            f"{have}, this tracer knows up to version {known}; upgrade tracer to open it"
        )
    for m in steps:
        if m.version <= have:
            continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in _split(m.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_versions VALUES (?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                (component, m.version),
            )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:  # an interrupted statement may have ended it already
                conn.execute("ROLLBACK")
            raise explain(exc, path) from exc
    return max(have, known)


def _split(sql: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def open_ledger_connection(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    conn = connect(path, readonly=readonly)
    try:
        existed = ensure_tracer_ledger(conn, path)
        if readonly:
            if not existed:
                raise LedgerError(f"{path} is empty: not a tracer ledger")
            have = current_version(conn, "ledger")
            if have > LEDGER_MIGRATIONS[-1].version:
                raise SchemaVersionError(
                    f"{path} was written by a newer tracer: schema version {have}, "
                    f"this tracer knows up to {LEDGER_MIGRATIONS[-1].version}"
                )
            return conn
        if not existed:
            _bootstrap(conn)
        migrate(conn, "ledger", LEDGER_MIGRATIONS, path)
    except BaseException:
        conn.close()
        raise
    return conn
