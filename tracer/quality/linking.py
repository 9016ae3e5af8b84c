"""Connect a signal to the ledger: which product, which lots, which place, which inputs.

Read-only SQL over the ledger's own tables (events, identifiers, links,
item_lots, products, lots, locations). Events cancelled by an
errorDeclaration are left out everywhere, as the trace does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta

from tracer.gs1_check import check_digit, has_valid_check_digit
from tracer.ledger.query import lot_classes
from tracer.ledger.rows import utc_text
from tracer.quality.signal_model import FOLLOWUP_STEP, SIGNAL_STEP

LotKey = tuple[str, str]  # (GTIN-14, lot)

LIVE = (
    "e.declares_error = 0 AND NOT EXISTS "
    "(SELECT 1 FROM events x WHERE x.event_id = e.event_id AND x.declares_error = 1)"
)


def normalize_gtin(text: str) -> str | None:
    """GTIN-8/12/13/14 → GTIN-14 if its check digit is right, else None."""
    digits = text.strip()
    if len(digits) not in (8, 12, 13, 14):
        return None
    g = digits.zfill(14)
    return g if has_valid_check_digit(g) else None


def split_class(uri: str) -> tuple[str, str | None] | None:
    """(GTIN-14, lot or None) of an LGTIN class, SGTIN or SGTIN pattern URI."""
    for prefix in ("urn:epc:class:lgtin:", "urn:epc:id:sgtin:", "urn:epc:idpat:sgtin:"):
        if uri.startswith(prefix):
            parts = uri[len(prefix) :].split(".", 2)
            if len(parts) < 3:
                return None
            cp, ir, rest = parts
            body = ir[:1] + cp + ir[1:]
            if len(body) != 13 or not (body.isascii() and body.isdigit()):
                return None
            gtin = body + check_digit(body)
            lot = rest if prefix == "urn:epc:class:lgtin:" else None
            return gtin, lot
    return None


def gcp_length(conn: sqlite3.Connection, gtin: str) -> int | None:
    """The company-prefix length the ledger already writes this GTIN with, if any."""
    g = gtin.zfill(14)
    for n in range(6, 13):
        cp, ir = g[1 : 1 + n], g[0] + g[1 + n : 13]
        for scheme in ("urn:epc:class:lgtin:", "urn:epc:id:sgtin:"):
            lo = f"{scheme}{cp}.{ir}."
            row = conn.execute(
                "SELECT 1 FROM identifiers WHERE id >= ? AND id < ? LIMIT 1", (lo, lo + "\uffff")
            ).fetchone()
            if row:
                return n
    return None


def product_name(conn: sqlite3.Connection, gtin: str) -> tuple[str, str | None] | None:
    row = conn.execute(
        "SELECT name, name_zh FROM products WHERE gtin IN (?, ?)", (gtin, gtin.lstrip("0"))
    ).fetchone()
    return (row[0], row[1]) if row else None


def product_known(conn: sqlite3.Connection, gtin: str) -> bool:
    return product_name(conn, gtin) is not None or gcp_length(conn, gtin) is not None


def product_by_name(conn: sqlite3.Connection, name: str) -> str | None:
    """The GTIN-14 of the one product whose English or Chinese name matches."""
    n = name.strip()
    if not n:
        return None
    rows = conn.execute(
        "SELECT gtin FROM products WHERE name = ? OR name_zh = ?", (n, n)
    ).fetchall()
    if not rows:  # one name inside the other; in Python, as SQLite and PostgreSQL differ here
        rows = [
            (g,)
            for g, *names in conn.execute("SELECT gtin, name, name_zh FROM products").fetchall()
            if any(x and (x in n or n in x) for x in names)
        ]
    gtins = {str(r[0]).zfill(14) for r in rows}
    return gtins.pop() if len(gtins) == 1 else None


def lot_known(conn: sqlite3.Connection, gtin: str, lot: str) -> bool:
    """Master data or any event names this lot (class-level or through its items)."""
    g = gtin.zfill(14)
    if conn.execute(
        "SELECT 1 FROM lots WHERE gtin IN (?, ?) AND lot = ?", (g, g.lstrip("0"), lot)
    ).fetchone():
        return True
    classes = lot_classes(g, lot)
    marks = ",".join("?" * len(classes))
    # a signal naming a lot does not make the lot known: only the supply chain does
    return (
        conn.execute(
            f"SELECT 1 FROM identifiers i JOIN events e ON e.seq = i.seq "
            f"WHERE i.id IN ({marks}) AND (e.biz_step IS NULL OR e.biz_step NOT IN (?, ?)) "
            "LIMIT 1",
            [*classes, SIGNAL_STEP, FOLLOWUP_STEP],
        ).fetchone()
        is not None
        or conn.execute(
            f"SELECT 1 FROM item_lots WHERE lot_class IN ({marks}) LIMIT 1", classes
        ).fetchone()
        is not None
    )


def lot_of_item(conn: sqlite3.Connection, sgtin: str) -> LotKey | None:
    row = conn.execute("SELECT lot_class FROM item_lots WHERE epc = ? LIMIT 1", (sgtin,)).fetchone()
    if not row:
        return None
    split = split_class(row[0])
    return (split[0], split[1]) if split and split[1] is not None else None


def resolve_place(conn: sqlite3.Connection, text: str | None) -> tuple[str | None, str | None]:
    """(SGLN, name) of a place given as GLN, SGLN URI or a location's name; (None, None)
    when the text names no known location (a hospital, a school, an unknown shop)."""
    if not text or not text.strip():
        return None, None
    t = text.strip()
    if t.startswith("urn:epc:id:sgln:"):
        row = conn.execute("SELECT sgln, name FROM locations WHERE sgln = ?", (t,)).fetchone()
        return (t, row[1] if row else None)
    if t.isdigit() and len(t) == 13:
        row = conn.execute("SELECT sgln, name FROM locations WHERE gln = ?", (t,)).fetchone()
        if row:
            return row[0], row[1]
        from tracer.codes import keys

        return keys.sgln_uri(t), None
    rows = conn.execute(
        "SELECT sgln, name FROM locations WHERE name = ? OR name_zh = ?", (t, t)
    ).fetchall()
    if len(rows) != 1:
        rows = [
            (sgln, name)
            for sgln, name, name_zh in conn.execute(
                "SELECT sgln, name, name_zh FROM locations"
            ).fetchall()
            if (name and t in name) or (name_zh and t in name_zh)
        ]
    return (rows[0][0], rows[0][1]) if len(rows) == 1 else (None, None)


def _lots_of_ids(conn: sqlite3.Connection, seq_sql: str, params: list[object]) -> set[LotKey]:
    """Lots of everything the selected events name: class ids, items, and the contents
    of named cases and pallets (followed down through their aggregations)."""
    sql = f"""
