"""Event filters for the CLI, the ledger browser and exports, as indexed SQL.

A page of a filter (`limit`, cursor `after_seq`/`before_seq`) must come back
at once on a 10M-event ledger whatever the filter's selectivity, so the
query is planned here rather than left to SQLite (which has no statistics on
a ledger and guesses): each indexed filter is first counted through its
index up to `SPARSE_CAP` rows. A sparse filter then drives the page (its
seqs come from the index, a few thousand at most, iterated in seq order);
when every filter is dense the page is a backward (or forward) walk of the
primary key, which meets a match every few rows, with the filters written
so that no index is used (`|| ''`): a dense index range sorted by seq would
read millions of entries for 200 rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tracer.ledger.rows import utc_text

# above this many matches a filter is dense: walking the primary key finds a
# page of it in a few thousand rows at most
SPARSE_CAP = 20_000
# Dense filters may still be rare together (a step at one shop): the walk's
# next SAMPLE rows are tested first, and when a page would take more than
# WALK_BUDGET rows the least dense filter, counted up to WIDE_CAP, drives
SAMPLE = 2_000
WALK_BUDGET = 50_000
WIDE_CAP = 300_000


@dataclass(frozen=True, slots=True)
class EventQuery:
    lot: tuple[str, str] | None = None  # (GTIN-14, lot)
    epc: str | None = None  # any identifier: EPC URI or class-level id
    product: str | None = None  # GTIN: any SGTIN or LGTIN of it, in any role
    location: str | None = None  # GLN or SGLN URI (readPoint or bizLocation)
    since: datetime | None = None
    until: datetime | None = None
    biz_step: str | None = None
    event_type: str | None = None
    operator: str | None = None
    station: str | None = None
    after_seq: int = 0
    before_seq: int | None = None  # the cursor of newest-first pages
    limit: int | None = None
    newest_first: bool = False


def lgtin_class(company_prefix: str, item_ref: str, lot: str) -> str:
    return f"urn:epc:class:lgtin:{company_prefix}.{item_ref}.{lot}"


def _gtin_splits(gtin: str) -> list[tuple[str, str]]:
    """(company prefix, indicator + item reference) for each prefix length 6..12.

    The split of a GTIN into company prefix and item reference is not in the
    GTIN itself, so a lookup tries each length; the index makes that cheap.
    """
    g = gtin.zfill(14)
    indicator, body = g[0], g[1:13]
    return [(body[:n], indicator + body[n:]) for n in range(6, 13)]


def lot_classes(gtin: str, lot: str) -> list[str]:
    """Every LGTIN URI a GTIN-14 and lot can be written as."""
    return [lgtin_class(cp, ref, lot) for cp, ref in _gtin_splits(gtin)]


def product_prefixes(gtin: str) -> list[str]:
    """Every SGTIN and LGTIN URI prefix (up to the serial or lot) of a GTIN."""
    return [
        f"urn:epc:{scheme}:{cp}.{ref}."
        for scheme in ("id:sgtin", "class:lgtin")
        for cp, ref in _gtin_splits(gtin)
    ]


def location_ids(conn: Any, location: str) -> list[str]:
    if location.startswith("urn:"):
        return [location]
    row = conn.execute("SELECT sgln FROM locations WHERE gln = ?", (location,)).fetchone()
    if row:
        return [row[0]]
    body = location.zfill(13)[:12]
    return [f"urn:epc:id:sgln:{body[:n]}.{body[n:]}.0" for n in range(6, 13)]


@dataclass(frozen=True, slots=True)
class _Cursor:
    """The page cursor as a condition on some `seq` column ("" when none)."""

    op: str = ""
    params: tuple[Any, ...] = ()

    def on(self, column: str) -> str:
        return f" AND {column} {self.op}" if self.op else ""


@dataclass(slots=True)
class _Part:
    """One filter, in its two shapes.

    `check` tests a row of `events e` without an index; `seqs(cursor)` is a
    SELECT of matching seqs through an index, within the page cursor.
    """

    check: str
    params: list[Any]
    seqs: Callable[[_Cursor], tuple[str, list[Any]]] | None = None
    indexed: str = ""  # the check as an index may serve it (counts)
    indexed_params: list[Any] = field(default_factory=list)
    # its index holds seq (covering): alone, a page is the index's top seqs
    covering: bool = False


def _marks(values: list[str]) -> str:
    return ",".join("?" * len(values))


def _prefix_test(conn: Any) -> Callable[[str, str], tuple[str, list[str]]]:
    """`column` starts with a prefix, as a range the index serves (SQLite).

    PostgreSQL compares text in the database's collation, where '.' and '/'
    may not sort by code point, so there it is a LIKE (exact, maybe unindexed).
    """
    if isinstance(conn, sqlite3.Connection):
        return lambda col, p: (f"({col} >= ? AND {col} < ?)", [p, p[:-1] + "/"])
    return lambda col, p: (f"{col} LIKE ?", [p + "%"])


def _lot_part(q_lot: tuple[str, str]) -> _Part:
    classes = lot_classes(*q_lot)
    m = _marks(classes)

    def seqs(c: _Cursor) -> tuple[str, list[Any]]:
        b = c.on("i.seq")
        return (
            f"SELECT i.seq FROM identifiers i WHERE i.id IN ({m}){b} "
            f"UNION SELECT i.seq FROM identifiers i JOIN item_lots l ON l.epc = i.id "
            f"WHERE l.lot_class IN ({m}){b}",
            [*classes, *c.params, *classes, *c.params],
        )

    check = (
        f"EXISTS (SELECT 1 FROM identifiers i WHERE i.seq = e.seq AND (i.id IN ({m}) "
        f"OR i.id IN (SELECT epc FROM item_lots WHERE lot_class IN ({m}))))"
    )
    return _Part(check, [*classes, *classes], seqs)


def _product_part(conn: Any, gtin: str) -> _Part:
    test = _prefix_test(conn)
    # only the prefixes the ledger has: one split of the GTIN in practice
    used = [
        p
        for p in product_prefixes(gtin)
        if conn.execute(
            f"SELECT 1 FROM identifiers WHERE {test('id', p)[0]} LIMIT 1", test("id", p)[1]
        ).fetchone()
    ]
    if not used:
        return _Part("1 = 0", [], lambda _c: ("SELECT seq FROM events WHERE 1 = 0", []))

    def seqs(c: _Cursor) -> tuple[str, list[Any]]:
        arms = [test("id", p) for p in used]
        sql = " UNION ".join(f"SELECT seq FROM identifiers WHERE {t}{c.on('seq')}" for t, _ in arms)
        return sql, [x for _, params in arms for x in (*params, *c.params)]

    tests = [test("i.id", p) for p in used]
    check = (
        "EXISTS (SELECT 1 FROM identifiers i WHERE i.seq = e.seq AND ("
        + " OR ".join(t for t, _ in tests)
        + "))"
    )
    return _Part(check, [x for _, params in tests for x in params], seqs)


def _column_part(column: str, op: str, value: Any, *, indexed: bool) -> _Part:
    """`e.column op value`; indexed columns also give their seqs from the index."""
    check = f"e.{column} || '' {op} ?" if indexed else f"e.{column} {op} ?"
    part = _Part(check, [value], indexed=f"e.{column} {op} ?", indexed_params=[value])
    if indexed:
        part.seqs = lambda c: (
            f"SELECT seq FROM events WHERE {column} {op} ?{c.on('seq')}",
            [value, *c.params],
        )
    return part


def _location_part(conn: Any, location: str, indexed: bool) -> _Part:
    ids = location_ids(conn, location)
    m = _marks(ids)

    def seqs(c: _Cursor) -> tuple[str, list[Any]]:
        b = c.on("seq")
        return (
            f"SELECT seq FROM events WHERE biz_location IN ({m}){b} "
            f"UNION SELECT seq FROM events WHERE read_point IN ({m}){b}",
            [*ids, *c.params, *ids, *c.params],
        )

    check = f"(e.biz_location || '' IN ({m}) OR e.read_point || '' IN ({m}))"
    plain = f"(e.biz_location IN ({m}) OR e.read_point IN ({m}))"
    return _Part(check, [*ids, *ids], seqs if indexed else None, plain, [*ids, *ids])


def _time_part(q: EventQuery) -> _Part:
    ops, values = [], []
    if q.since is not None:
        ops.append(">=")
        values.append(utc_text(q.since))
    if q.until is not None:
        ops.append("<")
        values.append(utc_text(q.until))
    test = " AND ".join(f"event_time {op} ?" for op in ops)
    return _Part(
        " AND ".join(f"e.event_time || '' {op} ?" for op in ops),
        values,
        lambda c: (f"SELECT seq FROM events WHERE {test}{c.on('seq')}", [*values, *c.params]),
        " AND ".join(f"e.event_time {op} ?" for op in ops),
        values,
        # a closed time window is a band of seqs anywhere in the ledger (event
        # and record order differ), which a walk from the newest may take
        # millions of rows to reach: the index's top seqs are found instead,
        # reading only the window's index entries (~4M/s)
        covering=q.until is not None,
    )


def _parts(conn: Any, q: EventQuery, indexes: set[str]) -> list[_Part]:
    parts: list[_Part] = []
    if q.lot is not None:
        parts.append(_lot_part(q.lot))
    if q.epc:
        parts.append(
            _Part(
                "EXISTS (SELECT 1 FROM identifiers i WHERE i.seq = e.seq AND i.id = ?)",
                [q.epc],
                lambda c: (
                    f"SELECT seq FROM identifiers WHERE id = ?{c.on('seq')}",
                    [q.epc, *c.params],
                ),
            )
        )
    if q.product:
        parts.append(_product_part(conn, q.product))
    if q.location:
        parts.append(_location_part(conn, q.location, "events_read_point" in indexes))
    if q.since is not None or q.until is not None:
        parts.append(_time_part(q))
    for column, value, indexed in (
        ("biz_step", q.biz_step, True),
        ("operator", q.operator, "events_operator" in indexes),
        ("event_type", q.event_type, False),
        ("station", q.station, False),
    ):
        if value:
            parts.append(_column_part(column, "=", value, indexed=indexed))
    return parts


def _cursor(q: EventQuery) -> _Cursor:
    if q.after_seq and q.before_seq is not None:
        return _Cursor("BETWEEN ? AND ?", (q.after_seq + 1, q.before_seq - 1))
    if q.before_seq is not None:
        return _Cursor("< ?", (q.before_seq,))
    if q.after_seq:
        return _Cursor("> ?", (q.after_seq,))
    return _Cursor()


def _sparse(conn: Any, part: _Part, cursor: _Cursor, cap: int | None = None) -> int | None:
    """How many rows the part's index gives within the cursor; None when dense."""
    if part.seqs is None:
        return None
    cap = cap or SPARSE_CAP
    sql, params = part.seqs(cursor)
    n = int(conn.execute(f"SELECT count(*) FROM ({sql} LIMIT {cap}) t", params).fetchone()[0])
    return n if n < cap else None


