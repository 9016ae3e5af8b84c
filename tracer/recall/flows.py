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
from typing import Any, NamedTuple

from tracer.recall.graph import LocationTally, TracedEvent, TraceEdge, TraceGraph
from tracer.recall.vocab import bare

CLASS_PREFIX = "urn:epc:class:"
RECEIVE_STEPS = {"receiving", "arriving", "accepting"}
SHIP_STEPS = {"shipping", "departing"}
TERMINAL = {"sold", "destroyed", "consumed", "recalled"}

# accept(flow kind, lot class, event time, leaf belongs to the start unit) -> count it?
Accept = Callable[[str, str, str, bool], bool]


class Head(NamedTuple):
    """The event-level columns of one traced event."""

    seq: int
    event_type: str
    action: str | None
    time: str
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None


class Row(NamedTuple):
    """One identifier the event names, with the trace's view of it."""

    seq: int
    role: str
    id: str
    quantity: float | None
    kind: str | None  # None: not a traced id
    lot_class: str | None


# leaf key -> (lot class, units, belongs to the start unit)
Leaves = dict[str, tuple[str, float, bool]]


def classify(row: Head, has_destination: bool) -> str:
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
        self.holders: dict[str, set[str]] = defaultdict(set)  # id -> containers holding it
        self._cache: dict[str, tuple[int, Leaves]] = {}  # container -> (exits seen, leaves)
        self._exits = 0
        self._by_lot = _LastByLot()
        self.seen: set[str] = set()
        self._edges: dict[tuple[str, str, str], TraceEdge] = {}
        self.documents: dict[int, list[tuple[str, str]]] = {}

    # -- contents ------------------------------------------------------------

    def _leaves(self, row: Row, key_prefix: str) -> Leaves:
        """Leaves of one named id: itself if it is goods, plus what it holds now.

        A lot-level quantity found inside the start case ("startclass") counts only
        inside that case: the same class named elsewhere is other goods of the lot.
        """
        out: Leaves = {}
        kind, ident = row.kind, row.id
        if kind is None:
            return out
        if ident.startswith(CLASS_PREFIX):
            if kind != "startclass":
                out[key_prefix + ident] = (ident, float(row.quantity or 0.0), False)
        elif kind in ("item", "start") and ident not in self.exited:
            out[ident] = (row.lot_class or "", 1.0, kind == "start")
            self.seen.add(ident)
        if self.members.get(ident):
            out.update(self._contents(ident, set()))
        return out

    def _named(self, rows: list[Row]) -> Leaves:
        """Leaves of an ObjectEvent's EPCs; plain serial numbers take a fast path
        (a commissioning event names hundreds)."""
        named: Leaves = {}
        members, exited, seen = self.members, self.exited, self.seen
        for r in rows:
            kind = r.kind
            if kind is None or r.role not in ("epc", "parent", "child"):
                continue
            if kind in ("item", "start") and not members.get(r.id):
                if r.id not in exited:
                    named[r.id] = (r.lot_class or "", 1.0, kind == "start")
                    seen.add(r.id)
            else:
                named.update(self._leaves(r, f"{r.seq}|{r.role}|"))
        return named

    def _contents(self, container: str, visiting: set[str]) -> Leaves:
        """Traced goods in a container now; cached until it or a box inside changes."""
        cached = self._cache.get(container)
        if cached is not None and cached[0] == self._exits:
            return cached[1]
        inner: Leaves = {}
        if container in visiting:  # packing cycle in bad data
            return inner
        visiting.add(container)
        for child, (kind, lot, quantity, prefix) in self.members[container].items():
            if child.startswith(CLASS_PREFIX):
                inner[prefix + child] = (child, float(quantity or 0.0), kind == "startclass")
            elif kind in ("item", "start") and child not in self.exited:
                inner[child] = (lot or "", 1.0, kind == "start")
                self.seen.add(child)
            if self.members.get(child):
                inner.update(self._contents(child, visiting))
        visiting.discard(container)
        self._cache[container] = (self._exits, inner)
        return inner

    def _invalidate(self, container: str) -> None:
        stack, done = [container], set()
        while stack:
            x = stack.pop()
            if x not in done:
                done.add(x)
                self._cache.pop(x, None)
                stack.extend(self.holders.get(x, ()))

    # -- replay --------------------------------------------------------------

    def run(
        self,
        events: Iterable[tuple[Any, ...]],
        idents: Iterable[tuple[Any, ...]],
        links: Iterable[tuple[Any, ...]],
    ) -> None:
        """events: (seq, type, action, time, bizStep, disposition, readPoint,
        bizLocation) in time order; idents: (seq, role, id, quantity, kind, lot)."""
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
        by_seq: dict[int, list[Row]] = defaultdict(list)
        for row in map(Row._make, idents):
            by_seq[row.seq].append(row)
        for ev in events:
            seq = ev[0]
            rows = by_seq.get(seq)
            if rows:
                self._event(Head._make(ev), rows, sources.get(seq), destinations.get(seq))
        self._finish()

    def _event(
        self, head: Head, rows: list[Row], source: str | None, destination: str | None
    ) -> None:
        self.graph.events_read += 1
        place = head.biz_location or head.read_point or source
        if place is None and destination is None and head.event_type == "ObjectEvent":
            # an observation at no place (e.g. a consumer complaint naming a lot)
            # moves nothing anywhere: it adds no location to the trace
            return
        place = place or "?"
        what = classify(head, destination is not None)
        if head.event_type == "TransformationEvent":
            self._transformation(head, rows, place)
            return
        if head.event_type == "AggregationEvent":
            moving = what not in ("observed", "commissioned")
            named = self._aggregation(head, rows, moving)
            if not moving:
                if any(r.kind is not None for r in rows):
                    self._touch(place, head.time, None)
                return
        else:
            named = self._named(rows)
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
            self._exit(named, head.seq)

    def _exit(self, leaves: Leaves, seq: int) -> None:
        """Sold, destroyed, consumed items leave every case they were in."""
        gone = [k for k in leaves if "|" not in k]
        if gone:
            self.exited.update(gone)
            self._exits += 1  # every cached content may hold one of them

    def _aggregation(self, head: Head, rows: list[Row], moving: bool) -> Leaves:
        """Update the contents of the parent; if the event also moves goods (an
        AggregationEvent with a shipping bizStep), return its traced contents."""
        parents = [r for r in rows if r.role == "parent"]
        children = [r for r in rows if r.role == "child"]
        named: Leaves = {}
        for p in parents:
            held = self.members[p.id]
            if head.action == "DELETE":
                if moving:
                    named.update(self._leaves(p, ""))
                for cid in [c.id for c in children] if children else list(held):
                    if held.pop(cid, None) is not None and cid in self.holders:
                        self.holders[cid].discard(p.id)
                self._invalidate(p.id)
                continue
            prefix = f"{p.seq}|{p.id}|"
            for c in children:
                if c.kind is not None:
                    held[c.id] = (c.kind, c.lot_class, c.quantity, prefix)
                    if c.kind == "unit":  # a box in a box: its changes reach this one
                        self.holders[c.id].add(p.id)
            self._invalidate(p.id)
            if moving:
                named.update(self._leaves(p, ""))
        if not parents and moving:
            for c in children:
                named.update(self._leaves(c, f"{c.seq}|child|"))
        return named

    def _transformation(self, head: Head, rows: list[Row], place: str) -> None:
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
            self._exit(consumed, head.seq)
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
        head: Head,
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
        by_lot = self._by_lot(accepted)
        self.graph.events.append(
            TracedEvent(
                seq=head.seq,
                time=head.time,
                kind=kind,
                location=place,
                source=source or (place if kind in ("shipped", "returned") else None),
                destination=destination,
                by_lot=by_lot,
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

    def _touch(self, sgln: str, time: str, leaves: Leaves | None) -> None:
        if leaves is None or self._accepted("observed", time, leaves):
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
        for lot, units in self._by_lot(leaves).items():
            flow.add(lot, units)
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
    def _stamp(edge: TraceEdge, head: Head) -> None:
        if head.seq not in edge.events:
            edge.events.append(head.seq)
        edge.first_time = edge.first_time or head.time
        edge.last_time = head.time

    def _edge(
        self, source: str, target: str, kind: str, head: Head, leaves: Leaves, via: set[str]
    ) -> None:
        leaves = self._accepted(kind, head.time, leaves)
        if not leaves:
            return
        edge = self._edge_for(source, target, kind)
        for lot, units in self._by_lot(leaves).items():
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


def _by_lot(leaves: Leaves) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for lot, units, _ in leaves.values():
        out[lot] += units
    return dict(out)


class _LastByLot:
    """Units per lot of the last leaves summed: one event's tallies, edge and log
    line all ask for the same sum (a pallet has thousands of leaves)."""

    def __init__(self) -> None:
        self._leaves: Leaves | None = None
        self._sum: dict[str, float] = {}

    def __call__(self, leaves: Leaves) -> dict[str, float]:
        if leaves is not self._leaves:
            self._leaves, self._sum = leaves, _by_lot(leaves)
        return self._sum
