"""Risk alerts: signals that cluster on a lot, a product or a supplier's input lot.

Alerts are computed from the signals (never stored), so they are always
what the ledger says now. Rules (thresholds in `rules.Rules`):

* lot: `lot_count` signals linked to one lot within `lot_window_days`;
* product: `product_count` signals on one product within its window, over
  two lots or more (one lot's cluster is the lot rule's);
* input lot: `input_lot_count` signals on lots made from one supplier lot
  within its window, over two output lots or more (or naming it directly);
* injury: any injury report at `injury_severity` or above;
* spot check: any failed spot check.

Dismissed signals do not count. Each alert lists its lots and the forward
trace of them (units, retailers), and `recall_from_alert` opens a recall
campaign on them in one step, marking its signals escalated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tracer.ledger import Ledger
from tracer.quality.linking import LotKey, input_lots
from tracer.quality.rules import Rules, load_rules
from tracer.quality.signal_model import SEVERITIES, SPOT_CHECKS, SignalError
from tracer.quality.signals import Signal, escalate, list_signals

RULES = ("lot", "product", "input_lot", "injury", "spot_check")


@dataclass(frozen=True, slots=True)
class RetailerUnits:
    sgln: str
    name: str
    name_zh: str | None
    region: str | None
    city: str | None
    units_received: float
    units_sold: float
    units_on_hand: float


@dataclass(frozen=True, slots=True)
class TraceSummary:
    """What a recall of the alert's lots would reach (from `tracer.recall.forward_trace`)."""

    lots: list[str]  # every affected lot class, made-from lots included
    units_produced: float
    units_at_retail: float
    units_sold: float
    retailers: list[RetailerUnits]

    def as_dict(self) -> dict[str, Any]:
        return {
            "lots": self.lots,
            "units_produced": self.units_produced,
            "units_at_retail": self.units_at_retail,
            "units_sold": self.units_sold,
            "retailers": [_slots(r) for r in self.retailers],
        }


def _slots(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__slots__}


@dataclass
class Alert:
    alert_id: str  # rule:subject, stable while the ledger grows
    rule: str
    subject: str
    title: str
    signals: list[Signal]
    lots: list[LotKey]
    status: str = "open"  # open | escalated (every signal escalated)
    campaigns: list[str] = field(default_factory=list)
    trace: TraceSummary | None = None

    @property
    def first_day(self) -> str:
        return min(s.day for s in self.signals)

    @property
    def last_day(self) -> str:
        return max(s.day for s in self.signals)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.alert_id,
            "rule": self.rule,
            "subject": self.subject,
            "title": self.title,
            "status": self.status,
            "campaigns": self.campaigns,
            "first_day": self.first_day,
            "last_day": self.last_day,
            "signals": [s.short_id for s in self.signals],
            "lots": [f"{g}/{lot}" for g, lot in self.lots],
            "trace": self.trace.as_dict() if self.trace else None,
        }


def _clustered(signals: list[Signal], count: int, window_days: int) -> list[Signal]:
    """The signals that fall in some window of `window_days` holding `count` or more."""
    ordered = sorted(signals, key=lambda s: (s.day, s.seq))
    days = [date.fromisoformat(s.day[:10]) for s in ordered]
    keep: set[int] = set()
    start = 0
    for end in range(len(ordered)):
        while (days[end] - days[start]).days > window_days:
            start += 1
        if end - start + 1 >= count:
            keep.update(range(start, end + 1))
    return [ordered[i] for i in sorted(keep)]


def _alert(rule: str, subject: str, title: str, sigs: list[Signal], lots: list[LotKey]) -> Alert:
    escalated = [s for s in sigs if s.status == "escalated"]
    status = "escalated" if len(escalated) == len(sigs) else "open"
    campaigns = sorted({s.campaign for s in escalated if s.campaign})
    return Alert(
        f"{rule}:{subject}", rule, subject, title, sigs, sorted(set(lots)), status, campaigns
    )


def evaluate(
    ledger: Ledger,
    rules: Rules | None = None,
    *,
    with_trace: bool = True,
    include_escalated: bool = True,
) -> list[Alert]:
    """Every alert the current signals raise, most recent first."""
    rules = rules or load_rules(ledger)
    signals = [s for s in list_signals(ledger) if s.status != "dismissed"]
    alerts: list[Alert] = []
    by_lot: dict[LotKey, list[Signal]] = defaultdict(list)
    by_product: dict[str, list[Signal]] = defaultdict(list)
    for s in signals:
        for key in set(s.lot_keys()):
            by_lot[key].append(s)
        if s.product.gtin:
            by_product[s.product.gtin].append(s)
    for (g, lot), sigs in sorted(by_lot.items()):
        hit = _clustered(sigs, rules.lot_count, rules.lot_window_days)
        if hit:
            title = f"{len(hit)} signals on lot {lot} ({g})"
            alerts.append(_alert("lot", f"{g}/{lot}", title, hit, [(g, lot)]))
    for g, sigs in sorted(by_product.items()):
        hit = _clustered(sigs, rules.product_count, rules.product_window_days)
        lots = {k for s in hit for k in s.lot_keys(plausible=False)}
        if hit and (len(lots) >= 2 or any(not s.lot_keys(plausible=False) for s in hit)):
            title = f"{len(hit)} signals on product {g} over several lots"
            alerts.append(_alert("product", g, title, hit, [k for s in hit for k in s.lot_keys()]))
    alerts += _input_lot_alerts(ledger, signals, rules)
    floor = SEVERITIES.index(rules.injury_severity)
    for s in signals:
        if s.kind == "injury_report" and SEVERITIES.index(s.severity) >= floor:
            title = f"{s.severity} injury report {s.day}: {(s.description or '')[:60]}"
            alerts.append(_alert("injury", s.short_id, title, [s], s.lot_keys()))
        if rules.failed_spot_check and s.kind in SPOT_CHECKS and s.result == "fail":
            title = f"failed spot check {s.day} ({s.reporter or s.kind})"
            alerts.append(_alert("spot_check", s.short_id, title, [s], s.lot_keys()))
    if not include_escalated:
        alerts = [a for a in alerts if a.status != "escalated"]
    alerts.sort(key=lambda a: (a.last_day, a.alert_id), reverse=True)
    if with_trace:  # alerts on the same lots (a lot's cluster, its failed check) share a trace
        traces: dict[tuple[LotKey, ...], TraceSummary | None] = {}
        for a in alerts:
            shared = tuple(a.lots)
            if shared not in traces:
                traces[shared] = trace_summary(ledger, a.lots)
            a.trace = traces[shared]
    return alerts


