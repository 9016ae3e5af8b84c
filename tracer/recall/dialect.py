"""The SQLite-specific corner of the trace, kept in one place.

Every query of `tracer.recall.closure` is standard SQL (WITH RECURSIVE,
TEMP tables, ON CONFLICT DO NOTHING) that PostgreSQL also runs. What is
SQLite's own lives here: a planner switch and how a read snapshot is begun.
A PostgreSQL backend supplies another `TraceSession` with the same methods
(`tracer.ledger.postgres.trace_session`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class SqliteSession:
    """Runs the trace's statements on one sqlite3 connection, in one snapshot."""

    placeholder = "?"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @contextmanager
    def snapshot(self) -> Iterator[SqliteSession]:
        """One read transaction for the whole trace, so concurrent appends cannot
        make the lot closure and the event fetch disagree.

        SQLite's planner, with no ANALYZE statistics in the ledger, likes to build
        an automatic index over the whole identifiers table inside recursive
        steps; on a 10M-event ledger that turns milliseconds into minutes, so it
        is switched off for the trace and restored after.
        """
        conn = self.conn
        previous = conn.execute("PRAGMA automatic_index").fetchone()[0]
        conn.execute("PRAGMA automatic_index = OFF")
        began = not conn.in_transaction
        if began:
            conn.execute("BEGIN")
        try:
            yield self
        finally:
            if began and conn.in_transaction:
                conn.execute("COMMIT")
            conn.execute(f"PRAGMA automatic_index = {int(previous)}")

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> None:
        self.conn.executemany(sql, rows)

    def script(self, statements: tuple[str, ...]) -> None:
        for statement in statements:
            self.conn.execute(statement)

    def analyze(self, *tables: str) -> None:
        """Nothing to do here: the trace's joins are written in the order SQLite keeps
        (``CROSS JOIN``), so it needs no row counts of the TEMP tables. A planner that
        chooses the join order from statistics (PostgreSQL) refreshes them here."""
