"""A scan station in its own process, for the concurrency test (not a test module).

usage: python pg_writer.py URL WRITER BATCHES SIZE
Appends BATCHES batches of SIZE distinct events; after each append returns
(the batch is durable) prints "ack <writer> <batch>" and flushes.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from tracer.epcis.codec import stamp
from tracer.ledger.postgres import PgLedger
from tracer.model import Action, Event, EventType


def batch_events(writer: int, batch: int, size: int) -> list[Event]:
    t0 = datetime(2026, 6, 1, tzinfo=UTC) + timedelta(hours=writer, minutes=batch)
    return [
        stamp(
            Event(
                event_type=EventType.OBJECT,
                event_time=t0 + timedelta(milliseconds=i),
                action=Action.OBSERVE,
                epc_list=(f"urn:epc:id:sgtin:6923456.001003.W{writer}B{batch}N{i}",),
                biz_step="inspecting",
                station=f"station-{writer}",
            )
        )
        for i in range(size)
    ]


def main() -> None:
    url, writer, batches, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with PgLedger.open(url) as ledger:
        for b in range(batches):
            result = ledger.append(batch_events(writer, b, size))
            assert result.count == size
            print(f"ack {writer} {b}", flush=True)


if __name__ == "__main__":
    main()
