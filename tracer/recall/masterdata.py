"""Names, contacts and dates for the ids a trace found (one query per table)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracer.gs1_check import check_digit
from tracer.ledger import Ledger
from tracer.ledger.select_in import select_in
from tracer.model import Location, LocationKind
from tracer.recall.graph import LocationTally, TraceGraph
from tracer.recall.vocab import SGLN

_LOCATION_COLUMNS = (
    "gln, name, kind, name_zh, address, region, city, contact, phone, email, party_gln, sgln"
)


def gln_of_sgln(sgln: str) -> str | None:
    """``urn:epc:id:sgln:CP.REF.EXT`` → the 13-digit GLN."""
    if not sgln.startswith(SGLN):
        return None
    parts = sgln[len(SGLN) :].split(".")
    if len(parts) < 2:
        return None
    body = parts[0] + parts[1]
    if len(body) != 12 or not (body.isascii() and body.isdigit()):
        return None
    return body + check_digit(body)


def _chunks(values: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def locations_by_sgln(ledger: Ledger, sglns: Iterable[str]) -> dict[str, Location]:
    """Master data for SGLNs; an SGLN with another extension falls back to its GLN."""
    wanted = sorted(set(sglns))
    found: dict[str, Location] = {}
    conn = ledger.connection
    with ledger._lock:
        sql = f"SELECT {_LOCATION_COLUMNS} FROM locations WHERE sgln IN ({{marks}})"
        for row in select_in(conn, sql, wanted, chunk=500):
            found[row[-1]] = _location(row)
        missing = {gln_of_sgln(s): s for s in wanted if s not in found}
        missing.pop(None, None)
        sql = f"SELECT {_LOCATION_COLUMNS} FROM locations WHERE gln IN ({{marks}})"
        for row in select_in(conn, sql, [g for g in missing if g], chunk=500):
            found[missing[row[0]]] = _location(row)
    return found


def _location(row: tuple[Any, ...]) -> Location:
    gln, name, kind, *rest = row[:-1]
    try:
        k = LocationKind(kind)
    except ValueError:
        k = LocationKind.WAREHOUSE
    return Location(gln, name, k, *rest)


def enrich(ledger: Ledger, graph: TraceGraph) -> None:
    """Fill location master data and product / lot names into a finished graph."""
    sglns = set(graph.locations)
    for e in graph.edges:
        if e.kind in ("shipped", "returned"):
            sglns.update((e.source, e.target))
    locs = locations_by_sgln(ledger, sglns)
    for sgln in sglns:
        tally = graph.locations.get(sgln)
        if tally is None:
            tally = graph.locations[sgln] = LocationTally(sgln)
        tally.location = locs.get(sgln)
    gtins = sorted({info.gtin for info in graph.lots.values() if info.gtin})
    if not gtins:
        return
    conn = ledger.connection
    with ledger._lock:
        products: dict[str, tuple[Any, ...]] = {}
        lots: dict[tuple[str, str], tuple[Any, ...]] = {}
        for chunk in _chunks(gtins):
            marks = ",".join("?" * len(chunk))
            short = [g[1:] if g.startswith("0") else g for g in chunk]
            for row in conn.execute(
                f"SELECT gtin, name, name_zh, unit FROM products WHERE gtin IN ({marks}) "
                f"OR gtin IN ({marks})",
                [*chunk, *short],
            ):
                products[row[0].zfill(14)] = row
        # one primary-key lookup per lot: a GTIN can have thousands of lots
        for info in graph.lots.values():
            if info.gtin and info.lot:
                row = conn.execute(
                    "SELECT gtin, lot, production_date, expiry_date FROM lots "
                    "WHERE gtin = ? AND lot = ?",
                    (info.gtin, info.lot),
                ).fetchone()
                if row:
                    lots[(row[0], row[1])] = row
    for info in graph.lots.values():
        if not info.gtin:
            continue
        p = products.get(info.gtin)
        if p:
            info.product, info.product_zh, info.unit = p[1], p[2], p[3]
        lot_row = lots.get((info.gtin, info.lot or ""))
        if lot_row:
            info.production_date, info.expiry_date = lot_row[2], lot_row[3]
