"""A DB-API face over psycopg that accepts the `?` placeholders of portable SQL.

The core's query builders (`tracer.ledger.query`) and the read queries of
higher layers are written once with `?` placeholders and standard SQL; this
lets them run unchanged on PostgreSQL. Only placeholders are translated —
SQLite-only SQL (PRAGMA, rowid, INSERT OR REPLACE) fails here, on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import psycopg


def to_pyformat(sql: str) -> str:
    """`?` -> `%s`, and a literal `%` doubled so psycopg does not read it as one."""
    return sql.replace("%", "%%").replace("?", "%s")


class PortableCursor:
    """Wraps a psycopg cursor: fetchone/fetchall/iteration as sqlite3 offers them."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()

    def fetchmany(self, size: int = 1000) -> list[tuple[Any, ...]]:
        return self._cursor.fetchmany(size)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cursor)

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self) -> Any:
        return self._cursor.description


class PortableConnection:
    """What `PgLedger.connection` returns: `execute(sql, params)` with `?` marks.

    It shares the ledger's psycopg connection (autocommit, like the SQLite
    ledger's isolation_level=None); explicit BEGIN/COMMIT work as on SQLite,
    and `BEGIN IMMEDIATE` is read as BEGIN.
    """

    backend = "postgresql"

    def __init__(self, conn: psycopg.Connection) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PortableCursor:
        text = sql.strip()
        if text.upper() in ("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "BEGIN DEFERRED"):
            text = "BEGIN"
        cur = self.raw.cursor()
        if params:
            cur.execute(to_pyformat(text), list(params))  # type: ignore[arg-type]
        else:
            cur.execute(text.encode())
        return PortableCursor(cur)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.raw.cursor() as cur:
            cur.executemany(to_pyformat(sql), rows)  # type: ignore[arg-type]

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()
