"""Allocation-heavy phases without the cyclic garbage collector.

Building a batch's rows, a demo chunk or a trace's replay allocates hundreds
of thousands of tuples that all stay alive until the phase ends and hold no
reference cycles. The collector, triggered by the allocation count, kept
re-walking every live object: 15-40 % of those phases' time. Pausing it for
the phase (and restoring the caller's setting after) frees nothing later
than it would have been freed: refcounting still frees everything at once.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
