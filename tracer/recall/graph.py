"""The result of a trace: lots, locations, quantity-carrying edges, tallies.

Plain data (no ledger handle) so the UI, exports and reports can all read it
and a test can compare it with numbers worked out by hand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tracer.model import Location


@dataclass
class LotInfo:
    """One lot in the trace, and how it got there (depth 0 = the start)."""

    lot_class: str
    gtin: str | None
    lot: str | None
    depth: int
    via_transformation: int | None = None  # seq of the TransformationEvent
    partial: bool = False  # only some units of it are traced (an SGTIN / SSCC start)
    product: str | None = None
    product_zh: str | None = None
    unit: str | None = None
    production_date: str | None = None
    expiry_date: str | None = None


@dataclass
class Flow:
    """Units of each lot counted for one kind of movement at one place."""

    by_lot: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    @property
    def units(self) -> float:
        return float(sum(self.by_lot.values()))

    def add(self, lot_class: str, units: float) -> None:
        self.by_lot[lot_class] += units


TALLY_KINDS = (
    "produced",
    "shipped_in",
    "received",
    "shipped_out",
    "returned_out",
    "returned_in",
    "sold",
    "destroyed",
    "consumed",
    "recalled",
)


@dataclass
class LocationTally:
    """What happened to the traced units at one location (units, by lot)."""

    sgln: str
    location: Location | None = None
    flows: dict[str, Flow] = field(default_factory=lambda: defaultdict(Flow))
    first_time: str | None = None
    last_time: str | None = None
    notes: list[str] = field(default_factory=list)
    # lot -> (lot-level output declared, serial numbers commissioned) when they differ
    production_mismatch: dict[str, tuple[float, float]] = field(default_factory=dict)

    def units(self, kind: str) -> float:
        return self.flows[kind].units if kind in self.flows else 0.0

    def lot_units(self, kind: str, lot_class: str) -> float:
        flow = self.flows.get(kind)
        return float(flow.by_lot.get(lot_class, 0.0)) if flow else 0.0

    def lots(self) -> list[str]:
        return sorted({lot for f in self.flows.values() for lot in f.by_lot})

    def inflow(self, lot_class: str | None = None) -> float:
        """Made here, plus what arrived (a shipment counts even before its receipt)."""
        get = self.units if lot_class is None else (lambda k: self.lot_units(k, lot_class))
        return get("produced") + max(get("received"), get("shipped_in"))

    def outflow(self, lot_class: str | None = None) -> float:
        get = self.units if lot_class is None else (lambda k: self.lot_units(k, lot_class))
        return sum(
            get(k)
            for k in ("shipped_out", "returned_out", "sold", "destroyed", "consumed", "recalled")
        )

    def on_hand(self, lot_class: str | None = None) -> float:
        if lot_class is None:
            return sum(max(self.inflow(lot) - self.outflow(lot), 0.0) for lot in self.lots())
        return max(self.inflow(lot_class) - self.outflow(lot_class), 0.0)

    def unconfirmed(self) -> float:
        """Shipped here but no receipt recorded (in transit or a missing scan)."""
        return max(self.units("shipped_in") - self.units("received"), 0.0)

    @property
    def name(self) -> str:
        return self.location.name if self.location else self.sgln

    @property
    def is_retail(self) -> bool:
        return bool(self.location and self.location.kind.value in ("retailer", "e-commerce"))

    def as_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "sgln": self.sgln,
            "gln": loc.gln if loc else None,
            "name": loc.name if loc else None,
            "name_zh": loc.name_zh if loc else None,
            "kind": loc.kind.value if loc else None,
            "region": loc.region if loc else None,
            "city": loc.city if loc else None,
            "contact": loc.contact if loc else None,
            "phone": loc.phone if loc else None,
            "email": loc.email if loc else None,
            **{k: self.units(k) for k in TALLY_KINDS},
            "on_hand": self.on_hand(),
            "unconfirmed": self.unconfirmed(),
            "by_lot": {
                lot: {k: self.lot_units(k, lot) for k in TALLY_KINDS if self.lot_units(k, lot)}
                for lot in self.lots()
            },
            "first_time": self.first_time,
            "last_time": self.last_time,
            "notes": list(self.notes),
        }


@dataclass
class TraceEdge:
    """Goods moving from one node to another, with the units they carried.

    kind: ``shipped`` / ``returned`` (location → location), ``input`` (lot → lot,
    through a transformation), ``produced`` (lot → location where it was made).
    """

    source: str
    target: str
    kind: str
    flow: Flow = field(default_factory=Flow)
    events: list[int] = field(default_factory=list)
    via: set[str] = field(default_factory=set)  # SSCCs / EPCs named by the events
    first_time: str | None = None
    last_time: str | None = None

    @property
    def units(self) -> float:
        return self.flow.units

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "units": self.units,
            "by_lot": dict(self.flow.by_lot),
            "events": list(self.events),
            "via": sorted(self.via),
            "first_time": self.first_time,
            "last_time": self.last_time,
        }


@dataclass
class TracedEvent:
    """One event of the trace with the traced units it moved, per lot (a KDE row)."""

    seq: int
    time: str  # UTC, as the ledger stores it
    kind: str  # produced | consumed | shipped | returned | received | sold | destroyed | recalled
    location: str
    source: str | None
    destination: str | None
    by_lot: dict[str, float]
    ids: list[str]  # SSCCs / EPCs the event named
    documents: list[tuple[str, str]]  # (type, id) of bizTransactions: desadv, po, ...


@dataclass
class TraceGraph:
    """Everything a trace found. Nodes are lot classes and SGLNs."""

    direction: str  # "forward" | "backward"
    start: str  # what the user asked for, as typed
    start_ids: list[str]
    lots: dict[str, LotInfo] = field(default_factory=dict)
    locations: dict[str, LocationTally] = field(default_factory=dict)
    edges: list[TraceEdge] = field(default_factory=list)
    events: list[TracedEvent] = field(default_factory=list)  # in time order
    items_traced: int = 0  # distinct serial numbers (SGTINs) the trace counted
    events_read: int = 0
    elapsed_ms: float = 0.0
    truncated: bool = False  # the depth limit stopped the walk somewhere

    def edges_of(self, kind: str) -> list[TraceEdge]:
        return [e for e in self.edges if e.kind == kind]

    def final_locations(self) -> list[LocationTally]:
        """Locations goods reached and did not ship on from (returns aside)."""
        shipped_from = {e.source for e in self.edges if e.kind == "shipped"}
        reached = {e.target for e in self.edges if e.kind in ("shipped", "returned")}
        return [
            t
            for sgln, t in sorted(self.locations.items())
            if sgln in reached and sgln not in shipped_from
        ]

    def retail_locations(self) -> list[LocationTally]:
        return [t for _, t in sorted(self.locations.items()) if t.is_retail]

    def location_ids(self) -> set[str]:
        return set(self.locations)

    def as_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "start": self.start,
            "start_ids": self.start_ids,
            "lots": [vars(info) for _, info in sorted(self.lots.items())],
            "locations": [t.as_dict() for _, t in sorted(self.locations.items())],
            "edges": [e.as_dict() for e in self.edges],
            "events": [vars(e) for e in self.events],
            "final_locations": [t.sgln for t in self.final_locations()],
            "items_traced": self.items_traced,
            "events_read": self.events_read,
            "elapsed_ms": round(self.elapsed_ms, 2),
            "truncated": self.truncated,
        }
