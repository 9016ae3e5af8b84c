"""Recall events → the recall tables, incrementally or from scratch.

The tables are a cache: `sync` applies recall events appended since the last
sync (including ones merged in from a laptop); `rebuild_campaigns` replays all
of them. An error declaration on a recall event forces a rebuild, since the
cancelled event's effect must disappear.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from tracer.ledger import Ledger
from tracer.recall.campaign_model import RECALL_KEY, Campaign, Target
from tracer.recall.campaign_schema import RECALL_COMPONENT, RECALL_MIGRATIONS
from tracer.recall.closure import VALID
from tracer.recall.start import TraceError

_STEPS = tuple(
    form
    for step in ("recalling", "destroying")
    for form in (
        step,
        f"urn:epcglobal:cbv:bizstep:{step}",
        f"https://ref.gs1.org/cbv/BizStep-{step}",
    )
)
_STEP_MARKS = ",".join("?" * len(_STEPS))
_TARGET_COLUMNS = (
    "sgln, gln, name, name_zh, kind, region, city, address, contact, phone, email, units_shipped, "
    "units_forwarded, units_sold, units_on_hand, by_lot, notified_at, acknowledged_at, acknowledged_by, "
    "units_returned, units_destroyed, units_repaired"
)
_QUANTITY_COLUMN = {
    "returned": "units_returned",
    "destroyed": "units_destroyed",
    "repaired": "units_repaired",
}


def ensure_tables(ledger: Ledger) -> None:
    ledger.migrate(RECALL_COMPONENT, RECALL_MIGRATIONS)


def _recall_rows(conn: sqlite3.Connection, after_seq: int) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT e.seq, e.event_time, e.doc, e.declares_error FROM events e "
        f"WHERE e.biz_step IN ({_STEP_MARKS}) AND e.seq > ? ORDER BY e.seq",
        [*_STEPS, after_seq],
    ).fetchall()


def sync(ledger: Ledger) -> None:
    """Bring the recall tables up to the ledger's last event."""
    if ledger.readonly:
        return
    ensure_tables(ledger)
    with ledger._lock:
        conn = ledger.connection
        row = conn.execute("SELECT last_seq FROM recall_sync WHERE id = 1").fetchone()
        last = int(row[0]) if row else 0
        head = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])
        if head == last:
            return
        rows = _recall_rows(conn, last)
        if any(r[3] for r in rows):
            _rebuild_locked(conn, head)
            return
        _write(conn, rows, head, clear=False)


def rebuild_campaigns(ledger: Ledger) -> int:
    """Re-derive every campaign from the ledger's recall events; returns how many."""
    ensure_tables(ledger)
    with ledger._lock:
        conn = ledger.connection
        head = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])
        _rebuild_locked(conn, head)
        return int(conn.execute("SELECT count(*) FROM recall_campaigns").fetchone()[0])


def _rebuild_locked(conn: sqlite3.Connection, head: int) -> None:
    rows = conn.execute(
        "SELECT e.seq, e.event_time, e.doc, e.declares_error FROM events e "
        f"WHERE e.biz_step IN ({_STEP_MARKS}) AND {VALID} ORDER BY e.seq",
        list(_STEPS),
    ).fetchall()
    _write(conn, rows, head, clear=True)


def _write(
    conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]], head: int, *, clear: bool
) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        if clear:
            for table in ("recall_actions", "recall_targets", "recall_campaigns"):
                conn.execute(f"DELETE FROM {table}")
        for seq, event_time, doc, _ in rows:
            apply_event(conn, seq, event_time, json.loads(doc))
        conn.execute(
            "INSERT INTO recall_sync (id, last_seq) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq",
            (head,),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def apply_event(conn: sqlite3.Connection, seq: int, event_time: str, doc: dict[str, Any]) -> None:
    """One recall event's effect on the tables (inside the caller's transaction)."""
    ext = doc.get(RECALL_KEY)
    if not isinstance(ext, dict) or "campaign" not in ext:
        return
    cid, action = str(ext["campaign"]), str(ext.get("action", ""))
    place = (doc.get("bizLocation") or {}).get("id")
    by = ext.get("by") or doc.get("tracer:operator")
    if action == "open":
        _open(conn, seq, event_time, place, ext)
    elif action == "closed":
        conn.execute(
            "UPDATE recall_campaigns SET status = 'closed', closed_at = ? WHERE campaign_id = ?",
            (event_time, cid),
        )
    elif action == "reopened":
        conn.execute(
            "UPDATE recall_campaigns SET status = 'open', closed_at = NULL WHERE campaign_id = ?",
            (cid,),
        )
    elif action == "notified":
        conn.execute(
            "UPDATE recall_targets SET notified_at = ? WHERE campaign_id = ? AND sgln = ? "
            "AND (notified_at IS NULL OR notified_at > ?)",
            (event_time, cid, place, event_time),
        )
    elif action == "acknowledged":
        conn.execute(
            "UPDATE recall_targets SET acknowledged_at = ?, acknowledged_by = ? "
            "WHERE campaign_id = ? AND sgln = ? AND (acknowledged_at IS NULL OR acknowledged_at > ?)",
            (event_time, by, cid, place, event_time),
        )
    elif action in _QUANTITY_COLUMN:
        column = _QUANTITY_COLUMN[action]
        total = sum(float(q.get("quantity") or 0) for q in doc.get("quantityList") or ())
        conn.execute(
            f"UPDATE recall_targets SET {column} = {column} + ? WHERE campaign_id = ? AND sgln = ?",
            (total, cid, place),
        )
    quantities = doc.get("quantityList") or [{}]
    if action == "open":
        quantities = [{}]
    for q in quantities:
        conn.execute(
            "INSERT INTO recall_actions (campaign_id, seq, action, sgln, lot_class, quantity, at, "
            "by_whom, note) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            (
                cid,
                seq,
                action,
                place,
                q.get("epcClass", ""),
                q.get("quantity"),
                event_time,
                by,
                ext.get("note"),
            ),
        )


