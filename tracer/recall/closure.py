"""The set-based part of a trace: recursive SQL over the indexed id tables.

Three walks:
* lots through transformations (input → output forward, output → input backward):
  one WITH RECURSIVE statement over the lot class ids;
* a start unit's contents, down the aggregation tree (parent → children): one
  WITH RECURSIVE statement;
* every logistic unit that ever held a traced unit, up the tree (child → parent):
  level by level, each level one set-based statement. A recursive CTE expands
  row by row, so for a 100k-unit lot it would look up the same packing event
  once per item (100k times) instead of once; per level, the hits of all ids are
  collected in one indexed join, their packing events deduplicated, and the
  parents found once per event. The hits double as the event fetch, so each
  traced id is looked up in the identifiers index exactly once.
Items consumed by a transformation (SGTINs as inputs) are found from those hits,
and their output lots go back into the lot walk.
The results go into TEMP tables, so the final fetch of the events that name
any traced id is one indexed join, whatever the number of units. Joins that
start from a TEMP table are written ``CROSS JOIN … WHERE`` (standard SQL):
SQLite then keeps the written order, which is the right one, instead of
guessing from a temp table without statistics. A planner that does use
statistics (PostgreSQL) gets them through ``session.analyze`` as soon as a
TEMP table is filled; without them it assumes a few thousand rows in each
and scans whole ledger tables instead of probing their indexes.

Events cancelled by an errorDeclaration (a row with declares_error = 1 and
the same eventID) are left out everywhere; the declaration row itself too.
The depth limit bounds every walk, so cycles in bad data cannot loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tracer.recall.dialect import SqliteSession

VALID = (
    "e.declares_error = 0 AND NOT EXISTS (SELECT 1 FROM events x "
    "WHERE x.event_id = e.event_id AND x.declares_error = 1)"
)

TEMP_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS trace_seed (lot_class TEXT PRIMARY KEY, depth INTEGER)",
    "CREATE TEMP TABLE IF NOT EXISTS trace_lot "
    "(lot_class TEXT PRIMARY KEY, depth INTEGER, via_seq INTEGER, via_time TEXT)",
    "CREATE TEMP TABLE IF NOT EXISTS trace_id (id TEXT PRIMARY KEY, kind TEXT NOT NULL, "
    "lot_class TEXT, depth INTEGER, walked INTEGER NOT NULL DEFAULT 0)",
    "CREATE TEMP TABLE IF NOT EXISTS trace_hit "
    "(id TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL, batch INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS trace_hit_batch ON trace_hit (batch, role)",
    "CREATE TEMP TABLE IF NOT EXISTS trace_seq (seq INTEGER PRIMARY KEY)",
)
CLEAR = tuple(
    f"DELETE FROM {t}" for t in ("trace_seed", "trace_lot", "trace_id", "trace_hit", "trace_seq")
)


@dataclass(frozen=True, slots=True)
class Window:
    """Optional eventTime bounds, as the ledger's sortable UTC text."""

    since: str | None = None
    until: str | None = None

    def sql(self, alias: str = "e") -> tuple[str, list[Any]]:
        where, params = "", []
        if self.since:
            where += f" AND {alias}.event_time >= ?"
            params.append(self.since)
        if self.until:
            where += f" AND {alias}.event_time < ?"
            params.append(self.until)
        return where, params


def _lot_of(column: str) -> str:
    return (
        f"COALESCE((SELECT MIN(il.lot_class) FROM item_lots il WHERE il.epc = {column}), {column})"
    )


def walk_lots(session: SqliteSession, *, forward: bool, max_depth: int, window: Window) -> None:
    """trace_seed → trace_lot: every lot reachable through transformations."""
    near, far = ("input", "output") if forward else ("output", "input")
    w_sql, w_params = window.sql()
    sql = f"""
INSERT INTO trace_lot (lot_class, depth, via_seq, via_time)
WITH RECURSIVE walk(lot_class, depth, via_seq, via_time) AS (
    SELECT lot_class, depth, CAST(NULL AS INTEGER), CAST(NULL AS TEXT) FROM trace_seed
    UNION
    SELECT {_lot_of("f.id")}, w.depth + 1, e.seq, e.event_time
    FROM walk w
    JOIN identifiers n ON n.id = w.lot_class AND n.role = '{near}'
    JOIN events e ON e.seq = n.seq
    JOIN identifiers f ON f.seq = n.seq AND f.role = '{far}'
    WHERE w.depth < ? AND e.event_type = 'TransformationEvent' AND {VALID}{w_sql}
)
SELECT lot_class, MIN(depth), MIN(via_seq), MAX(via_time) FROM walk
WHERE true GROUP BY lot_class
ON CONFLICT (lot_class) DO NOTHING
"""
    session.execute(sql, [max_depth, *w_params])
    session.analyze("trace_lot")


