"""Signal events → the quality tables, incrementally or from scratch.

The tables are a cache: `sync` applies signal and follow-up events appended
since the last sync (including ones merged in from a laptop) and, when other
events arrived, re-links the signals that name no lot (new shipments may
make more lots plausible); `rebuild` replays everything. An error
declaration on a signal or follow-up forces a rebuild, since the cancelled
event's effect must disappear.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, time
from typing import Any

from tracer.ledger import Ledger
from tracer.quality.linking import lot_known, lot_of_item, plausible_lots
from tracer.quality.rules import Rules, ensure_tables, load_rules
from tracer.quality.signal_model import (
    CST,
    FOLLOWUP_KEY,
    FOLLOWUP_STEP,
    SIGNAL_KEY,
    SIGNAL_STEP,
)

_SIGNAL_COLUMNS = (
    "signal_id, seq, kind, event_time, day, severity, reported_severity, result, gtin, lot, "
    "serial, place, place_sgln, reporter, description, status, status_time, campaign, payload"
)

# a re-applied signal replaces its row (what INSERT OR REPLACE did, in portable SQL)
_SIGNAL_UPSERT = "ON CONFLICT (signal_id) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in _SIGNAL_COLUMNS.replace(" ", "").split(",")[1:]
)

# no lot stated (and known), found by item or confirmed by an assessment
_NO_FIRM_LOT = (
    "NOT EXISTS (SELECT 1 FROM quality_signal_lots l WHERE l.signal_id = "
    "quality_signals.signal_id AND l.basis IN ('stated', 'item', 'assessed'))"
)


def _quality_rows(conn: sqlite3.Connection, after_seq: int) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT e.seq, e.event_id, e.event_time, e.read_point, e.doc, e.declares_error "
        "FROM events e WHERE e.biz_step IN (?, ?) AND e.seq > ? ORDER BY e.seq",
        (SIGNAL_STEP, FOLLOWUP_STEP, after_seq),
    ).fetchall()


def _head(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])


def sync(ledger: Ledger) -> None:
    """Bring the quality tables up to the ledger's last event."""
    if ledger.readonly:
        return
    ensure_tables(ledger)
    rules = load_rules(ledger)
    with ledger._lock:
        conn = ledger.connection
        row = conn.execute("SELECT last_seq FROM quality_sync WHERE id = 1").fetchone()
        last = int(row[0]) if row else 0
        head = _head(conn)
        if head == last:
            return
        rows = _quality_rows(conn, last)
        conn.execute("BEGIN IMMEDIATE")
        try:
            if any(r[5] for r in rows):
                _clear(conn)
                rows = _quality_rows(conn, 0)
            _apply(conn, rows, rules)
            _relink_lotless(conn, rules)
            _set_synced(conn, head)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def rebuild(ledger: Ledger) -> int:
    """Re-derive the quality tables from the ledger's events; returns the signal count."""
    ensure_tables(ledger)
    rules = load_rules(ledger)
    with ledger._lock:
        conn = ledger.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            _clear(conn)
            _apply(conn, _quality_rows(conn, 0), rules)
            _relink_lotless(conn, rules)
            _set_synced(conn, _head(conn))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return int(conn.execute("SELECT count(*) FROM quality_signals").fetchone()[0])


def _set_synced(conn: sqlite3.Connection, head: int) -> None:
    conn.execute(
        "INSERT INTO quality_sync (id, last_seq) VALUES (1, ?) "
        "ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq",
        (head,),
    )


def _clear(conn: sqlite3.Connection) -> None:
    for table in ("quality_signal_lots", "quality_signals", "quality_followups"):
        conn.execute(f"DELETE FROM {table}")


def _cancelled(conn: sqlite3.Connection) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "SELECT event_id FROM events WHERE declares_error = 1 AND biz_step IN (?, ?)",
            (SIGNAL_STEP, FOLLOWUP_STEP),
        ).fetchall()
    }


def _apply(conn: sqlite3.Connection, rows: list[tuple[Any, ...]], rules: Rules) -> None:
    cancelled = _cancelled(conn) if rows else set()
    touched: set[str] = set()
    for seq, event_id, event_time, read_point, doc, declares_error in rows:
        if declares_error or event_id in cancelled:
            continue
        d = json.loads(doc)
        if SIGNAL_KEY in d:
            _insert_signal(conn, seq, event_id, event_time, read_point, d, rules)
            touched.add(event_id)
        elif FOLLOWUP_KEY in d:
            f = d[FOLLOWUP_KEY]
            conn.execute(
                "INSERT INTO quality_followups "
                "(seq, signal_id, action, event_time, by_, note, severity, campaign, payload) "
                "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (seq) DO UPDATE SET "
                "signal_id = excluded.signal_id, action = excluded.action, "
                "event_time = excluded.event_time, by_ = excluded.by_, note = excluded.note, "
                "severity = excluded.severity, campaign = excluded.campaign, "
                "payload = excluded.payload",
                (
                    seq,
                    f.get("signal"),
                    f.get("action"),
                    event_time,
                    f.get("by"),
                    f.get("note"),
                    f.get("severity"),
                    f.get("campaign"),
                    json.dumps(f, ensure_ascii=False),
                ),
            )
            touched.add(str(f.get("signal")))
    for signal_id in touched:
        _restate(conn, signal_id)


