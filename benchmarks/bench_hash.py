"""Event hash: the typed fast path vs the general EPCIS JSON-LD path, same events, same run.

Run: .venv/bin/python benchmarks/bench_hash.py [--events N] [--rounds R]
"general" is what `hash_event` did before the fast path: `event_hash(event_to_epcis(e))`.
Each round hashes every event with fresh value memos ("cold": every EPC new, as in
a big ingest) and then again ("warm"); the medians over the rounds are printed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from event_streams import demo_events, portal_events

from tracer.epcis import fast_hash
from tracer.epcis.codec import event_to_epcis
from tracer.epcis.event_hash import DEFAULT_NAMESPACES, event_hash
from tracer.model import Event


def _forget() -> None:
    DEFAULT_NAMESPACES.memo.clear()
    fast_hash._C.__init__()  # type: ignore[misc]


def _time(fn: Callable[[Event], object], events: list[Event]) -> float:
    t = time.perf_counter()
    for e in events:
        fn(e)
    return (time.perf_counter() - t) / len(events) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    def general(e: Event) -> str:
        return event_hash(event_to_epcis(e, with_id=False))

    fast = fast_hash.fast_event_hash
    for name, events in (
        ("demo supply-chain mix", demo_events(args.events)),
        ("portal scans (1 EPC/event)", portal_events(args.events)),
    ):
        assert all(fast(e) == general(e) for e in events[:2000])
        res: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for label, fn in (("general", general), ("fast", fast)):
                _forget()
                res.setdefault(f"{label} cold", []).append(_time(fn, events))
                res.setdefault(f"{label} warm", []).append(_time(fn, events))
        med = {k: statistics.median(v) for k, v in res.items()}
        print(f"event hash, {name}: {len(events):,} events, median of {args.rounds} rounds")
        for k, v in med.items():
            print(f"  {k:<14} {v:8.1f} µs/event  {1e6 / v:>9,.0f} events/s")
        for memo in ("cold", "warm"):
            ratio = med[f"general {memo}"] / med[f"fast {memo}"]
            print(f"  speed-up ({memo})  {ratio:8.1f}×")


if __name__ == "__main__":
    main()
