"""Fill a ledger with the demo chain: master data, then events in batches.

Lots are independent of each other (see `DemoEvents.lot_events`), so big
demos generate and hash them in worker processes while this process writes;
the ledger is the same event for event whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from tracer.demo.chain import build_chain
from tracer.demo.events import DemoEvents, Stamp
from tracer.ledger import Ledger, masterdata
from tracer.model import Event, Lot, Station

BATCH = 5000
EVENTS_PER_LOT = 25  # about, for the demo chain: used to spread lots over ~300 days
CHUNK_LOTS = 64  # lots per unit of parallel work
PARALLEL_FROM = 40_000  # smaller demos are quicker in one process


@dataclass(frozen=True, slots=True)
class DemoSummary:
    events: int
    lots: int
    locations: int
    products: int


def canonical_stamp() -> Stamp:
    """Stamp events with their canonical EPCIS event hash (the ledger's eventID).

    Prefer `tracer.epcis.codec.stamp` in new code; this stays for callers of the demo.
    """
    from tracer.epcis.codec import stamp

    return stamp


def _step(events: int) -> timedelta:
    return timedelta(days=300) / max(1, events // EVENTS_PER_LOT)


@lru_cache(maxsize=4)
def _generator(seed: int, events: int) -> DemoEvents:
    return DemoEvents(build_chain(seed), seed, canonical_stamp(), _step(events))


def _work(args: tuple[int, int, int, int]) -> list[tuple[list[Event], list[Lot]]]:
    seed, events, start, stop = args
    return _generator(seed, events).lots_events(start, stop)


def _lots_in_order(
    seed: int, events: int, stamp: Stamp | None, workers: int
) -> Iterator[tuple[list[Event], list[Lot]]]:
    if workers <= 1 or stamp is not None:
        gen = DemoEvents(build_chain(seed), seed, stamp or canonical_stamp(), _step(events))
        index = 0
        while True:
            yield from gen.lots_events(index, index + 1)
            index += 1
    # fork where there is one: workers only generate and hash, and fork needs no
    # `if __name__ == "__main__"` guard in the caller's script
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ctx.Pool(workers) as pool:
        start = 0
        while True:  # rounds, in case the lots needed were underestimated
            lots = max(CHUNK_LOTS, int(events / EVENTS_PER_LOT * 1.2))
            chunks = [
                (seed, events, s, min(s + CHUNK_LOTS, start + lots))
                for s in range(start, start + lots, CHUNK_LOTS)
            ]
            for chunk in pool.imap(_work, chunks):
                yield from chunk
            start += lots


def build_demo(
    ledger: Ledger,
    *,
    seed: int = 1,
    events: int = 5000,
    progress: Callable[[int], None] | None = None,
    stamp: Stamp | None = None,
    workers: int | None = None,
) -> DemoSummary:
    """Write about `events` demo events (whole lots, so a few more) into `ledger`."""
    chain = build_chain(seed)
    masterdata.upsert(ledger, chain.parties)
    masterdata.upsert(ledger, chain.locations())
    masterdata.upsert(ledger, (p.product for p in chain.products))
    factory, dc = chain.factories[0].gln, chain.warehouses[0].gln
    masterdata.upsert(
        ledger,
        [
            Station("line-1", factory, "commissioning", "active"),
            Station("qc-1", factory, "inspecting", "conformant"),
            Station("pack-1", factory, "packing", "in_progress"),
            Station("dock-1", factory, "shipping", "in_transit", dc),
            Station("dc-in", dc, "receiving", "in_progress"),
        ],
    )
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if events >= PARALLEL_FROM else 1
    written = 0
    batch: list[Event] = []
    lots: list[Lot] = []
    for lot_events, lot_master in _lots_in_order(seed, events, stamp, workers):
        batch.extend(lot_events)
        lots.extend(lot_master)
        done = written + len(batch) >= events
        if len(batch) >= BATCH or done:
            written += ledger.append(batch).count
            if progress:
                progress(len(batch))
            batch = []
        if done:
            break
    masterdata.upsert(ledger, lots)
    return DemoSummary(
        events=written,
        lots=len(lots),
        locations=len(chain.locations()),
        products=len(chain.products),
    )
