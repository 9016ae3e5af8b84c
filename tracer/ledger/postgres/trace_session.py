"""The trace's statements on PostgreSQL: the counterpart of `recall.dialect.SqliteSession`.

The trace (`tracer.recall.closure`) is standard SQL with `?` placeholders
and TEMP tables; this session runs it on the PostgreSQL ledger's connection
in one REPEATABLE READ snapshot, so appends by stations during a trace
cannot make its steps disagree. The transaction is READ WRITE explicitly
(even on a read-only open) because it fills the session's TEMP tables;
the ledger's own tables stay untouched.

What makes it fast (a forward trace on a 50k-event demo: 179 ms before; figures
in benchmarks/README.md, PostgreSQL section):

* Pipeline mode: statements whose results the trace does not read (the
  INSERTs into the TEMP tables, ANALYZE) are sent without waiting for the
  server; the connection waits only where Python needs an answer (a fetch,
  a row count). A trace is a handful of round trips, not one per statement.
* The packing walk is one recursive statement (`walk_units`), not five
  statements per level.
* Statistics: `analyze` runs ANALYZE on a TEMP table once it is filled
  (autovacuum never sees TEMP tables). Without it the planner assumes a few
  thousand rows in each and answers "which events name these 26 seqs" with a
  hash join over the whole events table instead of 26 index probes. Joins are
  kept in their written order (join_collapse_limit 1), as SQLite keeps them:
  less planning, and the order is the one the statements were written for.
* No disk wait: the COMMIT of a transaction that wrote only TEMP tables
  does not wait for the WAL flush (synchronous_commit off for it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from tracer.ledger.postgres.portable import PortableConnection, PortableCursor, to_pyformat

# the trace's TEMP tables (tracer.recall.closure.TEMP_TABLES), vacuumed every so often
TEMP_TABLES = ("trace_seed", "trace_lot", "trace_id", "trace_hit", "trace_seq")
VACUUM_EVERY = 100


class _PipelinedCursor(PortableCursor):
    """A cursor of a pipelined statement: reading its row count waits for it."""

    def __init__(self, cursor: psycopg.Cursor[Any], pipeline: psycopg.Pipeline) -> None:
        super().__init__(cursor)
        self._pipeline = pipeline

    @property
    def rowcount(self) -> int:
        # fetches already wait for their result (psycopg); a row count does not
        self._pipeline.sync()
        return super().rowcount


class PgTraceSession:
    placeholder = "?"

    def __init__(self, conn: PortableConnection) -> None:
        self.conn = conn
        self._pipeline: psycopg.Pipeline | None = None

    @contextmanager
    def snapshot(self) -> Iterator[PgTraceSession]:
        raw = self.conn.raw
        began = raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        try:
            with raw.pipeline() as pipeline:
                self._pipeline = pipeline
                if began:  # sent with the trace's first statements: no round trip of its own
                    self.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE")
                    # filling TEMP tables gives the transaction an id, so its COMMIT would
                    # wait for a WAL flush (~5 ms on a disk with fsync) for nothing durable
                    self.execute("SET LOCAL synchronous_commit = off")
                    self.execute("SET LOCAL join_collapse_limit = 1")
                yield self
                if began:
                    self.execute("COMMIT")
        except BaseException:
            if began and raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                raw.execute("ROLLBACK")
            raise
        finally:
            self._pipeline = None
        if began:
            self._tidy(raw)

    def _tidy(self, raw: psycopg.Connection) -> None:
        """VACUUM the TEMP tables now and then: each trace empties them with DELETE,
        and autovacuum never visits TEMP tables, so on a long-lived connection (the
        app, `tracer serve`) they would grow by every trace (~25 kB on the demo).
        Emptying them by TRUNCATE or ON COMMIT DELETE ROWS instead costs more per
        trace than this (their indexes are rebuilt each time)."""
        count = getattr(self.conn, "traces", 0) + 1
        self.conn.traces = count  # type: ignore[attr-defined]
        if count % VACUUM_EVERY == 0:
            raw.execute(f"VACUUM {', '.join(TEMP_TABLES)}")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PortableCursor:
        cursor = self.conn.raw.cursor()
        # prepare=False: the statements' TEMP tables are re-analysed as they fill, which
        # invalidates any cached plan, so preparing only adds a generic plan to each
        cursor.execute(to_pyformat(sql).encode(), list(params) or None, prepare=False)
        if self._pipeline is None:
            return PortableCursor(cursor)
        return _PipelinedCursor(cursor, self._pipeline)

    def executemany(self, sql: str, rows: Any) -> None:
        self.conn.executemany(sql, list(rows))

    def script(self, statements: tuple[str, ...]) -> None:
        for statement in statements:
            self.execute(statement)

    def walk_units(self, *, valid: str, window: tuple[str, list[Any]], max_depth: int) -> bool:
        """`tracer.recall.closure.walk_units` in one statement: the same hits, units and
        answer (True when the depth limit cut the walk short), without a round trip and
        five statements per packing level.

        PostgreSQL runs a recursive CTE a level at a time over the whole working
        set, so each level stays one set-based join: the rows are the traced ids'
        identifier rows (hits) and their level `n`; the parents of a level's
        packing events (each event once, DISTINCT) bring the next level's ids.
        UNION over (id, seq, role, n) and the level bound end every walk, cycles
        included; an id met at several levels counts at its first (the level the
        level-by-level walk gives it). Ids already traced are not walked again.
        The walk goes one level past the limit: ids first met there are the
        parents the limit cut off (traced, not walked, and the answer True).
        The data-modifying CTEs see the tables as they were before the
        statement, as the portable walk's INSERT ... ON CONFLICT DO NOTHING would.
        """
        w_sql, w_params = window
        last = max_depth + 1  # levels walked: 1 .. last
        sql = f"""
