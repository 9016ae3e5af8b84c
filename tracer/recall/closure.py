"""The set-based part of a trace: recursive SQL over the indexed id tables.

Three walks, each one WITH RECURSIVE statement:
* lots through transformations (input → output forward, output → input backward),
  with items of a lot standing for the lot (item_lots);
* a unit's contents, down the aggregation tree (parent → children);
* every logistic unit that ever held a traced unit, up the tree (child → parent).
The results go into TEMP tables, so the final fetch of the events that name
any traced id is one indexed join, whatever the number of units. Joins that
start from a TEMP table are written ``CROSS JOIN … WHERE`` (standard SQL):
SQLite then keeps the written order, which is the right one, instead of
guessing from a temp table without statistics.

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
    "CREATE TEMP TABLE IF NOT EXISTS trace_id "
    "(id TEXT PRIMARY KEY, kind TEXT NOT NULL, lot_class TEXT, depth INTEGER)",
    "CREATE TEMP TABLE IF NOT EXISTS trace_seq (seq INTEGER PRIMARY KEY)",
)
CLEAR = tuple(f"DELETE FROM {t}" for t in ("trace_seed", "trace_lot", "trace_id", "trace_seq"))


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


def _lot_members(alias: str) -> str:
    """A lot's class id and its items' EPCs: whichever an event names stands for the lot."""
    return (
        f"(SELECT {alias}.lot_class UNION ALL "
        f"SELECT m.epc FROM item_lots m WHERE m.lot_class = {alias}.lot_class)"
    )


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
    SELECT lot_class, depth, NULL, NULL FROM trace_seed
    UNION
    SELECT {_lot_of("f.id")}, w.depth + 1, e.seq, e.event_time
    FROM walk w
    JOIN identifiers n ON n.id IN {_lot_members("w")} AND n.role = '{near}'
    JOIN events e ON e.seq = n.seq
    JOIN identifiers f ON f.seq = n.seq AND f.role = '{far}'
    WHERE w.depth < ? AND e.event_type = 'TransformationEvent' AND {VALID}{w_sql}
)
SELECT lot_class, MIN(depth), MIN(via_seq), MAX(via_time) FROM walk
WHERE true GROUP BY lot_class
ON CONFLICT (lot_class) DO NOTHING
"""
    session.execute(sql, [max_depth, *w_params])


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
    session.executemany(
        "INSERT INTO trace_seed (lot_class, depth) VALUES (?, ?) ON CONFLICT DO NOTHING",
        list(rows),
    )


def add_ids(session: SqliteSession, rows: Iterable[tuple[str, str, str | None, int]]) -> None:
    session.executemany(
        "INSERT INTO trace_id (id, kind, lot_class, depth) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        list(rows),
    )


def outputs_of(
    session: SqliteSession, ids: list[str], *, forward: bool, window: Window
) -> list[str]:
    """Lots made from (forward) or into (backward) some particular units."""
    near, far = ("input", "output") if forward else ("output", "input")
    w_sql, w_params = window.sql()
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        sql = (
            f"SELECT DISTINCT {_lot_of('f.id')} FROM identifiers n "
            "JOIN events e ON e.seq = n.seq "
            f"JOIN identifiers f ON f.seq = n.seq AND f.role = '{far}' "
            f"WHERE n.id IN ({marks}) AND n.role = '{near}' "
            f"AND e.event_type = 'TransformationEvent' AND {VALID}{w_sql}"
        )
        found.update(r[0] for r in session.execute(sql, [*chunk, *w_params]))
    return sorted(found)


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


def walk_containers(session: SqliteSession, *, max_depth: int, window: Window) -> None:
    """Add to trace_id every logistic unit that ever held a traced id."""
    w_sql, w_params = window.sql()
    sql = f"""
INSERT INTO trace_id (id, kind, lot_class, depth)
WITH RECURSIVE up(id, depth) AS (
    SELECT id, 0 FROM trace_id
    UNION
    SELECT p.id, u.depth + 1
    FROM up u
    JOIN identifiers c ON c.id = u.id AND c.role = 'child'
    JOIN events e ON e.seq = c.seq
    JOIN identifiers p ON p.seq = c.seq AND p.role = 'parent'
    WHERE u.depth < ? AND e.action <> 'DELETE' AND {VALID}{w_sql}
)
SELECT id, 'unit', NULL, MIN(depth) FROM up WHERE true GROUP BY id
ON CONFLICT (id) DO NOTHING
"""
    session.execute(sql, [max_depth, *w_params])


def fetch_events(
    session: SqliteSession, window: Window
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every valid event naming a traced id: its identifier rows and its links."""
    w_sql, w_params = window.sql()
    session.execute(
        "INSERT INTO trace_seq (seq) SELECT DISTINCT i.seq FROM trace_id t "
        "CROSS JOIN identifiers i CROSS JOIN events e "
        f"WHERE i.id = t.id AND e.seq = i.seq AND {VALID}{w_sql} ON CONFLICT DO NOTHING",
        w_params,
    )
    rows = session.execute(
        "SELECT e.seq, e.event_type, e.action, e.event_time, e.biz_step, e.disposition, "
        "e.read_point, e.biz_location, i.role, i.id, i.quantity, t.kind, t.lot_class "
        "FROM trace_seq s CROSS JOIN events e CROSS JOIN identifiers i "
        "LEFT JOIN trace_id t ON t.id = i.id "
        "WHERE e.seq = s.seq AND i.seq = s.seq ORDER BY e.event_time, e.seq"
    ).fetchall()
    links = session.execute(
        "SELECT l.seq, l.kind, l.type, l.id FROM trace_seq s CROSS JOIN links l WHERE l.seq = s.seq"
    ).fetchall()
    return rows, links


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
