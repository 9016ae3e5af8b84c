"""`tracer db load`: move a whole SQLite ledger onto an empty server ledger.

A plant that outgrows one laptop wants its history on the server, and the
same history: row for row, with the same seq numbers, record times and chain
values, so `tracer verify` on the server proves what it proved on the file.
Appending the events one batch at a time (as `tracer sync` does) would give
them new record times and a new chain, and pays per row for five indexes and
the foreign-key checks. A load into an empty ledger instead COPYs the rows
in one transaction with the secondary indexes and foreign keys set aside,
then builds them once (a sorted build) and puts the constraints back, which
checks them all in one pass. It re-walks the chain as it reads, so a file
changed outside tracer is refused rather than carried onto the server.
Nothing is visible to stations until the COMMIT, and a failure or Ctrl-C
leaves the server ledger empty. The chain lock is held throughout, so no
station can append in the middle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import psycopg

from tracer.errors import LedgerError
from tracer.ledger import masterdata
from tracer.ledger.ledger import Ledger
from tracer.ledger.postgres.append import CHAIN_LOCK, COPY_TYPES, LOCK_SQL, copy_rows
from tracer.ledger.postgres.connect import explain
from tracer.ledger.postgres.ledger import PgLedger
from tracer.ledger.postgres.sync import record_synced
from tracer.ledger.rows import EVENT_COLUMNS, GENESIS, next_chain, row_digest

EVENT_TABLES = ("events", "identifiers", "links", "item_lots")
_READ_BATCH = 5000
# a bigger sort area makes the index builds at the end several times faster
_INDEX_MEMORY = "256MB"

_SOURCE_SQL = {
    "events": f"SELECT {', '.join(EVENT_COLUMNS)}, chain FROM events ORDER BY seq",
    "identifiers": "SELECT seq, role, id, quantity, uom FROM identifiers",
    "links": "SELECT seq, kind, type, id FROM links",
    "item_lots": "SELECT epc, lot_class, seq FROM item_lots",
}
_COPY_SQL = {
    "events": f"COPY events ({', '.join(EVENT_COLUMNS)}, chain) FROM STDIN (FORMAT BINARY)",
    "identifiers": "COPY identifiers (seq, role, id, quantity, uom) FROM STDIN (FORMAT BINARY)",
    "links": "COPY links (seq, kind, type, id) FROM STDIN (FORMAT BINARY)",
    "item_lots": "COPY item_lots (epc, lot_class, seq) FROM STDIN (FORMAT BINARY)",
}


@dataclass
class LoadReport:
    target: str
    events: int = 0
    identifiers: int = 0
    links: int = 0
    master_records: int = 0
    last_seq: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _master_records(source: Ledger) -> Iterator[list[Any]]:
    yield masterdata.parties(source)
    yield masterdata.locations(source)
    yield masterdata.products(source)
    yield masterdata.lots(source)
    yield masterdata.stations(source)
    yield masterdata.operators(source)


def _rows(source: Ledger, table: str) -> Iterator[tuple[Any, ...]]:
    """The source's rows of one table, read in batches (the file may be huge)."""
    cur = source.connection.execute(_SOURCE_SQL[table])
    while batch := cur.fetchmany(_READ_BATCH):
        yield from batch


class _ChainWalk:
    """The source's events in seq order, each one's chain value re-computed and compared.

    After the walk, `seq` and `chain` are the head the server records, the very
    values just checked; `progress` hears of the events in steps of a read batch.
    """

    def __init__(self, source: Ledger, progress: Callable[[int], None] | None) -> None:
        self.source = source
        self.progress = progress
        self.seq = 0
        self.chain = GENESIS
        self._reported = 0

    def rows(self) -> Iterator[tuple[Any, ...]]:
        for row in _rows(self.source, "events"):
            chain = next_chain(self.chain, row_digest(row[:-1]))
            if int(row[0]) != self.seq + 1 or chain != bytes(row[-1]):
                raise LedgerError(
                    f"{self.source.path}: row {self.seq + 1} does not fit the hash chain "
                    "(changed, removed or inserted outside tracer); run `tracer verify` "
                    "on it: nothing was loaded"
                )
            self.seq, self.chain = self.seq + 1, chain
            if self.seq - self._reported >= _READ_BATCH:
                self.report()
            yield row
        self.report()

    def report(self) -> None:
        if self.progress and self.seq > self._reported:
            self.progress(self.seq - self._reported)
        self._reported = self.seq


