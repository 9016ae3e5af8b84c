"""Content-addressed files inside a PostgreSQL ledger (signal photos, lab reports).

An SQLite ledger keeps such files in a folder beside its file
(`tracer.quality.attachments`); a server ledger has no folder the stations
share, so the bytes go into the database, keyed by their sha256. A row is
only ever inserted (the same file twice is stored once) and the digest is
checked again when the file is read, so a changed row is found, as a
changed file in the folder is. The table has its own version track
("files") and is created the first time a file is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg

from tracer.ledger.postgres.connect import explain
from tracer.ledger.schema import Migration

if TYPE_CHECKING:
    from tracer.ledger.postgres.ledger import PgLedger

FILES_COMPONENT = "files"
FILES_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "content-addressed files (signal attachments)",
        """
CREATE TABLE ledger_files (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    data BYTEA NOT NULL
);
CREATE TRIGGER ledger_files_no_update BEFORE UPDATE ON ledger_files
    FOR EACH ROW EXECUTE FUNCTION tracer_append_only();
CREATE TRIGGER ledger_files_no_delete BEFORE DELETE ON ledger_files
    FOR EACH ROW EXECUTE FUNCTION tracer_append_only();
""",
    ),
)


def put_file(ledger: PgLedger, sha256: str, data: bytes) -> None:
    """Store the bytes under their digest (once; a second copy is a no-op)."""
    ledger.migrate(FILES_COMPONENT, FILES_MIGRATIONS)
    with ledger._lock:
        try:
            ledger.pg.execute(
                "INSERT INTO ledger_files (sha256, size, data) VALUES (%s, %s, %s) "
                "ON CONFLICT (sha256) DO NOTHING",
                (sha256, len(data), data),
            )
        except psycopg.Error as exc:
            raise explain(exc, ledger.url) from exc


def file_digests(ledger: PgLedger) -> set[str]:
    """The digests of every stored file (none when no file was ever stored)."""
    with ledger._lock:
        conn = ledger.pg
        try:
            found = conn.execute("SELECT to_regclass('ledger_files')").fetchone()
            if not found or found[0] is None:
                return set()
            return {r[0] for r in conn.execute("SELECT sha256 FROM ledger_files")}
        except psycopg.Error as exc:
            raise explain(exc, ledger.url) from exc


def get_file(ledger: PgLedger, sha256: str) -> bytes | None:
    """The stored bytes, or None when the ledger has no such file (or no files yet)."""
    with ledger._lock:
        conn = ledger.pg
        try:
            found = conn.execute("SELECT to_regclass('ledger_files')").fetchone()
            if not found or found[0] is None:
                return None
            row = conn.execute(
                "SELECT data FROM ledger_files WHERE sha256 = %s", (sha256,)
            ).fetchone()
        except psycopg.Error as exc:
            raise explain(exc, ledger.url) from exc
    return bytes(row[0]) if row else None
