"""Facts about the demo ledger found by independent routes (the trace, raw events),
used as oracles by the quality tests."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import datetime

from tracer.ledger import Ledger
from tracer.model import parse_time
from tracer.recall import forward_trace


def finished_lots(ledger: Ledger) -> list[tuple[str, str, str]]:
    """(GTIN-14, lot, production date) of every finished lot that reached a retailer."""
    rows = ledger.connection.execute(
        "SELECT gtin, lot, production_date FROM lots WHERE lot LIKE 'L%' ORDER BY production_date"
    ).fetchall()
    return [(g, lot, d) for g, lot, d in rows]


def retailers_of(ledger: Ledger, gtin: str, lot: str) -> dict[str, float]:
    """SGLN → units received, of every retail location the forward trace reaches."""
    g = forward_trace(ledger, (gtin, lot))
    return {t.sgln: t.units("received") for t in g.retail_locations() if t.units("received")}


def arrivals(ledger: Ledger, gtin: str) -> dict[str, list[tuple[datetime, str]]]:
    """Per retail SGLN, (time, lot) of each arrival of a lot of `gtin`, by trace."""
    out: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for g, lot, _d in finished_lots(ledger):
        if g != gtin:
            continue
        graph = forward_trace(ledger, (g, lot))
        for e in graph.edges_of("shipped"):
            if e.target in {t.sgln for t in graph.retail_locations()} and e.first_time:
                out[e.target].append((parse_time(e.first_time), lot))
    return out


def input_material_lots(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Material lot class → output lot classes, read from TransformationEvents' JSON."""
    import json

    out: dict[str, list[str]] = defaultdict(list)
    for (doc,) in conn.execute(
        "SELECT doc FROM events WHERE event_type = 'TransformationEvent'"
    ).fetchall():
        d = json.loads(doc)
        outs = [q["epcClass"] for q in d.get("outputQuantityList", [])]
        for q in d.get("inputQuantityList", []):
            out[q["epcClass"]].extend(outs)
    return out


def retail_destinations(conn: sqlite3.Connection, gtin: str, lot: str) -> set[str]:
    """Oracle from raw rows: retail SGLNs a live shipment of a case holding the lot went to."""
    cp_ir = {f"{gtin[1 : 1 + n]}.{gtin[0]}{gtin[1 + n : 13]}" for n in range(6, 13)}
    classes = [f"urn:epc:class:lgtin:{x}.{lot}" for x in cp_ir]
    marks = ",".join("?" * len(classes))
    cases = {
        r[0]
        for r in conn.execute(
            f"""SELECT p.id FROM identifiers p JOIN identifiers c ON c.seq = p.seq
            WHERE p.role = 'parent' AND c.role = 'child' AND (c.id IN ({marks})
            OR c.id IN (SELECT epc FROM item_lots WHERE lot_class IN ({marks})))""",
            classes + classes,
        ).fetchall()
    }
    out: set[str] = set()
    for case in cases:
        for (dest,) in conn.execute(
            """SELECT k.id FROM identifiers i JOIN events e ON e.seq = i.seq
            JOIN links k ON k.seq = e.seq AND k.kind = 'destination' AND k.type = 'location'
            JOIN locations l ON l.sgln = k.id AND l.kind IN ('retailer', 'e-commerce')
            WHERE i.id = ? AND e.biz_step = 'shipping' AND e.declares_error = 0
            AND NOT EXISTS (SELECT 1 FROM events x WHERE x.event_id = e.event_id
                            AND x.declares_error = 1)""",
            (case,),
        ).fetchall():
            out.add(dest)
    return out
