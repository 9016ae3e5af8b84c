"""Event filters for the CLI, the ledger browser and exports, as indexed SQL."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracer.ledger.rows import utc_text


@dataclass(frozen=True, slots=True)
class EventQuery:
    lot: tuple[str, str] | None = None  # (GTIN-14, lot)
    epc: str | None = None  # any identifier: EPC URI or class-level id
    location: str | None = None  # GLN or SGLN URI (readPoint or bizLocation)
    since: datetime | None = None
    until: datetime | None = None
    biz_step: str | None = None
    event_type: str | None = None
    operator: str | None = None
    station: str | None = None
    after_seq: int = 0
    limit: int | None = None
    newest_first: bool = False


def lgtin_class(company_prefix: str, item_ref: str, lot: str) -> str:
    return f"urn:epc:class:lgtin:{company_prefix}.{item_ref}.{lot}"


def lot_classes(gtin: str, lot: str) -> list[str]:
    """Every LGTIN URI a GTIN-14 can be written as (company prefix of 6 to 12 digits).

    The split of a GTIN into company prefix and item reference is not in the
    GTIN itself, so a lookup tries each length; the index makes that cheap.
    """
    g = gtin.zfill(14)
    indicator, body = g[0], g[1:13]
    return [lgtin_class(body[:n], indicator + body[n:], lot) for n in range(6, 13)]


def location_ids(conn: sqlite3.Connection, location: str) -> list[str]:
    if location.startswith("urn:"):
        return [location]
    row = conn.execute("SELECT sgln FROM locations WHERE gln = ?", (location,)).fetchone()
    if row:
        return [row[0]]
    body = location.zfill(13)[:12]
    return [f"urn:epc:id:sgln:{body[:n]}.{body[n:]}.0" for n in range(6, 13)]


def build_event_query(
    conn: sqlite3.Connection, q: EventQuery, *, count: bool = False
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if q.after_seq:
        where.append("e.seq > ?")
        params.append(q.after_seq)
    if q.lot is not None:
        classes = lot_classes(*q.lot)
        marks = ",".join("?" * len(classes))
        where.append(
            f"e.seq IN (SELECT seq FROM identifiers WHERE id IN ({marks}) "
            f"UNION SELECT i.seq FROM identifiers i JOIN item_lots l ON l.epc = i.id "
            f"WHERE l.lot_class IN ({marks}))"
        )
        params += classes + classes
    if q.epc:
        where.append("e.seq IN (SELECT seq FROM identifiers WHERE id = ?)")
        params.append(q.epc)
    if q.location:
        ids = location_ids(conn, q.location)
        marks = ",".join("?" * len(ids))
        where.append(f"(e.biz_location IN ({marks}) OR e.read_point IN ({marks}))")
        params += ids + ids
    if q.since is not None:
        where.append("e.event_time >= ?")
        params.append(utc_text(q.since))
    if q.until is not None:
        where.append("e.event_time < ?")
        params.append(utc_text(q.until))
    for column, value in (
        ("biz_step", q.biz_step),
        ("event_type", q.event_type),
        ("operator", q.operator),
        ("station", q.station),
    ):
        if value:
            where.append(f"e.{column} = ?")
            params.append(value)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    if count:
        return f"SELECT count(*) FROM events e{clause}", params
    order = "DESC" if q.newest_first else "ASC"
    sql = f"SELECT e.seq, e.record_time, e.doc FROM events e{clause} ORDER BY e.seq {order}"
    if q.limit is not None:
        sql += " LIMIT ?"
        params.append(q.limit)
    return sql, params