WITH RECURSIVE walk(id, seq, role, n) AS (
    SELECT i.id, i.seq, i.role, 1 FROM trace_id t JOIN identifiers i ON i.id = t.id
    WHERE t.walked = 0
    UNION
    SELECT i.id, i.seq, i.role, s.n + 1
    FROM (SELECT DISTINCT w.seq, w.n FROM walk w WHERE w.role = 'child' AND w.n <= {last}) s
    JOIN events e ON e.seq = s.seq
    JOIN identifiers p ON p.seq = s.seq AND p.role = 'parent'
    JOIN identifiers i ON i.id = p.id
    WHERE e.event_type = 'AggregationEvent' AND e.action <> 'DELETE' AND {valid}{w_sql}
    AND NOT EXISTS (SELECT 1 FROM trace_id t WHERE t.id = p.id)
),
batch AS (SELECT COALESCE(MAX(batch), 0) + 1 AS b FROM trace_hit),
hits AS (
    INSERT INTO trace_hit (id, seq, role, batch)
    SELECT DISTINCT w.id, w.seq, w.role, b.b FROM walk w CROSS JOIN batch b WHERE w.n <= {last}
),
units AS (
    INSERT INTO trace_id (id, kind, lot_class, depth, walked)
    SELECT DISTINCT w.id, 'unit', NULL, b.b, 1 FROM walk w CROSS JOIN batch b
    WHERE w.n BETWEEN 2 AND {last}
),
walked AS (UPDATE trace_id SET walked = 1 WHERE walked = 0),
beyond AS (
    INSERT INTO trace_id (id, kind, lot_class, depth, walked)
    SELECT DISTINCT w.id, 'unit', NULL, b.b, 0 FROM walk w CROSS JOIN batch b
    WHERE w.n = {last + 1} AND w.id NOT IN (SELECT id FROM walk WHERE n <= {last})
    RETURNING 1
)
SELECT COUNT(*) FROM beyond
"""
        self.analyze("trace_id")
        cursor = self.conn.raw.cursor()
        cursor.execute(to_pyformat(sql).encode(), w_params or None, prepare=False)
        self.analyze("trace_id", "trace_hit")  # pipelined behind it, read before the fetch
        row = cursor.fetchone()
        return bool(row and row[0])

    def analyze(self, *tables: str) -> None:
        """Fresh row counts and value statistics for TEMP tables just filled."""
        self.execute(f"ANALYZE {', '.join(tables)}")
