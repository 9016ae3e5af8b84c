"""Trace and recall: forward / backward trace, recall campaigns, lists, notices, reports.

The public API (what the CLI and the desktop screens call) is listed in
docs/recall.md; heavy libraries (reportlab, openpyxl) load only inside the
functions that write those files.
"""

from tracer.recall.campaign import (
    campaign_progress,
    close_campaign,
    get_campaign,
    list_campaigns,
    open_campaign,
    record_ack,
    record_destroy,
    record_notified,
    record_repair,
    record_return,
)
from tracer.recall.campaign_model import Campaign, CampaignProgress, RegionProgress, Target
from tracer.recall.campaign_store import rebuild_campaigns
from tracer.recall.graph import LocationTally, LotInfo, TraceEdge, TraceGraph
from tracer.recall.listfiles import (
    write_retailer_list_csv,
    write_retailer_list_pdf,
    write_retailer_list_xlsx,
)
from tracer.recall.retailers import RetailerList, RetailerRow, retailer_list
from tracer.recall.start import TraceError, TraceStart, parse_lot, parse_start
from tracer.recall.trace import backward_trace, forward_trace

__all__ = [
    "Campaign",
    "CampaignProgress",
    "LocationTally",
    "LotInfo",
    "RegionProgress",
    "RetailerList",
    "RetailerRow",
    "Target",
    "TraceEdge",
    "TraceError",
    "TraceGraph",
    "TraceStart",
    "backward_trace",
    "campaign_progress",
    "close_campaign",
    "forward_trace",
    "get_campaign",
    "list_campaigns",
    "open_campaign",
    "parse_lot",
    "parse_start",
    "rebuild_campaigns",
    "record_ack",
    "record_destroy",
    "record_notified",
    "record_repair",
    "record_return",
    "retailer_list",
    "write_retailer_list_csv",
    "write_retailer_list_pdf",
    "write_retailer_list_xlsx",
]
