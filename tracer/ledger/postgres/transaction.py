"""Several appends to a PostgreSQL ledger that land together: one transaction.

The PostgreSQL side of `tracer.ledger.transaction.one_transaction`: an import
of a document too big to hold in memory is written in batches, yet must land
whole or not at all. One server transaction spans the batches (each under a
savepoint, psycopg's nested `transaction()`); master data written through the
same `PgLedger` meanwhile joins it too. Nothing is visible to other stations
before the COMMIT, and an exception, a kill or a lost connection leaves the
ledger as it was.

The chain lock is taken once, at the start, by the top-level transaction
(not inside a savepoint, whose rollback would release it) and held to the
end: the batches chain onto each other with no other station's rows between
them, and other stations' appends wait — they do not fail — until the COMMIT.
Taking it before anything else is written also keeps two concurrent imports
from deadlocking over the master-data rows they both touch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

import psycopg

from tracer.errors import LedgerError
from tracer.ledger.ledger import AppendResult
from tracer.ledger.postgres.append import CHAIN_LOCK, LOCK_SQL, chain_step
from tracer.ledger.postgres.connect import explain
from tracer.ledger.rows import EventRows, RecordTime, build_rows
from tracer.model import Event


class ServerLedger(Protocol):
    """What a transaction needs of its `PgLedger`: where it is, for messages."""

    @property
    def url(self) -> str: ...

    @property
    def path(self) -> Any: ...


class PgTransaction:
    """The appends of one `PgLedger.one_transaction` block (use only inside it)."""

    def __init__(
        self, ledger: ServerLedger, conn: psycopg.Connection, record_time: datetime
    ) -> None:
        self._ledger = ledger
        self._conn = conn
        self.record_time = record_time
        self._rt = RecordTime.of(record_time)
        self.open = True
        self.added = 0
        self.skipped = 0

    def prepare(self, event: Event) -> EventRows:
        """An event's rows, built outside the chain step (numbered there)."""
        return build_rows(event, 0, self._rt)

    def append_prepared(
        self,
        prepared: Sequence[EventRows],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> AppendResult:
        """`PgLedger.append` inside the transaction (not visible until its end)."""
        if not self.open:
            raise LedgerError("the transaction is over")
        if not prepared:
            return AppendResult()
        try:
            with self._conn.transaction():  # a savepoint: a failed batch leaves no trace
                result = chain_step(self._conn, list(prepared))
        except psycopg.Error as exc:
            raise explain(exc, self._ledger.url) from exc
        self.added += result.count
        self.skipped += result.skipped
        if progress:
            progress(len(prepared))
        return result

    def append(self, events: Sequence[Event]) -> AppendResult:
        """`PgLedger.append` inside the transaction."""
        return self.append_prepared([self.prepare(e) for e in events])


@contextmanager
def pg_one_transaction(
    ledger: ServerLedger, conn: psycopg.Connection, record_time: datetime | None, durable: str
) -> Iterator[PgTransaction]:
    """Run by `PgLedger.one_transaction` with its lock held and its live connection.

    `durable` is the ledger's tiny synchronous statement, run after the COMMIT:
    the transaction is durable when this returns even if something inside it
    turned `synchronous_commit` off for it.
    """
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raise LedgerError(f"{ledger.path}: a transaction is already open")
    tx = PgTransaction(ledger, conn, record_time or datetime.now(UTC))
    try:
        with conn.transaction():
            conn.execute(LOCK_SQL, (CHAIN_LOCK,))
            try:
                yield tx
            finally:
                tx.open = False
        conn.execute(durable)
    except psycopg.Error as exc:
        raise explain(exc, ledger.url) from exc