def _rare_together(conn: Any, parts: list[_Part], q: EventQuery, limit: int) -> bool:
    """Would a walk from the cursor read more than WALK_BUDGET rows for a page?"""
    if q.newest_first:
        top = q.before_seq
        if top is None:
            top = int(conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]) + 1
        lo, hi = max(q.after_seq, top - 1 - SAMPLE), top
    else:
        lo = q.after_seq
        hi = lo + SAMPLE + 1 if q.before_seq is None else min(q.before_seq, lo + SAMPLE + 1)
    checks = " AND ".join(p.check for p in parts)
    found = conn.execute(
        f"SELECT count(*) FROM events e WHERE e.seq > ? AND e.seq < ? AND {checks}",
        [lo, hi, *(x for p in parts for x in p.params)],
    ).fetchone()[0]
    return int(found) * WALK_BUDGET < limit * SAMPLE


def build_event_query(conn: Any, q: EventQuery, *, count: bool = False) -> tuple[str, list[Any]]:
    """The SELECT (or count) of a query and its parameters, planned as above."""
    sqlite = isinstance(conn, sqlite3.Connection)
    indexes = (
        {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        if sqlite
        else set()
    )
    parts = _parts(conn, q, indexes)
    cursor = _cursor(q)
    order = "DESC" if q.newest_first else "ASC"
    where: list[str] = []
    params: list[Any] = []
    only = parts[0] if len(parts) == 1 else None
    if count and only is not None and not only.indexed and only.seqs is not None:
        # one identifiers filter: count its distinct seqs, never touching events
        # (a product on a 10M-event ledger: 2.8 s instead of 47 s)
        sql, sp = only.seqs(cursor)
        return f"SELECT count(*) FROM ({sql}) t", sp
    if count or q.limit is None or not sqlite:
        # the whole answer, or PostgreSQL (which keeps statistics and plans a
        # LIMIT well): let the planner use whichever index it likes
        for p in parts:
            if p.indexed:
                where.append(p.indexed)
                params += p.indexed_params
            elif p.seqs is not None:  # identifiers: their index, not a scan of events
                sql, sp = p.seqs(_Cursor())
                where.append(f"e.seq IN ({sql})")
                params += sp
            else:
                where.append(p.check)
                params += p.params
        if cursor.op:
            where.append(f"e.seq {cursor.op}")
            params += cursor.params
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        if count:
            return f"SELECT count(*) FROM events e{clause}", params
        sql = f"SELECT e.seq, e.record_time, e.doc FROM events e{clause} ORDER BY e.seq {order}"
        if q.limit is not None:
            sql += " LIMIT ?"
            params.append(q.limit)
        return sql, params
    sparse = [(n, k) for k, p in enumerate(parts) if (n := _sparse(conn, p, cursor)) is not None]
    driver = min(sparse)[1] if sparse else None
    if driver is None and len(parts) == 1 and parts[0].covering and parts[0].seqs:
        sql, sp = parts[0].seqs(cursor)
        sql = f"SELECT e.seq, e.record_time, e.doc FROM events e WHERE e.seq IN ({sql} ORDER BY seq {order} LIMIT ?) ORDER BY e.seq {order}"
        return sql, [*sp, q.limit]
    if driver is None and len(parts) > 1 and _rare_together(conn, parts, q, q.limit):
        wide = [
            (n, k)
            for k, p in enumerate(parts)
            if (n := _sparse(conn, p, cursor, WIDE_CAP)) is not None
        ]
        driver = min(wide)[1] if wide else None
    if driver is not None:
        sql, sp = parts[driver].seqs(cursor)  # type: ignore[misc]
        where.append(f"e.seq IN ({sql})")
        params += sp
    elif cursor.op:
        where.append(f"e.seq {cursor.op}")
        params += cursor.params
    for k, p in enumerate(parts):
        if k != driver:
            where.append(p.check)
            params += p.params
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    sql = f"SELECT e.seq, e.record_time, e.doc FROM events e{clause} ORDER BY e.seq {order} LIMIT ?"
    return sql, [*params, q.limit]