def _open(
    conn: sqlite3.Connection, seq: int, event_time: str, place: str | None, ext: dict[str, Any]
) -> None:
    cid = str(ext["campaign"])
    conn.execute(
        "INSERT INTO recall_campaigns (campaign_id, status, reason, hazard, remedy, instructions, "
        "opened_at, opened_by, opened_seq, closed_at, issuer_sgln, contact, lots, affected_lots) "
        "VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (
            cid,
            ext.get("reason", ""),
            ext.get("hazard", ""),
            ext.get("remedy", ""),
            ext.get("instructions"),
            event_time,
            ext.get("by"),
            seq,
            place,
            json.dumps(ext.get("contact") or {}, ensure_ascii=False),
            json.dumps(ext.get("lots") or [], ensure_ascii=False),
            json.dumps(ext.get("affectedLots") or [], ensure_ascii=False),
        ),
    )
    for t in ext.get("targets") or ():
        loc = (
            conn.execute(
                "SELECT gln, name, name_zh, kind, region, city, address, contact, phone, email "
                "FROM locations WHERE sgln = ?",
                (t["sgln"],),
            ).fetchone()
            or (t.get("gln"),) + (None,) * 9
        )
        conn.execute(
            f"INSERT INTO recall_targets (campaign_id, {_TARGET_COLUMNS}) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,NULL,NULL,0,0,0) ON CONFLICT DO NOTHING",
            (
                cid,
                t["sgln"],
                *loc,
                float(t.get("unitsShipped") or 0),
                float(t.get("unitsForwarded") or 0),
                float(t.get("unitsSold") or 0),
                float(t.get("unitsOnHand") or 0),
                json.dumps(t.get("byLot") or {}),
            ),
        )


def load_campaign(ledger: Ledger, campaign_id: str) -> Campaign:
    sync(ledger)
    with ledger._lock:
        conn = ledger.connection
        try:
            row = conn.execute(
                "SELECT campaign_id, status, reason, hazard, remedy, instructions, opened_at, "
                "opened_by, opened_seq, closed_at, issuer_sgln, contact, lots, affected_lots "
                "FROM recall_campaigns WHERE campaign_id = ?",
                (campaign_id,),
            ).fetchone()
        except sqlite3.OperationalError:
            row = None
        if row is None:
            raise TraceError(f"no recall campaign {campaign_id} in {ledger.path}")
        targets = conn.execute(
            f"SELECT {_TARGET_COLUMNS} FROM recall_targets WHERE campaign_id = ? "
            "ORDER BY region, city, name, sgln",
            (campaign_id,),
        ).fetchall()
    names = [
        "campaign_id",
        "status",
        "reason",
        "hazard",
        "remedy",
        "instructions",
        "opened_at",
        "opened_by",
        "opened_seq",
        "closed_at",
        "issuer_sgln",
    ]
    c = Campaign(
        **dict(zip(names, row[:11], strict=True)),
        contact=json.loads(row[11]),
        lots=json.loads(row[12]),
        affected_lots=json.loads(row[13]),
    )
    for t in targets:
        values = list(t)
        values[15] = json.loads(values[15] or "{}")
        c.targets.append(Target(*values))
    return c


def campaign_ids(ledger: Ledger) -> list[str]:
    sync(ledger)
    with ledger._lock:
        try:
            rows = ledger.connection.execute(
                "SELECT campaign_id FROM recall_campaigns ORDER BY opened_at DESC, campaign_id"
            ).fetchall()
        except sqlite3.OperationalError:  # a read-only ledger that never had a recall
            return []
    return [r[0] for r in rows]


def campaign_actions(ledger: Ledger, campaign_id: str) -> list[dict[str, Any]]:
    """Every recorded action of a campaign, oldest first (the recall's logbook)."""
    sync(ledger)
    with ledger._lock:
        rows = ledger.connection.execute(
            "SELECT a.seq, a.action, a.sgln, t.name, a.lot_class, a.quantity, a.at, a.by_whom, "
            "a.note FROM recall_actions a LEFT JOIN recall_targets t "
            "ON t.campaign_id = a.campaign_id AND t.sgln = a.sgln "
            "WHERE a.campaign_id = ? ORDER BY a.at, a.seq",
            (campaign_id,),
        ).fetchall()
    keys = ("seq", "action", "sgln", "name", "lot_class", "quantity", "at", "by", "note")
    return [dict(zip(keys, r, strict=True)) for r in rows]
