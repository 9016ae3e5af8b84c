"""The PostgreSQL ledger: the SQLite `Ledger`'s interface over a database server.

Many stations share it: each holds its own `PgLedger` (one connection), and
their appends interleave batch by batch on one hash chain (see `append`);
an import holds the chain for its one transaction (`one_transaction`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import psycopg

from tracer.errors import LedgerError
from tracer.ledger.codec import event_from_epcis
from tracer.ledger.ledger import AppendResult, StoredEvent
from tracer.ledger.postgres.append import chain_step, prepare
from tracer.ledger.postgres.connect import connect, explain, safe_url
from tracer.ledger.postgres.portable import PortableConnection, to_pyformat
from tracer.ledger.postgres.schema import (
    PG_LEDGER_MIGRATIONS,
    check_version,
    is_tracer_ledger,
    migrate,
)
from tracer.ledger.postgres.trace_session import PgTraceSession
from tracer.ledger.postgres.transaction import PgTransaction, pg_one_transaction
from tracer.ledger.postgres.verify import verify_pg
from tracer.ledger.query import EventQuery, build_event_query
from tracer.ledger.schema import Migration
from tracer.ledger.verify import VerifyReport
from tracer.model import Event

_MASTER_TABLES = ("products", "lots", "locations", "stations", "operators")
# a transaction that writes WAL (an empty transactional message, ignored by
# everything but logical decoding): its synchronous COMMIT flushes the WAL up to
# it. (A transaction that only takes an XID, e.g. txid_current(), commits
# without waiting for the disk.)
_DURABLE = "SELECT pg_logical_emit_message(true, 'tracer', '')"


class PgLedger:
    """One PostgreSQL ledger (a database, or a schema in it). Thread-safe: one
    connection guarded by a lock; open one per process or per worker thread.

    `append` returns once the server has made the batch durable. The chain lock
    is held only while the batch's statements run, not while its WAL is
    flushed: the batch commits asynchronously (releasing the lock), then a
    tiny synchronous commit after it waits for the flush. WAL is replayed in
    order, so a crash can only cut a suffix of batches — never one a later,
    acknowledged batch chains onto — and concurrent stations share fsyncs.
    """

    backend = "postgresql"

    def __init__(self, url: str, conn: psycopg.Connection, *, readonly: bool) -> None:
        self.url = url
        self.readonly = readonly
        self._raw = conn
        self._portable = PortableConnection(conn)
        self._lock = threading.RLock()
        self._in_transaction = False  # inside `one_transaction`: never reconnect

    @property
    def path(self) -> str:
        """Where the ledger lives, for messages (the URL without its password)."""
        return safe_url(self.url)

    @classmethod
    def open(
        cls,
        url: str,
        *,
        readonly: bool = False,
        create: bool = True,
        migrations: Sequence[Migration] = PG_LEDGER_MIGRATIONS,
    ) -> PgLedger:
        """Open the ledger; an empty database gets the schema when `create`.

        An older schema is not upgraded here: stations usually connect with a
        role that may not change tables, so `tracer db upgrade` does that.
        """
        conn = connect(url, readonly=readonly)
        try:
            if is_tracer_ledger(conn, url):
                check_version(conn, url, "ledger", migrations)
            elif readonly or not create:
                raise LedgerError(
                    f"there is no tracer ledger in {safe_url(url)} yet: "
                    "run `tracer db init URL` first"
                )
            else:
                migrate(conn, url, "ledger", migrations)
        except psycopg.Error as exc:
            conn.close()
            raise explain(exc, url) from exc
        except BaseException:
            conn.close()
            raise
        return cls(url, conn, readonly=readonly)

    def close(self) -> None:
        with self._lock:
            self._raw.close()

    @property
    def closed(self) -> bool:
        return bool(self._raw.closed)

    def cancel_query(self) -> None:
        """Ask the server to stop the statement running on this connection.

        Safe from another thread (a Cancel button while a worker reads); a
        statement that has already finished is not affected.
        """
        raw = self._raw
        if not raw.closed:
            with suppress(psycopg.Error):
                raw.cancel_safe(timeout=3)

    def __enter__(self) -> PgLedger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _live(self) -> psycopg.Connection:
        """The connection, reopened if the server dropped it (a restart, a network cut).

        Only between transactions: a batch cut off mid-way raised to its caller
        and was rolled back by the server, so nothing is ever half written.
        """
        if self._raw.closed or self._raw.broken:
            if self._in_transaction:  # a fresh connection would write outside it
                raise LedgerError(
                    f"{self.path}: the connection was lost in the middle of a "
                    "transaction; none of it was written"
                )
            self._raw = connect(self.url, readonly=self.readonly)
            self._portable.raw = self._raw
        return self._raw

    @property
    def connection(self) -> PortableConnection:
        """Portable-SQL access (`?` placeholders) for higher layers' read queries."""
        with self._lock:
            self._live()
        return self._portable

    @property
    def pg(self) -> psycopg.Connection:
        """The psycopg connection, for PostgreSQL-specific code (COPY, verify)."""
        return self._live()

    def trace_session(self) -> PgTraceSession:
        """What `tracer.recall`'s trace runs its statements through (cf. SqliteSession)."""
        return PgTraceSession(self.connection)

    def migrate(self, component: str, migrations: Iterable[Migration]) -> int:
        """Create or upgrade a higher layer's own tables (its own version track)."""
        with self._lock:
            return migrate(self._live(), self.url, component, migrations)

    def verify(self, *, progress: Callable[[int], None] | None = None) -> VerifyReport:
        with self._lock:
            try:
                return verify_pg(self._live(), progress=progress)
            except psycopg.Error as exc:
                raise explain(exc, self.url) from exc

    # -- writing -----------------------------------------------------------

    def append(
        self,
        events: Sequence[Event],
        *,
        record_time: datetime | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> AppendResult:
        """Write a batch in one transaction; events already present are skipped."""
        if self.readonly:
            raise LedgerError(f"{self.path} is open read-only")
        if not events:
            return AppendResult()
        prepared = prepare(events, record_time or datetime.now(UTC))
        with self._lock:
            try:
                conn = self._live()
                with conn.transaction():
                    # the chain lock goes with this COMMIT, without waiting for the disk...
                    conn.execute("SET LOCAL synchronous_commit TO off")
                    result = chain_step(conn, prepared)
                # ...which this durable commit right after it does: it returns once the
                # WAL up to it is flushed — our batch, and any batch of another station
                # we saw (and skipped events against) — sharing fsyncs with the others
                conn.execute(_DURABLE)
            except psycopg.Error as exc:
                raise explain(exc, self.url) from exc
        if progress:
            progress(len(events))
        return result

    @contextmanager
    def one_transaction(self, *, record_time: datetime | None = None) -> Iterator[PgTransaction]:
        """One transaction for a run of appends (and master data): all or nothing.

        See `tracer.ledger.postgres.transaction`; other stations' appends wait
        for its end.
        """
        if self.readonly:
            raise LedgerError(f"{self.path} is open read-only")
        with self._lock:
            try:
                conn = self._live()
            except psycopg.Error as exc:
                raise explain(exc, self.url) from exc
            self._in_transaction = True
            try:
                with pg_one_transaction(self, conn, record_time, _DURABLE) as tx:
                    yield tx
            finally:
                self._in_transaction = False

    def wait_durable(self) -> None:
        """Return once everything this connection has seen committed is on disk.

        Batches commit asynchronously (see the class note), so a decision taken
        on what a read showed (sync: "the server has these already") waits for
        this before it is recorded.
        """
        with self._lock:
            try:
                self._live().execute(_DURABLE)
            except psycopg.Error as exc:
                raise explain(exc, self.url) from exc

    def upsert_rows(self, table: str, key: Sequence[str], rows: Sequence[dict[str, Any]]) -> int:
        """Insert or update master-data rows (reference data, not history)."""
        if not rows:
            return 0
        cols = list(rows[0])
        updates = [c for c in cols if c not in key]
        action = (
            "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates)
            if updates
            else "DO NOTHING"
        )
        sql = (
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
            f"ON CONFLICT ({', '.join(key)}) {action}"
        )
        with self._lock:
            try:
                conn = self._live()
                with conn.transaction(), conn.cursor() as cur:
                    cur.executemany(sql, [[r.get(c) for c in cols] for r in rows])  # type: ignore[arg-type]
            except psycopg.Error as exc:
                raise explain(exc, self.url) from exc
        return len(rows)

    # -- reading -----------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._live().execute(sql, list(params)).fetchall()  # type: ignore[arg-type]
            except psycopg.Error as exc:
                raise explain(exc, self.url) from exc

    def has_event(self, event_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM events WHERE event_id = %s LIMIT 1", (event_id,)))

    def count(self) -> int:
        return int(self._query("SELECT max(seq) FROM events")[0][0] or 0)

    def get(self, seq: int) -> StoredEvent | None:
        rows = self._query("SELECT seq, record_time, doc FROM events WHERE seq = %s", (seq,))
        return _stored(rows[0]) if rows else None

    def events(self, query: EventQuery | None = None) -> Iterator[StoredEvent]:
        """Events matching a query, in ledger order (or newest first if asked)."""
        with self._lock:
            sql, params = build_event_query(self._portable, query or EventQuery())  # type: ignore[arg-type]
        for row in self._query(to_pyformat(sql), params):
            yield _stored(row)

    def event_count(self, query: EventQuery | None = None) -> int:
        with self._lock:
            sql, params = build_event_query(self._portable, query or EventQuery(), count=True)  # type: ignore[arg-type]
        return int(self._query(to_pyformat(sql), params)[0][0])

    def stats(self) -> dict[str, Any]:
        by_type = {
            str(k): int(v)
            for k, v in self._query("SELECT event_type, count(*) FROM events GROUP BY event_type")
        }
        first, last = self._query("SELECT min(event_time), max(event_time) FROM events")[0]
        counts = {t: int(self._query(f"SELECT count(*) FROM {t}")[0][0]) for t in _MASTER_TABLES}
        errors = int(self._query("SELECT count(*) FROM events WHERE declares_error = 1")[0][0])
        size = self._query(
            "SELECT coalesce(sum(pg_total_relation_size(quote_ident(table_schema) || '.' || "
            "quote_ident(table_name))), 0) FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        )[0][0]
        return {
            "ledger": self.path,
            "events": sum(by_type.values()),
            "events_by_type": by_type,
            "error_declarations": errors,
            "first_event_time": first,
            "last_event_time": last,
            **counts,
            "file_bytes": int(size),
        }


def _stored(row: tuple[Any, ...]) -> StoredEvent:
    return StoredEvent(
        seq=int(row[0]), record_time=row[1], event=event_from_epcis(json.loads(row[2]))
    )
