"""Fill a ledger with the demo chain: master data, then events in batches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from tracer.demo.chain import build_chain
from tracer.demo.events import START, DemoEvents, Stamp
from tracer.ledger import Ledger, masterdata
from tracer.model import Event, Station

BATCH = 5000


@dataclass(frozen=True, slots=True)
class DemoSummary:
    events: int
    lots: int
    locations: int
    products: int


def canonical_stamp() -> Stamp:
    """Stamp events with their canonical EPCIS event hash (the ledger's eventID)."""
    from tracer.epcis.event_hash import event_hash
    from tracer.ledger.codec import event_to_epcis

    def stamp(e: Event) -> Event:
        return e.with_id(event_hash(event_to_epcis(e, with_id=False)))

    return stamp


def build_demo(
    ledger: Ledger,
    *,
    seed: int = 1,
    events: int = 5000,
    progress: Callable[[int], None] | None = None,
    stamp: Stamp | None = None,
) -> DemoSummary:
    """Write about `events` demo events (whole lots, so a few more) into `ledger`."""
    chain = build_chain(seed)
    masterdata.upsert(ledger, chain.parties)
    masterdata.upsert(ledger, chain.locations())
    masterdata.upsert(ledger, (p.product for p in chain.products))
    stations = [
        Station("line-1", chain.factories[0].gln, "commissioning", "active"),
        Station("qc-1", chain.factories[0].gln, "inspecting", "conformant"),
        Station("pack-1", chain.factories[0].gln, "packing", "in_progress"),
        Station(
            "dock-1", chain.factories[0].gln, "shipping", "in_transit", chain.warehouses[0].gln
        ),
        Station("dc-in", chain.warehouses[0].gln, "receiving", "in_progress"),
    ]
    masterdata.upsert(ledger, stations)
    gen = DemoEvents(chain, seed, stamp or canonical_stamp())
    written = 0
    batch: list[Event] = []
    lot_index = 0
    while written + len(batch) < events:
        # spread lots over ~300 days whatever the size
        day = timedelta(days=300) * (written + len(batch)) / max(events, 1)
        batch.extend(gen.lot_events(lot_index, START + day))
        lot_index += 1
        if len(batch) >= BATCH:
            written += ledger.append(batch).count
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        written += ledger.append(batch).count
        if progress:
            progress(len(batch))
    masterdata.upsert(ledger, gen.lots)
    return DemoSummary(
        events=written,
        lots=len(gen.lots),
        locations=len(chain.locations()),
        products=len(chain.products),
    )
