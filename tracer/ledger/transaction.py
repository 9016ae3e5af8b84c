"""Several appends that become durable together: one transaction, all or nothing.

`Ledger.append` commits each batch. An import of a document too big to hold
in memory is written in batches, yet must land whole or not at all: a crash,
a kill or an error half-way must leave the ledger as it was. `one_transaction`
opens one write transaction and hands out a `Transaction` whose appends join
it; the rows become durable (and visible to other connections) at its single
final COMMIT (WAL, synchronous=FULL), and an exception out of the block rolls
everything back. Memory stays bounded: SQLite spills the transaction's dirty
pages to the WAL as its page cache fills.

Each append runs under a SAVEPOINT, so one that fails leaves the transaction
as it was before that batch (a caller may catch the error and stop cleanly).
The ledger's lock is held for the whole block: writes of other threads on the
same `Ledger` wait for the end; readers on other connections (WAL) go on and
see the ledger as it was before.

A PostgreSQL ledger (`PgLedger`) does the same in one server transaction
(`tracer.ledger.postgres.transaction`), holding the chain lock throughout.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tracer.errors import LedgerError
from tracer.ledger.connection import explain
from tracer.ledger.gcpause import gc_paused
from tracer.ledger.ledger import AppendResult, Ledger
from tracer.ledger.rows import PreparedEvent, prepare_event
from tracer.model import Event

if TYPE_CHECKING:
    from tracer.ledger.postgres.transaction import PgTransaction


class Transaction:
    """The appends of one `one_transaction` block (use only inside it)."""

    def __init__(self, ledger: Ledger, conn: sqlite3.Connection, record_time: datetime) -> None:
        self._ledger = ledger
        self._conn = conn
        self.record_time = record_time
        self.open = True
        self.added = 0
        self.skipped = 0

    def append_prepared(
        self,
        prepared: Sequence[PreparedEvent],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> AppendResult:
        """`Ledger.append_prepared` inside the transaction (not durable until its end)."""
        if not self.open:
            raise LedgerError("the transaction is over")
        if not prepared:
            return AppendResult()
        conn = self._conn
        conn.execute("SAVEPOINT tracer_batch")
        try:
            with gc_paused():
                result = self._ledger._append_locked(conn, prepared, self.record_time)
            conn.execute("RELEASE tracer_batch")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO tracer_batch")
                conn.execute("RELEASE tracer_batch")
            if isinstance(exc, sqlite3.Error):
                raise explain(exc, self._ledger.path) from exc
            raise
        self.added += result.count
        self.skipped += result.skipped
        if progress:
            progress(len(prepared))
        return result

    def prepare(self, event: Event) -> PreparedEvent:
        """An event's rows, built before the append (cf. `PgTransaction.prepare`)."""
        return prepare_event(event)

    def append(self, events: Sequence[Event]) -> AppendResult:
        """`Ledger.append` inside the transaction."""
        with gc_paused():
            prepared = [prepare_event(e) for e in events]
        return self.append_prepared(prepared)


@contextmanager
def one_transaction(
    ledger: Any, *, record_time: datetime | None = None
) -> Iterator[Transaction | PgTransaction]:
    """One write transaction for a run of appends: committed at the end, or rolled back.

    Every row gets the same record time (the transaction's), as one `append` does.
    A server ledger (`PgLedger`) runs its own `one_transaction`.
    """
    if not isinstance(ledger, Ledger):
        if not hasattr(ledger, "one_transaction"):
            raise LedgerError(f"{ledger.path}: this ledger has no multi-batch transaction")
        with ledger.one_transaction(record_time=record_time) as pg_tx:
            yield pg_tx
        return
    if ledger.readonly:
        raise LedgerError(f"{ledger.path} is open read-only")
    with ledger._lock:
        conn = ledger.connection
        if conn.in_transaction:
            raise LedgerError(f"{ledger.path}: a transaction is already open")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise explain(exc, ledger.path) from exc
        tx = Transaction(ledger, conn, record_time or datetime.now(UTC))
        try:
            yield tx
            tx.open = False
            conn.execute("COMMIT")
        except BaseException as exc:
            tx.open = False
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise explain(exc, ledger.path) from exc
            raise
