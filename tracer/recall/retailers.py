"""The list a recall coordinator works down: every place that received affected goods.

Built from a forward trace: each location goods were shipped to or received
at (distribution centres and factories receiving a bad material included),
with its contacts, region and the units it got, sold, sent back and still
holds, per lot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracer.recall.graph import TraceGraph
from tracer.recall.vocab import short_id


@dataclass
class RetailerRow:
    sgln: str
    gln: str
    name: str
    name_zh: str | None
    kind: str
    region: str | None
    city: str | None
    address: str | None
    contact: str | None
    phone: str | None
    email: str | None
    units_received: float
    units_forwarded: float  # shipped on to other locations (a DC's outbound)
    units_sold: float
    units_returned: float
    units_on_hand: float
    units_unconfirmed: float  # shipped there, no receipt scanned yet
    by_lot: dict[str, float] = field(default_factory=dict)  # lot class -> units received

    @property
    def lots_text(self) -> str:
        return "; ".join(f"{short_id(lot)} × {_n(q)}" for lot, q in sorted(self.by_lot.items()))

    def as_dict(self) -> dict[str, Any]:
        d = dict(vars(self))
        d["lots"] = self.lots_text
        return d


def _n(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 3)


@dataclass
class RetailerList:
    """Rows sorted by region then name; `lots` names every affected lot for headers."""

    title: str
    rows: list[RetailerRow]
    lots: dict[str, str]  # lot class -> "GTIN/LOT product"

    @property
    def units_received(self) -> float:
        return sum(r.units_received for r in self.rows)

    def regions(self) -> dict[str, list[RetailerRow]]:
        out: dict[str, list[RetailerRow]] = {}
        for r in self.rows:
            out.setdefault(r.region or "—", []).append(r)
        return out


RETAILER_COLUMNS = (
    ("region", "Region 地区"),
    ("city", "City 城市"),
    ("name", "Name 名称"),
    ("name_zh", "名称（中文）"),
    ("kind", "Kind 类型"),
    ("gln", "GLN"),
    ("contact", "Contact 联系人"),
    ("phone", "Phone 电话"),
    ("email", "E-mail 邮箱"),
    ("address", "Address 地址"),
    ("units_received", "Received 收货数量"),
    ("units_forwarded", "Shipped on 转发"),
    ("units_sold", "Sold 已售"),
    ("units_returned", "Returned 已退回"),
    ("units_on_hand", "On hand 库存"),
    ("units_unconfirmed", "Unconfirmed 未确认收货"),
    ("lots", "Lots 批次"),
)


def retailer_list(graph: TraceGraph, *, title: str | None = None) -> RetailerList:
    """Every location that received traced goods (shipment or receipt), with contacts."""
    rows = []
    for sgln, t in graph.locations.items():
        received = max(t.units("received"), t.units("shipped_in")) - t.units("returned_in")
        if received <= 0:
            continue
        loc = t.location
        by_lot = {}
        for lot in t.lots():
            got = max(t.lot_units("received", lot), t.lot_units("shipped_in", lot))
            got -= t.lot_units("returned_in", lot)
            if got > 0:
                by_lot[lot] = got
        rows.append(
            RetailerRow(
                sgln=sgln,
                gln=loc.gln if loc else sgln,
                name=loc.name if loc else sgln,
                name_zh=loc.name_zh if loc else None,
                kind=loc.kind.value if loc else "unknown",
                region=loc.region if loc else None,
                city=loc.city if loc else None,
                address=loc.address if loc else None,
                contact=loc.contact if loc else None,
                phone=loc.phone if loc else None,
                email=loc.email if loc else None,
                units_received=received,
                units_forwarded=t.units("shipped_out"),
                units_sold=t.units("sold"),
                units_returned=t.units("returned_out"),
                units_on_hand=t.on_hand(),
                units_unconfirmed=t.unconfirmed(),
                by_lot=by_lot,
            )
        )
    rows.sort(key=lambda r: (r.region or "~", r.city or "", r.name, r.gln))
    lots = {
        lot: f"{info.gtin}/{info.lot} {info.product or ''}".strip()
        for lot, info in sorted(graph.lots.items())
    }
    return RetailerList(title or f"Affected locations: {graph.start}", rows, lots)


def retailer_table(rl: RetailerList) -> tuple[list[str], list[list[Any]]]:
    """Header and cells shared by the CSV, XLSX and PDF writers."""
    header = [label for _, label in RETAILER_COLUMNS]
    cells = []
    for r in rl.rows:
        d = r.as_dict()
        cells.append([_n(d[k]) if isinstance(d[k], float) else d[k] for k, _ in RETAILER_COLUMNS])
    return header, cells