def _insert_signal(
    conn: sqlite3.Connection,
    seq: int,
    event_id: str,
    event_time: str,
    read_point: str | None,
    doc: dict[str, Any],
    rules: Rules,
) -> None:
    s = doc[SIGNAL_KEY]
    product = s.get("product") or {}
    gtin, lot, serial = product.get("gtin"), product.get("lot"), product.get("serial")
    severity = str(s.get("severity") or "medium")
    conn.execute(
        f"INSERT INTO quality_signals ({_SIGNAL_COLUMNS}) "
        f"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) {_SIGNAL_UPSERT}",
        (
            event_id,
            seq,
            s.get("kind"),
            event_time,
            s.get("date") or event_time[:10],
            severity,
            severity,
            s.get("result"),
            gtin,
            lot,
            serial,
            s.get("place"),
            read_point,
            s.get("reporter"),
            s.get("description"),
            "new",
            None,
            None,
            json.dumps(s, ensure_ascii=False),
        ),
    )
    conn.execute("DELETE FROM quality_signal_lots WHERE signal_id = ?", (event_id,))
    if gtin and lot and lot_known(conn, gtin, lot):
        _link(conn, event_id, gtin, lot, "stated")
    elif gtin and serial:
        for epc in doc.get("epcList") or []:
            found = lot_of_item(conn, epc)
            if found:
                _link(conn, event_id, found[0], found[1], "item")
    _link_plausible(conn, event_id, rules)


def _link(conn: sqlite3.Connection, signal_id: str, gtin: str, lot: str, basis: str) -> None:
    conn.execute(
        "INSERT INTO quality_signal_lots (signal_id, gtin, lot, basis) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (signal_id, gtin, lot) DO NOTHING",
        (signal_id, gtin.zfill(14), lot, basis),
    )


def _day_end(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day[:10]), time(23, 59, 59), tzinfo=CST)


def _link_plausible(conn: sqlite3.Connection, signal_id: str, rules: Rules) -> None:
    """A signal that names the product but no lot: the lots that reached its place."""
    row = conn.execute(
        "SELECT gtin, place_sgln, day FROM quality_signals WHERE signal_id = ? "
        f"AND gtin IS NOT NULL AND {_NO_FIRM_LOT}",
        (signal_id,),
    ).fetchone()
    if not row or not row[1]:
        return
    gtin, place, day = row
    conn.execute(
        "DELETE FROM quality_signal_lots WHERE signal_id = ? AND basis = 'plausible'", (signal_id,)
    )
    for g, lot in plausible_lots(conn, gtin, place, _day_end(day), rules.link_window_days):
        _link(conn, signal_id, g, lot, "plausible")


def _relink_lotless(conn: sqlite3.Connection, rules: Rules) -> None:
    ids = conn.execute(
        "SELECT signal_id FROM quality_signals WHERE gtin IS NOT NULL "
        f"AND place_sgln IS NOT NULL AND {_NO_FIRM_LOT}"
    ).fetchall()
    for (signal_id,) in ids:
        _link_plausible(conn, signal_id, rules)


def _restate(conn: sqlite3.Connection, signal_id: str) -> None:
    """Status, severity and confirmed lots of a signal from its follow-ups, in time order."""
    sig = conn.execute(
        "SELECT reported_severity FROM quality_signals WHERE signal_id = ?", (signal_id,)
    ).fetchone()
    if sig is None:
        return  # a follow-up merged in before its signal: applied when the signal comes
    status, when, campaign, severity = "new", None, None, sig[0]
    confirmed: list[tuple[str, str]] = []
    for action, event_time, sev, camp, payload in conn.execute(
        "SELECT action, event_time, severity, campaign, payload FROM quality_followups "
        "WHERE signal_id = ? ORDER BY event_time, seq",
        (signal_id,),
    ).fetchall():
        if status == "escalated" and action != "escalated":
            continue  # a recall once opened is not undone by a later assessment
        status, when = action, event_time
        severity = sev or severity
        campaign = camp or campaign
        for item in json.loads(payload).get("lots") or []:
            confirmed.append((str(item["gtin"]), str(item["lot"])))
    conn.execute(
        "UPDATE quality_signals SET status = ?, status_time = ?, campaign = ?, severity = ? "
        "WHERE signal_id = ?",
        (status, when, campaign, severity, signal_id),
    )
    if confirmed:
        conn.execute(
            "DELETE FROM quality_signal_lots WHERE signal_id = ? AND basis = 'plausible'",
            (signal_id,),
        )
        for g, lot in confirmed:
            if lot_known(conn, g, lot):
                _link(conn, signal_id, g, lot, "assessed")