def _input_lot_alerts(ledger: Ledger, signals: list[Signal], rules: Rules) -> list[Alert]:
    by_input: dict[LotKey, list[Signal]] = defaultdict(list)
    outputs: dict[LotKey, set[LotKey]] = defaultdict(set)
    cache: dict[LotKey, list[LotKey]] = {}
    with ledger._lock:
        for s in signals:
            for key in set(s.lot_keys(plausible=False)):
                if key not in cache:
                    cache[key] = input_lots(ledger.connection, [key])
                for m in cache[key]:
                    by_input[m].append(s)
                    outputs[m].add(key)
                if not cache[key]:  # a material lot named directly
                    by_input[key].append(s)
    out = []
    for m, sigs in sorted(by_input.items()):
        if not outputs[m]:
            continue  # a lot nothing was made from: the lot rule covers it
        unique = list({s.signal_id: s for s in sigs}.values())
        hit = _clustered(unique, rules.input_lot_count, rules.input_lot_window_days)
        made = {k for s in hit for k in s.lot_keys(plausible=False)} & outputs[m]
        direct = any(m in s.lot_keys(plausible=False) for s in hit)
        if hit and (len(made) >= 2 or direct):
            g, lot = m
            title = f"{len(hit)} signals on {len(made)} lots made from input lot {lot} ({g})"
            out.append(_alert("input_lot", f"{g}/{lot}", title, hit, [m]))
    return out


def trace_summary(ledger: Ledger, lots: Sequence[LotKey]) -> TraceSummary | None:
    """Units and retailers the lots (and everything made from them) reached."""
    if not lots:
        return None
    from tracer.recall import forward_trace

    graph = forward_trace(ledger, list(lots))
    retailers = []
    for t in sorted(graph.retail_locations(), key=lambda t: -t.units("received")):
        loc = t.location
        retailers.append(
            RetailerUnits(
                t.sgln,
                t.name,
                loc.name_zh if loc else None,
                loc.region if loc else None,
                loc.city if loc else None,
                t.units("received"),
                t.units("sold"),
                t.on_hand(),
            )
        )
    produced = sum(e.units for e in graph.edges_of("produced"))
    return TraceSummary(
        lots=sorted(graph.lots),
        units_produced=produced,
        units_at_retail=sum(r.units_received for r in retailers),
        units_sold=sum(r.units_sold for r in retailers),
        retailers=retailers,
    )


def get_alert(ledger: Ledger, alert_id: str, *, with_trace: bool = True) -> Alert:
    for a in evaluate(ledger, with_trace=with_trace):
        if a.alert_id == alert_id:
            return a
    raise SignalError(f"no alert {alert_id} (run `tracer alerts` to list them)")


def open_recall(
    ledger: Ledger,
    lots: Sequence[LotKey],
    signal_ids: Sequence[str],
    *,
    reason: str,
    hazard: str = "high",
    action: str = "return",
    instructions: str = "",
    by: str | None = None,
    when: datetime | None = None,
) -> str:
    """Open a recall campaign on `lots` and mark the signals escalated to it."""
    from tracer.recall import open_campaign

    when = when or datetime.now(UTC)
    campaign = open_campaign(
        ledger,
        list(lots),
        reason=reason,
        hazard=hazard,
        action=action,
        instructions=instructions,
        opened_by=by,
        when=when,
    )
    for sid in signal_ids:
        escalate(ledger, sid, campaign.campaign_id, by=by, note=reason, when=when)
    return campaign.campaign_id


def recall_from_alert(
    ledger: Ledger,
    alert_id: str,
    *,
    reason: str | None = None,
    hazard: str = "high",
    action: str = "return",
    instructions: str = "",
    by: str | None = None,
) -> str:
    """One step from an alert to a recall: a campaign on its lots, its signals escalated."""
    alert = get_alert(ledger, alert_id, with_trace=False)
    if not alert.lots:
        raise SignalError(f"alert {alert_id} is linked to no lot: assess its signals with a lot")
    pending = [s.signal_id for s in alert.signals if s.status != "escalated"]
    return open_recall(
        ledger,
        alert.lots,
        pending,
        reason=reason or alert.title,
        hazard=hazard,
        action=action,
        instructions=instructions,
        by=by,
    )