def unit_contents(
    session: SqliteSession, start: str, *, max_depth: int, window: Window
) -> list[tuple[str, str | None, int]]:
    """Everything ever packed (directly or not) into `start`: (id, lot of item, depth)."""
    w_sql, w_params = window.sql()
    sql = f"""
WITH RECURSIVE down(id, depth) AS (
    SELECT ?, 0
    UNION
    SELECT c.id, d.depth + 1
    FROM down d
    JOIN identifiers p ON p.id = d.id AND p.role = 'parent'
    JOIN events e ON e.seq = p.seq
    JOIN identifiers c ON c.seq = p.seq AND c.role = 'child'
    WHERE d.depth < ? AND e.action <> 'DELETE' AND {VALID}{w_sql}
)
SELECT d.id, (SELECT MIN(il.lot_class) FROM item_lots il WHERE il.epc = d.id), MIN(d.depth)
FROM down d GROUP BY d.id
"""
    return [tuple(r) for r in session.execute(sql, [start, max_depth, *w_params])]


def seed_lots(session: SqliteSession, rows: Iterable[tuple[str, int]]) -> None:
    session.execute("DELETE FROM trace_seed")
    session.executemany(
        "INSERT INTO trace_seed (lot_class, depth) VALUES (?, ?) ON CONFLICT DO NOTHING",
        list(rows),
    )
    session.analyze("trace_seed")


def add_ids(session: SqliteSession, rows: Iterable[tuple[str, str, str | None, int]]) -> None:
    """Start ids; a lot-level quantity inside a start case is never walked on its own."""
    session.executemany(
        "INSERT INTO trace_id (id, kind, lot_class, depth, walked) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        [(*r, 1 if r[1] == "startclass" else 0) for r in rows],
    )


def outputs_of(session: SqliteSession, classes: list[str], *, window: Window) -> list[str]:
    """Lots made from some lot classes (one step), for lot-level goods in a start case."""
    if not classes:
        return []
    w_sql, w_params = window.sql()
    marks = ",".join("?" * len(classes))
    rows = session.execute(
        f"SELECT DISTINCT {_lot_of('f.id')} FROM identifiers n "
        "JOIN events e ON e.seq = n.seq "
        "JOIN identifiers f ON f.seq = n.seq AND f.role = 'output' "
        f"WHERE n.id IN ({marks}) AND n.role = 'input' "
        f"AND e.event_type = 'TransformationEvent' AND {VALID}{w_sql}",
        [*classes, *w_params],
    )
    return sorted(r[0] for r in rows)


def expand_lots(session: SqliteSession, *, with_items: bool) -> None:
    """trace_lot → trace_id: each lot's class id and (if asked) its items."""
    session.execute(
        "INSERT INTO trace_id (id, kind, lot_class, depth) "
        "SELECT lot_class, 'lot', lot_class, depth FROM trace_lot WHERE true "
        "ON CONFLICT DO NOTHING"
    )
    if with_items:
        session.execute(
            "INSERT INTO trace_id (id, kind, lot_class, depth) "
            "SELECT il.epc, 'item', il.lot_class, t.depth FROM trace_lot t "
            "CROSS JOIN item_lots il WHERE il.lot_class = t.lot_class "
            "ON CONFLICT DO NOTHING"
        )


def walk_units(session: SqliteSession, *, max_depth: int, window: Window) -> bool:
    """Collect the events naming every not yet walked id, level by level up the
    packing tree; return True if the depth limit cut the walk short.

    A session may bring its own walk with the same results (PostgreSQL: one
    recursive statement for all levels, `PgTraceSession.walk_units`)."""
    own = getattr(session, "walk_units", None)
    if own is not None:
        return bool(own(valid=VALID, window=window.sql(), max_depth=max_depth))
    w_sql, w_params = window.sql()
    # the level's number is the next batch of trace_hit, worked out by the server
    # (not read back first: on a server each read is a round trip)
    last = "(SELECT MAX(batch) FROM trace_hit)"
    for _ in range(max_depth + 1):
        session.analyze("trace_id")
        # nothing is added to trace_id between these two statements
        session.execute(
            "INSERT INTO trace_hit (id, seq, role, batch) SELECT i.id, i.seq, i.role, "
            "(SELECT COALESCE(MAX(batch), 0) + 1 FROM trace_hit) "
            "FROM trace_id t CROSS JOIN identifiers i WHERE t.walked = 0 AND i.id = t.id"
        )
        session.execute("UPDATE trace_id SET walked = 1 WHERE walked = 0")
        session.analyze("trace_hit")
        added = session.execute(
            "INSERT INTO trace_id (id, kind, lot_class, depth) "
            f"SELECT DISTINCT p.id, 'unit', NULL, {last} FROM "
            f"(SELECT DISTINCT h.seq FROM trace_hit h WHERE h.batch = {last} "
            "AND h.role = 'child') s "
            "CROSS JOIN events e CROSS JOIN identifiers p "
            "WHERE e.seq = s.seq AND p.seq = s.seq AND p.role = 'parent' "
            f"AND e.event_type = 'AggregationEvent' AND e.action <> 'DELETE' AND {VALID}{w_sql} "
            "ON CONFLICT DO NOTHING",
            w_params,
        ).rowcount
        if not added:
            return False
    return True