WITH RECURSIVE named(id, depth) AS (
    SELECT DISTINCT i.id, 0 FROM identifiers i WHERE i.seq IN ({seq_sql})
    UNION
    SELECT c.id, n.depth + 1 FROM named n
    JOIN identifiers p ON p.id = n.id AND p.role = 'parent'
    JOIN identifiers c ON c.seq = p.seq AND c.role = 'child'
    WHERE n.depth < 8
)
SELECT id FROM named WHERE id LIKE 'urn:epc:class:lgtin:%'
UNION
SELECT l.lot_class FROM named n JOIN item_lots l ON l.epc = n.id
"""
    out: set[LotKey] = set()
    for (cls,) in conn.execute(sql, params).fetchall():
        split = split_class(cls)
        if split and split[1] is not None:
            out.add((split[0], split[1]))
    return out


def plausible_lots(
    conn: sqlite3.Connection, gtin: str, place_sgln: str, when: datetime, window_days: int
) -> list[LotKey]:
    """Lots of `gtin` received at, or shipped to, `place_sgln` in the `window_days` before
    `when`: the lots a shopper there could have bought."""
    since, until = utc_text(when - timedelta(days=window_days)), utc_text(when)
    seq_sql = (
        f"SELECT e.seq FROM events e WHERE {LIVE} AND e.event_time >= ? AND e.event_time <= ? "
        "AND (e.biz_location = ? OR e.seq IN "
        "(SELECT k.seq FROM links k WHERE k.kind = 'destination' AND k.id = ?))"
    )
    lots = _lots_of_ids(conn, seq_sql, [since, until, place_sgln, place_sgln])
    g = gtin.zfill(14)
    return sorted(k for k in lots if k[0] == g)


def _transformation_lots(
    conn: sqlite3.Connection, lots: Iterable[LotKey], *, backward: bool, depth: int = 8
) -> list[LotKey]:
    """Lots linked to `lots` through TransformationEvents, any number of levels."""
    start_role, other_role = ("output", "input") if backward else ("input", "output")
    classes = [c for g, lot in lots for c in lot_classes(g, lot)]
    if not classes:
        return []
    marks = ",".join("?" * len(classes))
    sql = f"""
WITH RECURSIVE walk(id, depth) AS (
    SELECT d.id, 0 FROM (SELECT DISTINCT id FROM identifiers WHERE id IN ({marks})) AS d
    UNION
    SELECT o.id, w.depth + 1 FROM walk w
    JOIN identifiers s ON s.id = w.id AND s.role = '{start_role}'
    JOIN events e ON e.seq = s.seq AND e.event_type = 'TransformationEvent' AND {LIVE}
    JOIN identifiers o ON o.seq = s.seq AND o.role = '{other_role}'
    WHERE w.depth < ?
)
SELECT DISTINCT id FROM walk WHERE depth > 0
"""
    out: set[LotKey] = set()
    for (cls,) in conn.execute(sql, [*classes, depth]).fetchall():
        split = split_class(cls)
        if split and split[1] is not None:
            out.add((split[0], split[1]))
    return sorted(out)


def input_lots(conn: sqlite3.Connection, lots: Iterable[LotKey]) -> list[LotKey]:
    """Every lot the given lots were made from (materials, their materials, ...)."""
    return _transformation_lots(conn, lots, backward=True)


def output_lots(conn: sqlite3.Connection, lots: Iterable[LotKey]) -> list[LotKey]:
    """Every lot made from the given lots."""
    return _transformation_lots(conn, lots, backward=False)


def producer_of(conn: sqlite3.Connection, gtin: str) -> str | None:
    """The producer's party GLN from product master data."""
    row = conn.execute(
        "SELECT producer_gln FROM products WHERE gtin IN (?, ?)", (gtin, gtin.lstrip("0"))
    ).fetchone()
    return row[0] if row and row[0] else None


def party_name(conn: sqlite3.Connection, gln: str) -> tuple[str, str | None]:
    row = conn.execute("SELECT name, name_zh FROM parties WHERE gln = ?", (gln,)).fetchone()
    if row:
        return row[0], row[1]
    row = conn.execute(
        "SELECT name, name_zh FROM locations WHERE party_gln = ? OR gln = ? LIMIT 1", (gln, gln)
    ).fetchone()
    return (row[0], row[1]) if row else (gln, None)


def utc(t: datetime) -> str:
    return utc_text(t)
