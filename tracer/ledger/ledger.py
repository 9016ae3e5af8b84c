"""The SQLite ledger: one file, append-only events, master data beside them."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from tracer.errors import LedgerError
from tracer.ledger.codec import event_from_epcis
from tracer.ledger.connection import explain, migrate, open_ledger_connection
from tracer.ledger.gcpause import gc_paused
from tracer.ledger.query import EventQuery, build_event_query
from tracer.ledger.rows import GENESIS, PreparedEvent, RecordTime, prepare_event
from tracer.ledger.schema import Migration
from tracer.ledger.select_in import select_in
from tracer.model import Event

_INSERT_EVENT = (
    "INSERT INTO events (seq, event_id, declares_error, event_type, action, event_time, "
    "tz_offset, record_time, biz_step, disposition, read_point, biz_location, operator, "
    "station, device, doc, chain) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


@dataclass(frozen=True, slots=True)
class AppendResult:
    """What an append changed: the writer's answer to the UI and the CLI."""

    added: tuple[int, ...] = ()  # seq of each new row, in order
    added_ids: tuple[str, ...] = ()
    skipped: int = 0  # events already in the ledger (same eventID)
    skipped_ids: tuple[str, ...] = field(default=(), repr=False)

    @property
    def count(self) -> int:
        return len(self.added)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    seq: int
    record_time: str
    event: Event


