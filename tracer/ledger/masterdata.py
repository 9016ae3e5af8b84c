"""Master data: products, lots, locations, parties, stations, operators.

Master data is reference data, not history, so it is upserted; sqlite-utils
does the upserts and row-to-dict work here (not on the event hot path).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from tracer.model import Location, LocationKind, Lot, Operator, Party, Product, Station

if TYPE_CHECKING:  # either backend: SQLite file or PostgreSQL server
    from tracer.ledger.backend import LedgerBackend as Ledger

T = TypeVar("T")

_TABLES: dict[type[Any], tuple[str, str | tuple[str, ...]]] = {
    Product: ("products", "gtin"),
    Lot: ("lots", ("gtin", "lot")),
    Location: ("locations", "gln"),
    Party: ("parties", "gln"),
    Station: ("stations", "name"),
    Operator: ("operators", "name"),
}


def _row(obj: Any) -> dict[str, Any]:
    row = dataclasses.asdict(obj)
    if isinstance(obj, Location):
        row["sgln"] = obj.sgln
        row["kind"] = obj.kind.value
    return row


def upsert(ledger: Ledger, records: Iterable[Any]) -> int:
    """Insert or update master-data records of any of the known kinds."""
    by_kind: dict[type[Any], list[dict[str, Any]]] = {}
    for r in records:
        by_kind.setdefault(type(r), []).append(_row(r))
    upsert_rows = getattr(ledger, "upsert_rows", None)
    if upsert_rows is not None:  # a server backend (PostgreSQL) upserts in its own SQL
        return sum(
            upsert_rows(_TABLES[k][0], _key(_TABLES[k][1]), rows) for k, rows in by_kind.items()
        )
    import sqlite_utils  # only here: it pulls in numpy, too slow for start-up

    db = sqlite_utils.Database(ledger.connection)
    n = 0
    with ledger._lock:
        conn = ledger.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            for kind, rows in by_kind.items():
                table, pk = _TABLES[kind]
                db[table].upsert_all(rows, pk=pk)  # type: ignore[union-attr]
                n += len(rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return n


def _key(pk: str | tuple[str, ...]) -> tuple[str, ...]:
    return (pk,) if isinstance(pk, str) else pk


def _load(ledger: Ledger, kind: type[T], where: str = "", params: tuple[Any, ...] = ()) -> list[T]:
    table, _ = _TABLES[kind]
    fields = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]
    sql = f"SELECT {', '.join(fields)} FROM {table} {where}"
    with ledger._lock:
        rows = ledger.connection.execute(sql, params).fetchall()
    out = []
    for row in rows:
        values = dict(zip(fields, row, strict=True))
        if kind is Location:
            values["kind"] = LocationKind(values["kind"])
        out.append(kind(**values))
    return out


def products(ledger: Ledger) -> list[Product]:
    return _load(ledger, Product, "ORDER BY gtin")


def product(ledger: Ledger, gtin: str) -> Product | None:
    found = _load(ledger, Product, "WHERE gtin = ?", (gtin,))
    return found[0] if found else None


def lots(ledger: Ledger, gtin: str | None = None) -> list[Lot]:
    if gtin:
        return _load(ledger, Lot, "WHERE gtin = ? ORDER BY lot", (gtin,))
    return _load(ledger, Lot, "ORDER BY gtin, lot")


def lot(ledger: Ledger, gtin: str, lot_number: str) -> Lot | None:
    found = _load(ledger, Lot, "WHERE gtin = ? AND lot = ?", (gtin, lot_number))
    return found[0] if found else None


def locations(ledger: Ledger, kind: LocationKind | None = None) -> list[Location]:
    if kind:
        return _load(ledger, Location, "WHERE kind = ? ORDER BY gln", (kind.value,))
    return _load(ledger, Location, "ORDER BY gln")


def location(ledger: Ledger, gln_or_sgln: str) -> Location | None:
    found = _load(ledger, Location, "WHERE gln = ? OR sgln = ?", (gln_or_sgln, gln_or_sgln))
    return found[0] if found else None


def parties(ledger: Ledger) -> list[Party]:
    return _load(ledger, Party, "ORDER BY gln")


def stations(ledger: Ledger) -> list[Station]:
    return _load(ledger, Station, "ORDER BY name")


def station(ledger: Ledger, name: str) -> Station | None:
    found = _load(ledger, Station, "WHERE name = ?", (name,))
    return found[0] if found else None


def operators(ledger: Ledger) -> list[Operator]:
    return _load(ledger, Operator, "ORDER BY name")
