"""Trace and recall: forward / backward trace, recall campaigns, lists, notices, reports.

The public API (what the CLI and the desktop screens call) is listed in
docs/recall.md; heavy libraries (reportlab, openpyxl) load only in the
functions that write those files.
"""

from tracer.recall.graph import LocationTally, LotInfo, TraceEdge, TraceGraph
from tracer.recall.start import TraceError, TraceStart, parse_lot, parse_start
from tracer.recall.trace import backward_trace, forward_trace

__all__ = [
    "LocationTally",
    "LotInfo",
    "TraceEdge",
    "TraceError",
    "TraceGraph",
    "TraceStart",
    "backward_trace",
    "forward_trace",
    "parse_lot",
    "parse_start",
]