class Ledger:
    """One ledger file. Thread-safe: one connection guarded by a lock.

    Writes are durable when `append` returns (WAL, synchronous=FULL, one
    transaction per batch). Use a separate `Ledger` per process.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self._conn = conn
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Ledger:
        p = Path(path).expanduser()
        return cls(p, open_ledger_connection(p, readonly=readonly), readonly=readonly)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for queries of layers above (trace, reports)."""
        return self._conn

    def migrate(self, component: str, migrations: Iterable[Migration]) -> int:
        """Create or upgrade a higher layer's own tables (its own version track)."""
        with self._lock:
            return migrate(self._conn, component, migrations, self.path)

    # -- writing -----------------------------------------------------------

    @contextmanager
    def bulk_writes(self, cache_mb: int = 512, checkpoint_pages: int = 50_000) -> Iterator[None]:
        """A bigger page cache and rarer WAL checkpoints for a long run of big appends.

        Each append stays one durable transaction; the index pages a demo build
        or an import touches again and again stay in memory and are copied from
        the WAL to the file less often (~1.3x faster bulk appends). Restored after.
        """
        try:
            with self._pragmas(
                cache_size=-int(cache_mb) * 1024, wal_autocheckpoint=checkpoint_pages
            ):
                yield
        finally:
            self.checkpoint()

    @contextmanager
    def checkpoints_deferred(self, pages: int = 20_000) -> Iterator[None]:
        """Commits leave the WAL to grow up to `pages` pages; the caller calls `checkpoint` when idle.

        With SQLite's default (1,000 pages) the commit that crosses it also
        copies the WAL into the file and syncs it: ~10-30 ms inside one of a
        portal's burst transactions, every second burst or so. Each commit
        still syncs the WAL (synchronous=FULL): durability does not change.
        """
        with self._pragmas(wal_autocheckpoint=int(pages)):
            yield

    @contextmanager
    def _pragmas(self, **values: int) -> Iterator[None]:
        """These integer PRAGMAs set for a while; their earlier values come back after."""
        conn = self._conn
        with self._lock:
            before = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in values}
            for name, value in values.items():
                conn.execute(f"PRAGMA {name} = {int(value)}")
        try:
            yield
        finally:
            with self._lock:
                for name, value in before.items():
                    conn.execute(f"PRAGMA {name} = {int(value)}")

    def checkpoint(self) -> None:
        """Copy committed WAL pages into the ledger file now (PASSIVE: waits for no reader)."""
        if self.readonly:
            return
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

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
        with gc_paused():
            prepared = [prepare_event(e) for e in events]
        return self.append_prepared(prepared, record_time=record_time, progress=progress)

    def append_prepared(
        self,
        prepared: Sequence[PreparedEvent],
        *,
        record_time: datetime | None = None,
        progress: Callable[[int], None] | None = None,
        assume_new: bool = False,
    ) -> AppendResult:
        """`append` for rows already built by `prepare_event` (e.g. in worker processes).

        `assume_new`: the ledger is not asked which events it has (a bulk load
        into a new file, where the unique index is built at the end).
        """
        if self.readonly:
            raise LedgerError(f"{self.path} is open read-only")
        if not prepared:
            return AppendResult()
        now = record_time or datetime.now(UTC)
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise explain(exc, self.path) from exc
            try:
                with gc_paused():
                    result = self._append_locked(conn, prepared, now, assume_new)
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise explain(exc, self.path) from exc
                raise
        if progress:
            progress(len(prepared))
        return result

    def _append_locked(
        self,
        conn: sqlite3.Connection,
        prepared: Sequence[PreparedEvent],
        now: datetime,
        assume_new: bool = False,
    ) -> AppendResult:
        existing: set[tuple[str, int]] = (
            set() if assume_new else self._existing_keys(conn, [p.key for p in prepared])
        )
        head = conn.execute("SELECT seq, chain FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        seq, chain = (head[0], head[1]) if head else (0, GENESIS)
        event_rows: list[tuple[Any, ...]] = []
        identifiers: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        item_lots: list[tuple[Any, ...]] = []
        added_ids: list[str] = []
        skipped_ids: list[str] = []
        rt = RecordTime.of(now)
        rt_epcis, rt_utc = rt.epcis, rt.utc
        sha256 = hashlib.sha256
        for p in prepared:
            key = p.key
            if key in existing:
                skipped_ids.append(str(key[0]))
                continue
            existing.add(key)
            seq += 1
            after = p.doc_after
            doc = p.doc if after is None else p.doc + rt_epcis + after
            # = row_digest of the full row (see rows.prepared_digest), then the chain step
            text = f"{seq}\x1e{p.digest_head}\x1e{rt_utc}\x1e{p.digest_tail}\x1e{doc}"
            chain = sha256(chain + sha256(text.encode("utf-8")).digest()).digest()
            event_rows.append((seq, *p.head, rt_utc, *p.tail, doc, chain))
            for i in p.identifiers:
                identifiers.append((seq, *i))
            for k in p.links:
                links.append((seq, *k))
            for epc, lot_class in p.item_lots:
                item_lots.append((epc, lot_class, seq))
            added_ids.append(str(key[0]))
        conn.executemany(_INSERT_EVENT, event_rows)
        conn.executemany("INSERT INTO identifiers VALUES (?,?,?,?,?)", identifiers)
        if links:
            conn.executemany("INSERT INTO links VALUES (?,?,?,?)", links)
        if item_lots:
            conn.executemany("INSERT INTO item_lots VALUES (?,?,?)", item_lots)
        if event_rows:
            conn.execute(
                "INSERT OR REPLACE INTO tracer_meta VALUES ('head', ?)", (f"{seq}:{chain.hex()}",)
            )
        first = seq - len(event_rows) + 1
        return AppendResult(
            added=tuple(range(first, seq + 1)),
            added_ids=tuple(added_ids),
            skipped=len(skipped_ids),
            skipped_ids=tuple(skipped_ids),
        )

    @staticmethod
    def _existing_keys(
        conn: sqlite3.Connection, keys: list[tuple[str | None, int]]
    ) -> set[tuple[str, int]]:
        sql = "SELECT event_id, declares_error FROM events WHERE event_id IN ({marks})"
        return set(select_in(conn, sql, (k[0] for k in keys if k[0]), chunk=500))

    # -- reading -----------------------------------------------------------

    def has_event(self, event_id: str) -> bool:
        with self._lock:
            row = self._conn.execute(
                "SELECT 1 FROM events WHERE event_id = ? LIMIT 1", (event_id,)
            ).fetchone()
        return row is not None

    def count(self) -> int:
        with self._lock:
            row = self._conn.execute("SELECT max(seq) FROM events").fetchone()
        return int(row[0] or 0)

    def get(self, seq: int) -> StoredEvent | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT seq, record_time, doc FROM events WHERE seq = ?", (seq,)
            ).fetchone()
        return _stored(row) if row else None

    def events(self, query: EventQuery | None = None) -> Iterator[StoredEvent]:
        """Events matching a query, in ledger order (or newest first if asked)."""
        sql, params = build_event_query(self._conn, query or EventQuery())
        with self._lock:
            rows = self._conn.execute(sql, params).fetchall()
        for row in rows:
            yield _stored(row)

    def event_count(self, query: EventQuery | None = None) -> int:
        sql, params = build_event_query(self._conn, query or EventQuery(), count=True)
        with self._lock:
            return int(self._conn.execute(sql, params).fetchone()[0])

    def stats(self) -> dict[str, Any]:
        with self._lock:
            c = self._conn
            by_type = dict(
                c.execute("SELECT event_type, count(*) FROM events GROUP BY event_type").fetchall()
            )
            first, last = c.execute(
                "SELECT min(event_time), max(event_time) FROM events"
            ).fetchone()
            counts = {
                t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("products", "lots", "locations", "stations", "operators")
            }
            errors = c.execute("SELECT count(*) FROM events WHERE declares_error = 1").fetchone()[0]
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {
            "ledger": str(self.path),
            "events": sum(by_type.values()),
            "events_by_type": by_type,
            "error_declarations": errors,
            "first_event_time": first,
            "last_event_time": last,
            **counts,
            "file_bytes": size,
        }


def _stored(row: tuple[Any, ...]) -> StoredEvent:
    return StoredEvent(seq=row[0], record_time=row[1], event=event_from_epcis(json.loads(row[2])))
