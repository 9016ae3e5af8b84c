"""Appending a batch to a PostgreSQL ledger: many writers, one hash chain.

Everything that does not depend on the chain head (EPCIS JSON, row tuples)
is built before the lock. Then, inside one transaction, an advisory lock
serialises the chain step: check which eventIDs are already there, read the
head, number and chain the new rows, COPY them in, record the new head
(an insert into `chain_heads`), COMMIT. The lock is released by that COMMIT, so the next writer always sees
the rows it chains onto — the chain stays a single line with no gaps even
when a writer dies mid-batch (its transaction simply never happened).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import psycopg

from tracer.ledger.ledger import AppendResult
from tracer.ledger.rows import (
    EVENT_COLUMNS,
    GENESIS,
    EventRows,
    RecordTime,
    build_rows,
    next_chain,
    row_digest,
)
from tracer.model import Event

CHAIN_LOCK = "tracer.chain."
LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtextextended(%s || current_schema(), 0))"

# binary COPY needs each column's type; shared with the bulk load (`load.py`)
COPY_TYPES = {
    "events": ["int4", "text", "int4", *["text"] * 13, "bytea"],
    "identifiers": ["int4", "text", "text", "float8", "text"],
    "links": ["int4", "text", "text", "text"],
    "item_lots": ["text", "text", "int4"],
}
_COPY_EVENTS = f"COPY events ({', '.join(EVENT_COLUMNS)}, chain) FROM STDIN (FORMAT BINARY)"
_COPY_IDENTIFIERS = "COPY identifiers (seq, role, id, quantity, uom) FROM STDIN (FORMAT BINARY)"
_COPY_LINKS = "COPY links (seq, kind, type, id) FROM STDIN (FORMAT BINARY)"
_COPY_ITEM_LOTS = "COPY item_lots (epc, lot_class, seq) FROM STDIN (FORMAT BINARY)"


def prepare(events: Sequence[Event], now: datetime) -> list[EventRows]:
    """The rows of each event, numbered 0 until the chain step gives them a seq."""
    record_time = RecordTime.of(now)
    return [build_rows(e, 0, record_time) for e in events]


def _existing(cur: psycopg.Cursor[Any], prepared: list[EventRows]) -> set[tuple[str, int]]:
    ids = list({r.event[1] for r in prepared})
    rows = cur.execute(
        "SELECT event_id, declares_error FROM events WHERE event_id = ANY(%s)", (ids,)
    ).fetchall()
    return {(r[0], r[1]) for r in rows}


def chain_step(conn: psycopg.Connection, prepared: list[EventRows]) -> AppendResult:
    """Run inside an open transaction: what it added and skipped."""
    with conn.cursor() as cur:
        cur.execute(LOCK_SQL, (CHAIN_LOCK,))
        existing = _existing(cur, prepared)
        head = cur.execute("SELECT seq, chain FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        seq, chain = (int(head[0]), bytes(head[1])) if head else (0, GENESIS)
        event_rows: list[tuple[Any, ...]] = []
        identifiers: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        item_lots: list[tuple[Any, ...]] = []
        added: list[int] = []
        added_ids: list[str] = []
        skipped_ids: list[str] = []
        for rows in prepared:
            key = (rows.event[1], rows.event[2])
            if key in existing:
                skipped_ids.append(str(rows.event[1]))
                continue
            existing.add(key)
            seq += 1
            row = (seq, *rows.event[1:])
            chain = next_chain(chain, row_digest(row))
            event_rows.append((*row, chain))
            identifiers.extend(
                (seq, i[1], i[2], None if i[3] is None else float(i[3]), i[4])
                for i in rows.identifiers
            )
            links.extend((seq, *k[1:]) for k in rows.links)
            item_lots.extend((*it[:2], seq) for it in rows.item_lots)
            added.append(seq)
            added_ids.append(str(rows.event[1]))
        if event_rows:
            copy_rows(cur, _COPY_EVENTS, COPY_TYPES["events"], event_rows)
            copy_rows(cur, _COPY_IDENTIFIERS, COPY_TYPES["identifiers"], identifiers)
            copy_rows(cur, _COPY_LINKS, COPY_TYPES["links"], links)
            copy_rows(cur, _COPY_ITEM_LOTS, COPY_TYPES["item_lots"], item_lots)
            cur.execute("INSERT INTO chain_heads VALUES (%s, %s)", (seq, chain))
    return AppendResult(
        added=tuple(added),
        added_ids=tuple(added_ids),
        skipped=len(skipped_ids),
        skipped_ids=tuple(skipped_ids),
    )


def copy_rows(
    cur: psycopg.Cursor[Any], sql: str, types: list[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """COPY `rows` in binary; returns how many were written."""
    if isinstance(rows, list) and not rows:
        return 0  # no statement for nothing (an append's links are often empty)
    n = 0
    with cur.copy(sql) as copy:
        copy.set_types(types)
        for n, row in enumerate(rows, 1):  # noqa: B007 - n is the count
            copy.write_row(row)
    return n
