"""A demo lot that reached a retailer: where the trace, recall and GUI tests start.

Importable from any test module (pytest puts this folder on sys.path for the
top-level conftest.py), so SQLite and PostgreSQL tests pick the same lot.
"""

from __future__ import annotations

from tracer.ledger import Ledger, masterdata
from tracer.model import Lot
from tracer.recall import forward_trace
from tracer.recall.graph import TraceGraph


def shipped_lot(ledger: Ledger) -> tuple[Lot, TraceGraph]:
    """The first lot (master-data order) whose forward trace has a retailer, with that trace."""
    for lot in masterdata.lots(ledger):
        graph = forward_trace(ledger, (lot.gtin, lot.lot))
        if any(t.is_retail for t in graph.locations.values()):
            return lot, graph
    raise AssertionError("no lot reached a retailer")
