"""A trace as text: a table for the terminal, JSON, CSV and Graphviz DOT.

CSV has one row per location (what a coordinator filters and phones down);
JSON has the whole graph; DOT draws lots and places with quantities on edges.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tracer.recall.graph import TraceGraph
from tracer.recall.safecsv import guard
from tracer.recall.vocab import short_id

LOCATION_COLUMNS = (
    "gln",
    "name",
    "name_zh",
    "kind",
    "region",
    "city",
    "contact",
    "phone",
    "email",
    "produced",
    "received",
    "shipped_out",
    "sold",
    "returned_out",
    "destroyed",
    "consumed",
    "on_hand",
    "unconfirmed",
    "lots",
)


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 3)


def trace_rows(graph: TraceGraph) -> list[dict[str, Any]]:
    """One row per location the trace reached, in trace order (by first event)."""
    rows = []
    tallies = sorted(graph.locations.values(), key=lambda t: (t.first_time or "", t.sgln))
    for t in tallies:
        d = t.as_dict()
        row = {k: d.get(k) for k in LOCATION_COLUMNS if k != "lots"}
        row["gln"] = row["gln"] or t.sgln
        for k in LOCATION_COLUMNS[9:-1]:
            row[k] = _num(float(row[k] or 0))
        row["lots"] = "; ".join(short_id(lot) for lot in t.lots())
        rows.append(row)
    return rows


def trace_to_json(graph: TraceGraph) -> str:
    return json.dumps(graph.as_dict(), ensure_ascii=False, indent=2, default=str)


def trace_to_csv(graph: TraceGraph) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LOCATION_COLUMNS)
    for row in trace_rows(graph):
        writer.writerow([guard(row[k]) for k in LOCATION_COLUMNS])
    return out.getvalue()


def _label(graph: TraceGraph, node: str) -> str:
    tally = graph.locations.get(node)
    if tally is not None:
        return tally.location.name if tally.location else node
    info = graph.lots.get(node)
    if info is not None:
        name = info.product or "lot"
        return f"{name}\\n{info.gtin}/{info.lot}" if info.gtin else node
    return short_id(node)


def _dot_id(node: str) -> str:
    return '"' + node.replace('"', '\\"') + '"'


def trace_to_dot(graph: TraceGraph) -> str:
    """Graphviz: boxes are places, ellipses lots; edge labels carry units."""
    lines = [f"digraph trace {{  // {graph.direction} trace of {graph.start}", "  rankdir=LR;"]
    nodes: set[str] = set()
    for e in graph.edges:
        nodes.update((e.source, e.target))
    for node in sorted(nodes):
        shape = "box" if node in graph.locations else "ellipse"
        label = _label(graph, node).replace('"', "'")
        lines.append(f'  {_dot_id(node)} [shape={shape}, label="{label}"];')
    styles = {"shipped": "solid", "returned": "dashed", "input": "bold", "produced": "dotted"}
    for e in graph.edges:
        style = styles.get(e.kind, "solid")
        lines.append(
            f"  {_dot_id(e.source)} -> {_dot_id(e.target)} "
            f'[label="{_num(e.units)} ({e.kind})", style={style}];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*headers), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*r) for r in rows]
    return out


def trace_to_table(graph: TraceGraph) -> str:
    """The terminal view: lots, then movements, then every place with its tallies."""
    out = [
        f"{graph.direction.capitalize()} trace of {graph.start}: {len(graph.lots)} lot(s), "
        f"{len(graph.locations)} location(s), {graph.events_read} events, "
        f"{graph.elapsed_ms:.0f} ms" + ("  [depth limit reached]" if graph.truncated else ""),
        "",
    ]
    lot_rows = [
        [str(info.depth), f"{info.gtin}/{info.lot}" if info.gtin else lot, info.product or ""]
        for lot, info in sorted(graph.lots.items(), key=lambda kv: (kv[1].depth, kv[0]))
    ]
    out += [*_table(["depth", "lot", "product"], lot_rows), ""]
    moves = [
        [e.kind, _label(graph, e.source), _label(graph, e.target), str(_num(e.units))]
        for e in graph.edges
        if e.kind in ("shipped", "returned", "input")
    ]
    if moves:
        moves = [[c.replace("\\n", " ") for c in m] for m in moves]
        out += [*_table(["movement", "from", "to", "units"], moves), ""]
    loc_rows = [
        [
            str(r["name"] or r["gln"]),
            str(r["region"] or ""),
            str(r["produced"]),
            str(r["received"]),
            str(r["sold"]),
            str(r["returned_out"]),
            str(r["on_hand"]),
            str(r["contact"] or ""),
            str(r["phone"] or ""),
        ]
        for r in trace_rows(graph)
    ]
    out += _table(
        [
            "location",
            "region",
            "made",
            "received",
            "sold",
            "returned",
            "on hand",
            "contact",
            "phone",
        ],
        loc_rows,
    )
    return "\n".join(out) + "\n"
