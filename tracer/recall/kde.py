"""Key data elements of the traced lots, FSMA 204 style, as a sortable spreadsheet.

One row per critical tracking event (creation, transformation, shipping,
receiving, and the sale / destruction ends) and per lot: the traceability
lot code, product, quantity and unit, the event's location and, for
shipments, ship-from / ship-to, the date, the lot code source (where the lot
was assigned) and the reference documents (despatch advice, purchase order).
"""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

from tracer.model import parse_time
from tracer.recall.graph import TraceGraph

CTE = {
    "produced": "Creation / transformation output",
    "consumed": "Transformation input",
    "shipped": "Shipping",
    "returned": "Shipping (return)",
    "received": "Receiving",
    "sold": "Sale",
    "destroyed": "Destruction",
    "recalled": "Recall collection",
}
KDE_COLUMNS = [
    "Traceability lot code (GTIN/lot)",
    "Product description",
    "Quantity",
    "Unit of measure",
    "Critical tracking event",
    "Event date (UTC+8)",
    "Location of event",
    "Location GLN",
    "Ship-from location",
    "Ship-to location",
    "Traceability lot code source",
    "Reference document type",
    "Reference document number",
    "EPCIS event seq",
]
CHINA = timezone(timedelta(hours=8))


def kde_rows(graph: TraceGraph) -> list[list[Any]]:
    """Rows sorted by lot code then time; names from master data, else the GLN/SGLN."""

    def name(sgln: str | None) -> str:
        if not sgln:
            return ""
        t = graph.locations.get(sgln)
        return t.location.name if t and t.location else sgln

    def gln(sgln: str | None) -> str:
        t = graph.locations.get(sgln or "")
        return t.location.gln if t and t.location else (sgln or "")

    source_of: dict[str, str] = {}
    for e in graph.edges_of("produced"):
        source_of.setdefault(e.source, e.target)
    rows = []
    for ev in graph.events:
        when = parse_time(ev.time).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
        for lot_class, qty in sorted(ev.by_lot.items()):
            info = graph.lots.get(lot_class)
            code = f"{info.gtin}/{info.lot}" if info and info.gtin else lot_class
            desc = " ".join(
                x
                for x in ((info.product if info else None), (info.product_zh if info else None))
                if x
            )
            doc_types = "; ".join(t for t, _ in ev.documents)
            doc_ids = "; ".join(i.rsplit(":", 1)[-1] for _, i in ev.documents)
            rows.append(
                [
                    code,
                    desc,
                    int(qty) if float(qty).is_integer() else qty,
                    (info.unit if info else None) or "each",
                    CTE.get(ev.kind, ev.kind),
                    when,
                    name(ev.location),
                    gln(ev.location),
                    name(ev.source) if ev.kind in ("shipped", "returned") else "",
                    name(ev.destination) if ev.kind in ("shipped", "returned") else "",
                    name(source_of.get(lot_class)),
                    doc_types,
                    doc_ids,
                    ev.seq,
                ]
            )
    rows.sort(key=lambda r: (r[0], r[5], r[13]))
    return rows


def write_kde_xlsx(graph: TraceGraph, path: str | Path) -> Path:
    from openpyxl import Workbook

    from tracer.recall.listfiles import write_xlsx_sheet

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("KDEs")
    widths = [32, 36, 10, 10, 26, 17, 34, 15, 30, 30, 30, 16, 22, 10]
    write_xlsx_sheet(ws, KDE_COLUMNS, kde_rows(graph), widths)
    about = wb.create_sheet("About")
    about.append(["Trace", f"{graph.direction} trace of {graph.start}"])
    about.append(["Lots", len(graph.lots)])
    about.append(["Events", len(graph.events)])
    about.append(
        ["Note", "Key data elements per critical tracking event, in the style of FDA FSMA 204."]
    )
    p = Path(path)
    wb.save(p)
    return p
