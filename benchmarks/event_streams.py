"""The event streams the hash, ledger and EPCIS benchmarks measure, built one way for all.

The demo supply-chain mix (every event type, long EPC lists) and an RFID portal
stream (one EPC per event). Pass `canonical_stamp()` for events with their IDs;
by default they are left unstamped, for timing the hash itself.
"""

from __future__ import annotations

from datetime import timedelta

from tracer.demo.chain import build_chain
from tracer.demo.events import START, DemoEvents, Stamp
from tracer.model import Action, Event, EventType


def _as_is(e: Event) -> Event:
    return e


def demo_events(n: int, stamp: Stamp = _as_is) -> list[Event]:
    """The first `n` events of the seed-1 demo."""
    return DemoEvents(build_chain(1), 1, stamp).first_events(n)


def portal_events(n: int, stamp: Stamp = _as_is, tag: str = "P") -> list[Event]:
    """An RFID portal or import stream: one EPC per event, a millisecond apart.

    `tag` prefixes the serials, so that streams of several stations differ."""
    return [
        stamp(
            Event(
                event_type=EventType.OBJECT,
                event_time=START + timedelta(milliseconds=i),
                action=Action.OBSERVE,
                epc_list=(f"urn:epc:id:sgtin:6923456.001003.{tag}{i}",),
                biz_step="receiving",
                disposition="in_progress",
                read_point="urn:epc:id:sgln:6978901.00001.0",
                biz_location="urn:epc:id:sgln:6978901.00001.0",
                station="dc-in",
            )
        )
        for i in range(n)
    ]