def lots_from_units(
    session: SqliteSession, *, forward: bool, window: Window
) -> list[tuple[str, int]]:
    """Lots made from traced items (forward) or that traced items were made from
    (backward), where the transformation names the items themselves: (lot, depth)."""
    near, far = ("input", "output") if forward else ("output", "input")
    w_sql, w_params = window.sql()
    rows = session.execute(
        "SELECT made.lot, MIN(made.depth) + 1 FROM ("
        f"SELECT {_lot_of('f.id')} AS lot, COALESCE(l.depth, 0) AS depth "
        "FROM trace_hit h CROSS JOIN trace_id t CROSS JOIN events e CROSS JOIN identifiers f "
        "LEFT JOIN trace_lot l ON l.lot_class = t.lot_class "
        f"WHERE h.role = '{near}' AND t.id = h.id AND t.kind <> 'lot' "
        f"AND e.seq = h.seq AND f.seq = h.seq AND f.role = '{far}' "
        f"AND e.event_type = 'TransformationEvent' AND {VALID}{w_sql}"
        ") made WHERE made.lot NOT IN (SELECT lot_class FROM trace_lot) GROUP BY made.lot",
        w_params,
    ).fetchall()
    return sorted((r[0], int(r[1])) for r in rows)


def fetch_events(
    session: SqliteSession, window: Window
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every valid event naming a traced id: the events (in time order), their
    identifier rows (with the trace's kind and lot of each id) and their links."""
    w_sql, w_params = window.sql()
    session.execute(
        "INSERT INTO trace_seq (seq) SELECT s.seq FROM (SELECT DISTINCT seq FROM trace_hit) s "
        f"CROSS JOIN events e WHERE e.seq = s.seq AND {VALID}{w_sql} ON CONFLICT DO NOTHING",
        w_params,
    )
    session.analyze("trace_seq")
    # all four sent before any is read: on a server, one round trip for the lot
    events_cur = session.execute(
        "SELECT e.seq, e.event_type, e.action, e.event_time, e.biz_step, e.disposition, "
        "e.read_point, e.biz_location FROM trace_seq s CROSS JOIN events e "
        "WHERE e.seq = s.seq ORDER BY e.event_time, e.seq"
    )
    traced_cur = session.execute("SELECT id, kind, lot_class FROM trace_id")
    idents_cur = session.execute(
        "SELECT i.seq, i.role, i.id, i.quantity "
        "FROM trace_seq s CROSS JOIN identifiers i WHERE i.seq = s.seq"
    )
    links_cur = session.execute(
        "SELECT l.seq, l.kind, l.type, l.id FROM trace_seq s CROSS JOIN links l WHERE l.seq = s.seq"
    )
    events = events_cur.fetchall()
    # the trace's view of each id joined here rather than in SQL: one dict lookup
    # per row instead of one temp-table B-tree search (a 100k-unit lot: ~230k rows)
    traced = {r[0]: (r[1], r[2]) for r in traced_cur}
    untraced = (None, None)
    idents = [
        (seq, role, ident, quantity, *traced.get(ident, untraced))
        for seq, role, ident, quantity in idents_cur
    ]
    links = links_cur.fetchall()
    return events, idents, links


def lots_found(session: SqliteSession) -> list[tuple[str, int, int | None, str | None]]:
    return [tuple(r) for r in session.execute("SELECT * FROM trace_lot ORDER BY lot_class")]


def existing_classes(session: SqliteSession, classes: list[str]) -> list[str]:
    """Which of the candidate LGTIN spellings the ledger actually knows."""
    marks = ",".join("?" * len(classes))
    rows = session.execute(
        f"SELECT DISTINCT id FROM identifiers WHERE id IN ({marks}) "
        f"UNION SELECT DISTINCT lot_class FROM item_lots WHERE lot_class IN ({marks})",
        [*classes, *classes],
    )
    return sorted(r[0] for r in rows)


def existing_ids(session: SqliteSession, ids: list[str]) -> list[str]:
    marks = ",".join("?" * len(ids))
    rows = session.execute(f"SELECT DISTINCT id FROM identifiers WHERE id IN ({marks})", ids)
    return sorted(r[0] for r in rows)
