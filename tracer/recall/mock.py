"""Mock recall: run the trace on paper, time it, and reconcile every lot.

For each lot: produced = shipped + on hand + destroyed + consumed at the
place that made it, and downstream every shipment must have been received
and no place may have let go of more than it got. Units that cannot be
placed (a shipment nobody scanned in, a place that shipped more than it
received, output declared but not serialised) are discrepancies; the rest
is "accounted for".
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tracer.ledger import Ledger
from tracer.recall.graph import TraceGraph
from tracer.recall.trace import StartLike, forward_trace


@dataclass
class LotReconciliation:
    lot_class: str
    lot: str
    product: str
    produced: float = 0.0
    shipped: float = 0.0  # out of the place that made it
    on_hand_at_origin: float = 0.0  # still at the place that made it
    on_hand: float = 0.0  # everywhere, inferred from flows
    destroyed: float = 0.0
    consumed: float = 0.0
    sold: float = 0.0
    recalled: float = 0.0
    in_transit: float = 0.0  # shipped, no receipt scanned
    unaccounted: float = 0.0
    discrepancies: list[str] = field(default_factory=list)

    @property
    def percent_accounted(self) -> float:
        if self.produced <= 0:
            return 0.0 if self.unaccounted else 100.0
        return max(0.0, 100.0 * (self.produced - self.unaccounted) / self.produced)

    def as_dict(self) -> dict[str, Any]:
        d = dict(vars(self))
        d["percent_accounted"] = round(self.percent_accounted, 2)
        return d


@dataclass
class MockRecall:
    start: str
    trace_ms: float
    total_ms: float
    locations: int
    retail_locations: int
    lots: list[LotReconciliation]

    @property
    def produced(self) -> float:
        return sum(x.produced for x in self.lots)

    @property
    def percent_accounted(self) -> float:
        produced = self.produced
        if produced <= 0:
            return 100.0
        return 100.0 * sum(x.produced - x.unaccounted for x in self.lots) / produced

    @property
    def discrepancies(self) -> list[str]:
        return [f"{x.lot}: {d}" for x in self.lots for d in x.discrepancies]

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "trace_ms": round(self.trace_ms, 2),
            "total_ms": round(self.total_ms, 2),
            "locations": self.locations,
            "retail_locations": self.retail_locations,
            "percent_accounted": round(self.percent_accounted, 2),
            "lots": [x.as_dict() for x in self.lots],
        }


def _name(graph: TraceGraph, sgln: str) -> str:
    t = graph.locations.get(sgln)
    return t.location.name if t and t.location else sgln


def reconcile(graph: TraceGraph, lot_class: str) -> LotReconciliation:
    info = graph.lots[lot_class]
    r = LotReconciliation(
        lot_class,
        f"{info.gtin}/{info.lot}" if info.gtin else lot_class,
        info.product or "",
    )
    tallies = list(graph.locations.values())
    makers = [t for t in tallies if t.lot_units("produced", lot_class) > 0]
    for t in tallies:
        get = t.lot_units
        r.produced += get("produced", lot_class)
        r.destroyed += get("destroyed", lot_class)
        r.consumed += get("consumed", lot_class)
        r.sold += get("sold", lot_class)
        r.recalled += get("recalled", lot_class)
        r.on_hand += t.on_hand(lot_class)
        shipped_in, received = get("shipped_in", lot_class), get("received", lot_class)
        if shipped_in > received:
            r.in_transit += shipped_in - received
            r.discrepancies.append(
                f"{shipped_in - received:g} units shipped to {_name(graph, t.sgln)} "
                "with no receipt recorded"
            )
        elif received > shipped_in and t not in makers:
            r.discrepancies.append(
                f"{_name(graph, t.sgln)} received {received - shipped_in:g} units "
                "no shipment was recorded for"
            )
        excess = t.outflow(lot_class) - t.inflow(lot_class)
        if excess > 1e-9:
            r.unaccounted += excess
            r.discrepancies.append(
                f"{_name(graph, t.sgln)} shipped, sold or used {excess:g} units more than it had"
            )
        r.discrepancies += [n for n in t.notes if n.startswith(lot_class)]
    for t in makers:
        r.shipped += t.lot_units("shipped_out", lot_class)
        r.on_hand_at_origin += t.on_hand(lot_class)
    for t in tallies:
        declared, commissioned = t.production_mismatch.get(lot_class, (0.0, 0.0))
        r.unaccounted += abs(declared - commissioned)
    r.unaccounted += r.in_transit
    if not makers:
        r.discrepancies.append("no production (commissioning or transformation) recorded")
    r.unaccounted = min(r.unaccounted, r.produced) if r.produced else r.unaccounted
    return r


def mock_recall(
    ledger: Ledger, lots: StartLike | Sequence[StartLike], *, include_derived: bool = False
) -> MockRecall:
    """Time the forward trace and reconcile each named lot (and, if asked, every lot
    made from it)."""
    t0 = time.perf_counter()
    graph = forward_trace(ledger, lots)
    trace_ms = graph.elapsed_ms
    wanted = [
        lot
        for lot, info in sorted(graph.lots.items(), key=lambda kv: (kv[1].depth, kv[0]))
        if include_derived or info.depth == 0
    ]
    results = [reconcile(graph, lot) for lot in wanted]
    return MockRecall(
        start=graph.start,
        trace_ms=trace_ms,
        total_ms=(time.perf_counter() - t0) * 1000,
        locations=len(graph.locations),
        retail_locations=len(graph.retail_locations()),
        lots=results,
    )
