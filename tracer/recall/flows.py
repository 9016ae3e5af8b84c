"""Turn the fetched events into quantities: edges between places and tallies.

The SQL walks found which events matter; this pass replays only those, in
time order, keeping the current contents of each traced logistic unit
(aggregation ADD puts children in, DELETE takes them out), so a shipment of a
pallet counts the traced units that were on it at that moment, and a case
shipped after the pallet was broken up counts only its own. An item sold,
destroyed or consumed leaves every container. Each event counts a unit once,
however many of its containers the event names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tracer.recall.graph import LocationTally, TracedEvent, TraceEdge, TraceGraph
from tracer.recall.vocab import bare

CLASS_PREFIX = "urn:epc:class:"
RECEIVE_STEPS = {"receiving", "arriving", "accepting"}
SHIP_STEPS = {"shipping", "departing"}
TERMINAL = {"sold", "destroyed", "consumed", "recalled"}

# accept(flow kind, lot class, event time, leaf belongs to the start unit) -> count it?
Accept = Callable[[str, str, str, bool], bool]


@dataclass(frozen=True, slots=True)
class Row:
    seq: int
    event_type: str
    action: str | None
    time: str
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    role: str
    id: str
    quantity: float | None
    kind: str | None  # None: not a traced id
    lot_class: str | None


# leaf key -> (lot class, units, belongs to the start unit)
Leaves = dict[str, tuple[str, float, bool]]


def classify(row: Row, has_destination: bool) -> str:
    """What an event did to the units it names, from bizStep / disposition / action."""
    step, disp = bare(row.biz_step), bare(row.disposition)
    if row.event_type == "TransformationEvent":
        return "transformed"
    if step == "retail_selling" or disp == "retail_sold":
        return "sold"
    if step in ("destroying", "decommissioning") or disp == "destroyed":
        return "destroyed"
    if step == "recalling" or disp == "recalled":
        return "recalled"
    if step in RECEIVE_STEPS:
        return "received"
    if step in SHIP_STEPS or (has_destination and step not in ("packing", "unpacking")):
        return "returned" if disp == "returned" or step == "returning" else "shipped"
    if row.action == "ADD" and row.event_type == "ObjectEvent" and step in ("", "commissioning"):
        return "commissioned"
    return "observed"


class FlowBuilder:
    """Replays a trace's events into `graph` (edges, location tallies)."""

    def __init__(self, graph: TraceGraph, accept: Accept | None = None) -> None:
        self.graph = graph
        self.accept = accept
        self.members: dict[str, dict[str, tuple[Any, ...]]] = defaultdict(dict)
        self.exited: set[str] = set()
        self.seen: set[str] = set()
        self._edges: dict[tuple[str, str, str], TraceEdge] = {}
        self.documents: dict[int, list[tuple[str, str]]] = {}

    # -- contents ------------------------------------------------------------

    def _leaves(self, row: Row, key_prefix: str) -> Leaves:
        out: Leaves = {}
        self._collect(row.id, row.kind, row.lot_class, row.quantity, key_prefix, out, set(), False)
        return out

    def _collect(
        self,
        ident: str,
        kind: str | None,
        lot: str | None,
        quantity: float | None,
        key_prefix: str,
        out: Leaves,
        visiting: set[str],
        inside: bool,
    ) -> None:
        """Leaves of one id: itself if it is a unit of goods, plus what it holds now.

        A lot-level quantity found inside the start case ("startclass") counts only
        inside that case: the same class named elsewhere is other goods of the lot.
        """
        if kind is None:
            return
        is_start = kind in ("start", "startclass")
        if ident.startswith(CLASS_PREFIX):
            if kind != "startclass" or inside:
                out[key_prefix + ident] = (ident, float(quantity or 0.0), is_start)
        elif kind in ("item", "start") and ident not in self.exited:
            out[ident] = (lot or "", 1.0, is_start)
        held = self.members.get(ident)
        if held and ident not in visiting:
            visiting.add(ident)
            for child, entry in held.items():
                c_kind, c_lot, c_qty, c_prefix = entry
                self._collect(child, c_kind, c_lot, c_qty, c_prefix, out, visiting, True)
            visiting.discard(ident)

    # -- replay --------------------------------------------------------------

    def run(self, rows: Iterable[tuple[Any, ...]], links: Iterable[tuple[Any, ...]]) -> None:
        sources: dict[int, str] = {}
        destinations: dict[int, str] = {}
        for seq, kind, link_type, ident in links:
            if kind == "bizTransaction":
                self.documents.setdefault(seq, []).append((bare(link_type), ident))
                continue
            if bare(link_type) != "location":
                continue
            (sources if kind == "source" else destinations if kind == "destination" else {})[
                seq
            ] = ident
        group: list[Row] = []
        for raw in rows:
            row = Row(*raw)
            if group and row.seq != group[0].seq:
                self._event(group, sources.get(group[0].seq), destinations.get(group[0].seq))
                group = []
            group.append(row)
        if group:
            self._event(group, sources.get(group[0].seq), destinations.get(group[0].seq))
        self._finish()

    def _event(self, rows: list[Row], source: str | None, destination: str | None) -> None:
        head = rows[0]
        self.graph.events_read += 1
        place = head.biz_location or head.read_point or source or "?"
        what = classify(head, destination is not None)
        if head.event_type == "TransformationEvent":
            self._transformation(rows, place)
            return
        if head.event_type == "AggregationEvent":
            named = self._aggregation(rows)
            if what in ("observed", "commissioned"):
                self._touch(place, head.time, named)
                return
        else:
            named = {}
            for r in rows:
                if r.role in ("epc", "parent", "child"):
                    named.update(self._leaves(r, f"{r.seq}|{r.role}|"))
        if what == "recalled":  # campaign bookkeeping names lots without quantities
            named = {k: v for k, v in named.items() if v[1]}
        if not named:
            return
        via = {r.id for r in rows if r.kind is not None and r.role in ("epc", "parent")}
        self._log(head, what, place, source, destination, named, via)
        if what in ("shipped", "returned"):
            src = source or place
            out_kind = "shipped_out" if what == "shipped" else "returned_out"
            self._tally(src, out_kind, head.time, named)
            if destination:
                self._tally(destination, "shipped_in", head.time, named)
                if what == "returned":
                    self._tally(destination, "returned_in", head.time, named)
                self._edge(src, destination, what, head, named, via)
        elif what == "commissioned":
            self._tally(place, "commissioned", head.time, named)
        elif what == "observed":
            self._touch(place, head.time, named)
        else:
            self._tally(place, what, head.time, named)
        if what in TERMINAL:
            self.exited.update(k for k in named if not k.startswith(f"{head.seq}|"))

    def _aggregation(self, rows: list[Row]) -> Leaves:
        """Update the contents of the parent; return its traced contents."""
        parents = [r for r in rows if r.role == "parent"]
        children = [r for r in rows if r.role == "child"]
        named: Leaves = {}
        for p in parents:
            held = self.members[p.id]
            if rows[0].action == "DELETE":
                named.update(self._leaves(p, ""))
                if not children:
                    held.clear()
                for c in children:
                    held.pop(c.id, None)
                continue
            for c in children:
                if c.kind is not None:
                    held[c.id] = (c.kind, c.lot_class, c.quantity, f"{c.seq}|{p.id}|")
            named.update(self._leaves(p, ""))
        if not parents:
            for c in children:
                named.update(self._leaves(c, f"{c.seq}|child|"))
        return named

    def _transformation(self, rows: list[Row], place: str) -> None:
        head = rows[0]
        consumed: Leaves = {}
        produced: Leaves = {}
        for r in rows:
            if r.role == "input":
                consumed.update(self._leaves(r, f"{r.seq}|in|"))
            elif r.role == "output":
                produced.update(self._leaves(r, f"{r.seq}|out|"))
        consumed = self._accepted("consumed", head.time, consumed)
        produced = self._accepted("declared", head.time, produced)
        self._log(head, "consumed", place, None, None, consumed, set())
        self._log(head, "produced", place, None, None, produced, set())
        if consumed:
            self._tally(place, "consumed", head.time, consumed, filtered=True)
            self.exited.update(k for k in consumed if not k.startswith(f"{head.seq}|"))
        if produced:
            self._tally(place, "declared", head.time, produced, filtered=True)
        in_lots: dict[str, float] = defaultdict(float)
        for lot, units, _ in consumed.values():
            in_lots[lot] += units
        out_lots = {lot for lot, _, _ in produced.values()}
        for out_lot in out_lots:
            for in_lot, units in in_lots.items():
                edge = self._edge_for(in_lot, out_lot, "input")
                edge.flow.add(in_lot, units)
                self._stamp(edge, head)

    # -- bookkeeping -----------------------------------------------------------

    def _log(
        self,
        head: Row,
        what: str,
        place: str,
        source: str | None,
        destination: str | None,
        leaves: Leaves,
        via: set[str],
    ) -> None:
        """One line of the trace's event log (key data elements, timelines)."""
        kind = {"commissioned": "produced"}.get(what, what)
        accepted = self._accepted("declared" if kind == "produced" else kind, head.time, leaves)
        if not accepted or kind == "observed":
            return
        by_lot: dict[str, float] = defaultdict(float)
        for lot, units, _ in accepted.values():
            by_lot[lot] += units
        self.graph.events.append(
            TracedEvent(
                seq=head.seq,
                time=head.time,
                kind=kind,
                location=place,
                source=source or (place if kind in ("shipped", "returned") else None),
                destination=destination,
                by_lot=dict(by_lot),
                ids=sorted(via),
                documents=list(self.documents.get(head.seq, ())),
            )
        )

    def _accepted(self, kind: str, time: str, leaves: Leaves) -> Leaves:
        if self.accept is None:
            return leaves
        return {k: v for k, v in leaves.items() if self.accept(kind, v[0], time, v[2])}

    def _location(self, sgln: str) -> LocationTally:
        tally = self.graph.locations.get(sgln)
        if tally is None:
            tally = self.graph.locations[sgln] = LocationTally(sgln)
        return tally

    def _touch(self, sgln: str, time: str, leaves: Leaves) -> None:
        if self._accepted("observed", time, leaves):
            tally = self._location(sgln)
            tally.first_time = tally.first_time or time
            tally.last_time = time

    def _tally(
        self, sgln: str, kind: str, time: str, leaves: Leaves, *, filtered: bool = False
    ) -> None:
        if not filtered:
            leaves = self._accepted(kind, time, leaves)
        if not leaves:
            return
        tally = self._location(sgln)
        flow = tally.flows[kind]
        for key, (lot, units, _) in leaves.items():
            flow.add(lot, units)
            if "|" not in key:  # a serial number, not a lot-level quantity
                self.seen.add(key)
        tally.first_time = tally.first_time or time
        tally.last_time = time

    def _edge_for(self, source: str, target: str, kind: str) -> TraceEdge:
        key = (source, target, kind)
        edge = self._edges.get(key)
        if edge is None:
            edge = self._edges[key] = TraceEdge(source, target, kind)
            self.graph.edges.append(edge)
        return edge

    @staticmethod
    def _stamp(edge: TraceEdge, head: Row) -> None:
        if head.seq not in edge.events:
            edge.events.append(head.seq)
        edge.first_time = edge.first_time or head.time
        edge.last_time = head.time

    def _edge(
        self, source: str, target: str, kind: str, head: Row, leaves: Leaves, via: set[str]
    ) -> None:
        leaves = self._accepted(kind, head.time, leaves)
        if not leaves:
            return
        edge = self._edge_for(source, target, kind)
        for lot, units, _ in leaves.values():
            edge.flow.add(lot, units)
        edge.via.update(via)
        self._stamp(edge, head)

    def _finish(self) -> None:
        """Produced = the larger of declared (lot-level output) and commissioned items."""
        for tally in self.graph.locations.values():
            declared = tally.flows.pop("declared", None)
            commissioned = tally.flows.pop("commissioned", None)
            lots = set(declared.by_lot if declared else ()) | set(
                commissioned.by_lot if commissioned else ()
            )
            for lot in lots:
                d = declared.by_lot.get(lot, 0.0) if declared else 0.0
                c = commissioned.by_lot.get(lot, 0.0) if commissioned else 0.0
                tally.flows["produced"].add(lot, max(d, c))
                if d and c and d != c:
                    tally.production_mismatch[lot] = (d, c)
                    tally.notes.append(
                        f"{lot}: lot-level output {d:g} but {c:g} serial numbers commissioned"
                    )
                edge = self._edge_for(lot, tally.sgln, "produced")
                edge.flow.add(lot, max(d, c))
        self.graph.items_traced = len(self.seen)