def _set_aside(cur: psycopg.Cursor[Any]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Drop the event tables' secondary indexes and foreign keys; return how to rebuild them."""
    indexes = [
        (str(r[0]), str(r[1]))
        for r in cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid AND NOT x.indisprimary "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND c.relnamespace = current_schema()::regnamespace",
            (list(EVENT_TABLES),),
        )
    ]
    keys = [
        (str(r[0]), str(r[1]), str(r[2]))
        for r in cur.execute(
            "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid WHERE c.contype = 'f' "
            "AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%s)",
            (list(EVENT_TABLES),),
        )
    ]
    for table, name, _ in keys:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')  # type: ignore[arg-type]
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')  # type: ignore[arg-type]
    return [sql for _, sql in indexes], keys


def _rebuild(
    cur: psycopg.Cursor[Any], indexes: list[str], keys: list[tuple[str, str, str]]
) -> None:
    cur.execute(f"SET LOCAL maintenance_work_mem = '{_INDEX_MEMORY}'")  # type: ignore[arg-type]
    for sql in indexes:
        cur.execute(sql)  # type: ignore[arg-type]
    for table, name, definition in keys:
        cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')  # type: ignore[arg-type]
    cur.execute(f"ANALYZE {', '.join(EVENT_TABLES)}")  # type: ignore[arg-type]


def load_ledger(
    source: Ledger,
    target: PgLedger,
    *,
    progress: Callable[[int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> LoadReport:
    """Copy `source` (an SQLite ledger) into the empty server ledger `target`.

    `progress` is called with the number of events copied since its last call;
    `stage` with each step's name as it starts (the steps after the events take
    minutes on a big ledger and have no count of their own).
    """
    say = stage or (lambda _name: None)
    report = LoadReport(str(target.path))
    if target.readonly:
        raise LedgerError(f"{target.path} is open read-only")
    walk = _ChainWalk(source, progress)
    # master data first, by the ordinary upserts: idempotent, so a load that fails
    # later and is run again only rewrites the same records
    say("master data")
    for records in _master_records(source):
        report.master_records += masterdata.upsert(target, records)
    with target._lock:
        try:
            conn = target.pg
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(LOCK_SQL, (CHAIN_LOCK,))
                if cur.execute("SELECT 1 FROM events LIMIT 1").fetchone():
                    raise LedgerError(
                        f"{target.path} already holds events: a load only fills an empty "
                        "server ledger; use `tracer sync` to send it what it lacks"
                    )
                indexes, keys = _set_aside(cur)
                say("events")
                report.events = copy_rows(
                    cur, _COPY_SQL["events"], COPY_TYPES["events"], walk.rows()
                )
                say("identifiers")
                report.identifiers = _copy_table(cur, source, "identifiers")
                say("links")
                report.links = _copy_table(cur, source, "links")
                say("lots of items")
                _copy_table(cur, source, "item_lots")
                if walk.seq:
                    cur.execute("INSERT INTO chain_heads VALUES (%s, %s)", (walk.seq, walk.chain))
                    report.last_seq = walk.seq
                say("indexes and keys")
                _rebuild(cur, indexes, keys)
                say("commit")
        except psycopg.Error as exc:
            raise explain(exc, target.url) from exc
    if not source.readonly:
        # a later `tracer sync` of this file to this server starts after what was loaded
        record_synced(source, str(target.path), report.last_seq)
    return report


def _copy_table(cur: psycopg.Cursor[Any], source: Ledger, table: str) -> int:
    return copy_rows(cur, _COPY_SQL[table], COPY_TYPES[table], _rows(source, table))


def load_file(
    path: str,
    target: PgLedger,
    *,
    progress: Callable[[int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> LoadReport:
    """`load_ledger` from a ledger file opened here.

    A file that cannot be written (a read-only copy, a CD) still loads; only
    the note for a later `tracer sync` is not kept in it.
    """
    try:
        source = Ledger.open(path)
    except LedgerError:
        source = Ledger.open(path, readonly=True)  # the same error again if not a ledger
    with source:
        return load_ledger(source, target, progress=progress, stage=stage)


def source_events(path: str) -> int:
    """How many events a load of `path` copies (for a progress bar)."""
    with Ledger.open(path, readonly=True) as source:
        return source.count()
