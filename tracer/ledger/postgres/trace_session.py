"""The trace's statements on PostgreSQL: the counterpart of `recall.dialect.SqliteSession`.

The trace (`tracer.recall.closure`) is standard SQL with `?` placeholders
and TEMP tables; this session runs it on the PostgreSQL ledger's connection
in one REPEATABLE READ snapshot, so appends by stations during a trace
cannot make its steps disagree. The transaction is READ WRITE explicitly
(even on a read-only open) because it fills the session's TEMP tables;
the ledger's own tables stay untouched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from tracer.ledger.postgres.portable import PortableConnection, PortableCursor


class PgTraceSession:
    placeholder = "?"

    def __init__(self, conn: PortableConnection) -> None:
        self.conn = conn

    @contextmanager
    def snapshot(self) -> Iterator[PgTraceSession]:
        raw = self.conn.raw
        began = raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        if began:
            raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE")
        try:
            yield self
        except BaseException:
            if began:
                raw.execute("ROLLBACK")
            raise
        else:
            if began:
                raw.execute("COMMIT")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PortableCursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> None:
        self.conn.executemany(sql, list(rows))

    def script(self, statements: tuple[str, ...]) -> None:
        for statement in statements:
            self.conn.execute(statement)
