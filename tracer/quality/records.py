"""Quality records: what the ledger says about a producer, a product or a supplier.

The provincial quality-credit record of an enterprise, from tracer's own
evidence: inspection pass rate (factory inspections, bizStep inspecting,
conformant / non_conformant) and spot-check pass rate against the 92 %
target line; signals by kind and status; recalls and how far they got;
retailers' on-time acknowledgements; and a dated history. A supplier's
record covers its own lots and every lot made from them (through
TransformationEvents); a product's record names its flagged input lots —
a supplier lot with signals of its own, or with an input-lot alert — so a
bad input lot shows in the record of every product made from it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracer.ledger import Ledger
from tracer.quality.alerts import evaluate
from tracer.quality.linking import LIVE, LotKey, input_lots, output_lots, party_name, split_class
from tracer.quality.rules import Rules, load_rules
from tracer.quality.signal_model import SPOT_CHECKS, SignalError
from tracer.quality.signals import Signal, list_signals

SCOPES = ("producer", "product", "supplier")
INSPECT_STEPS = ("inspecting", "urn:epcglobal:cbv:bizstep:inspecting")


@dataclass(frozen=True, slots=True)
class Rate:
    done: int
    passed: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.done if self.done else None

    def as_dict(self) -> dict[str, Any]:
        r = self.rate
        return {
            "done": self.done,
            "passed": self.passed,
            "rate": None if r is None else round(r, 4),
        }


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    day: str
    kind: str  # inspection | spot_check | signal | follow_up | recall | recall_closed
    subject: str  # GTIN/LOT, GTIN or campaign id
    text: str
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class FlaggedInput:
    """A supplier lot that went into this scope's lots and is under suspicion."""

    lot: LotKey
    supplier: str
    supplier_name: str
    reasons: tuple[tuple[str, str], ...]  # (day, what)
    made_into: tuple[LotKey, ...]


@dataclass(frozen=True, slots=True)
class RecallLine:
    campaign_id: str
    status: str
    opened_at: str
    closed_at: str | None
    lots: tuple[str, ...]
    targets: int
    acknowledged: int
    acknowledged_on_time: int
    percent_accounted: float


@dataclass
class QualityRecord:
    scope: str
    key: str
    name: str
    name_zh: str | None
    since: date | None
    until: date | None
    rules: Rules
    products: list[tuple[str, str, str | None]] = field(default_factory=list)
    lots: list[LotKey] = field(default_factory=list)
    inspections: Rate = Rate(0, 0)
    spot_checks: Rate = Rate(0, 0)
    signals: list[Signal] = field(default_factory=list)
    flagged_inputs: list[FlaggedInput] = field(default_factory=list)
    recalls: list[RecallLine] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def target(self) -> float:
        return self.rules.pass_target

    @property
    def acknowledgements(self) -> Rate:
        return Rate(
            sum(r.targets for r in self.recalls), sum(r.acknowledged_on_time for r in self.recalls)
        )

    def signals_by(self, attr: str) -> dict[str, int]:
        return dict(Counter(getattr(s, attr) for s in self.signals))

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "key": self.key,
            "name": self.name,
            "name_zh": self.name_zh,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "target": self.target,
            "products": [{"gtin": g, "name": n, "name_zh": z} for g, n, z in self.products],
            "lots": len(self.lots),
            "inspections": self.inspections.as_dict(),
            "spot_checks": self.spot_checks.as_dict(),
            "signals": len(self.signals),
            "signals_by_kind": self.signals_by("kind"),
            "signals_by_status": self.signals_by("status"),
            "flagged_inputs": [
                {
                    "lot": f"{f.lot[0]}/{f.lot[1]}",
                    "supplier": f.supplier,
                    "supplier_name": f.supplier_name,
                    "reasons": [{"day": d, "text": t} for d, t in f.reasons],
                    "made_into": [f"{g}/{lot}" for g, lot in f.made_into],
                }
                for f in self.flagged_inputs
            ],
            "recalls": [_slots(r) for r in self.recalls],
            "acknowledgements_on_time": self.acknowledgements.as_dict(),
            "history": [_slots(h) for h in self.history],
        }


def _slots(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__slots__}


def _in_period(day: str, since: date | None, until: date | None) -> bool:
    d = day[:10]
    return (since is None or d >= since.isoformat()) and (until is None or d <= until.isoformat())


def _products(ledger: Ledger, scope: str, key: str) -> list[tuple[str, str, str | None]]:
    conn = ledger.connection
    if scope == "product":
        g = key.zfill(14)
        rows = conn.execute(
            "SELECT gtin, name, name_zh FROM products WHERE gtin IN (?, ?)", (g, g.lstrip("0"))
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT p.gtin, p.name, p.name_zh FROM products p WHERE p.producer_gln = ? "
            "OR p.producer_gln IN (SELECT gln FROM locations WHERE party_gln = ?) ORDER BY p.gtin",
            (key, key),
        ).fetchall()
    return [(str(g).zfill(14), n, z) for g, n, z in rows]


def _lots_of(ledger: Ledger, gtins: list[str]) -> list[LotKey]:
    conn = ledger.connection
    out: set[LotKey] = set()
    for g in gtins:
        for (lot,) in conn.execute(
            "SELECT lot FROM lots WHERE gtin IN (?, ?)", (g, g.lstrip("0"))
        ).fetchall():
            out.add((g, lot))
    return sorted(out)


def _inspections(ledger: Ledger, lots: set[LotKey]) -> list[tuple[str, LotKey, str | None]]:
    """(event time, lot, disposition) of every live inspecting event naming one of `lots`."""
    marks = ",".join("?" * len(INSPECT_STEPS))
    rows = ledger.connection.execute(
        f"SELECT e.event_time, e.disposition, i.id FROM events e JOIN identifiers i "
        f"ON i.seq = e.seq WHERE e.biz_step IN ({marks}) AND {LIVE}",
        INSPECT_STEPS,
    ).fetchall()
    out = []
    for t, disposition, ident in rows:
        split = split_class(ident)
        if split and split[1] is not None and (split[0], split[1]) in lots:
            out.append((t, (split[0], split[1]), disposition))
    return out


def quality_record(
    ledger: Ledger,
    scope: str,
    key: str,
    *,
    since: date | None = None,
    until: date | None = None,
) -> QualityRecord:
    """The record of one producer (GLN), product (GTIN) or supplier (GLN) for a period."""
    if scope not in SCOPES:
        raise SignalError(f"scope must be one of {', '.join(SCOPES)}, not '{scope}'")
    rules = load_rules(ledger)
    signals = list_signals(ledger)  # syncs the quality tables first
    with ledger._lock:
        products = _products(ledger, scope, key)
        if not products:
            what = "product" if scope == "product" else f"{scope} with products"
            raise SignalError(f"no {what} {key} in this ledger's master data")
        if scope == "product":
            name, name_zh = products[0][1], products[0][2]
        else:
            name, name_zh = party_name(ledger.connection, key)
        own = _lots_of(ledger, [g for g, _n, _z in products])
        lots = set(own)
        if scope == "supplier":  # the supplier's lots and every lot made from them
            lots |= set(output_lots(ledger.connection, own))
        gtins = {g for g, _lot in lots} | {g for g, _n, _z in products}
        inspections = [x for x in _inspections(ledger, lots) if _in_period(x[0], since, until)]
    rec = QualityRecord(scope, key, name, name_zh, since, until, rules, products, sorted(lots))
    rec.inspections = Rate(
        len(inspections), sum(1 for _t, _l, d in inspections if d == "conformant")
    )

    def concerns(s: Signal) -> bool:
        if set(s.lot_keys()) & lots:
            return True
        return scope != "supplier" and s.product.gtin in gtins

    rec.signals = [s for s in signals if _in_period(s.day, since, until) and concerns(s)]
    checks = [s for s in rec.signals if s.kind in SPOT_CHECKS and s.result]
    rec.spot_checks = Rate(len(checks), sum(1 for s in checks if s.result == "pass"))
    rec.flagged_inputs = _flagged_inputs(ledger, lots, signals, scope)
    rec.recalls = _recalls(ledger, lots, rules, since, until)
    rec.history = _history(rec, inspections)
    return rec


def _flagged_inputs(
    ledger: Ledger, lots: set[LotKey], signals: list[Signal], scope: str
) -> list[FlaggedInput]:
    if scope == "supplier":
        inputs_of = {lot: [lot] for lot in lots}  # the supplier's own lots are the inputs
    else:
        with ledger._lock:
            inputs_of = {lot: input_lots(ledger.connection, [lot]) for lot in lots}
    made_into: dict[LotKey, set[LotKey]] = defaultdict(set)
    for lot, inputs in inputs_of.items():
        for m in inputs:
            if m != lot:
                made_into[m].add(lot)
    if not made_into:
        return []
    reasons: dict[LotKey, list[tuple[str, str]]] = defaultdict(list)
    for s in signals:
        if s.status == "dismissed":
            continue
        for k in s.lot_keys(plausible=False):
            if k in made_into:
                text = f"{s.kind} ({s.severity}): {(s.description or '')[:50]}"
                reasons[k].append((s.day, text))
    for a in evaluate(ledger, with_trace=False):
        if a.rule == "input_lot" and a.lots and a.lots[0] in made_into:
            reasons[a.lots[0]].append((a.last_day, f"alert: {a.title}"))
    out = []
    with ledger._lock:
        from tracer.quality.linking import producer_of

        for m in sorted(reasons):
            supplier = producer_of(ledger.connection, m[0]) or "?"
            sname = party_name(ledger.connection, supplier)[0] if supplier != "?" else "?"
            out.append(
                FlaggedInput(m, supplier, sname, tuple(reasons[m]), tuple(sorted(made_into[m])))
            )
    return out


def _recalls(
    ledger: Ledger, lots: set[LotKey], rules: Rules, since: date | None, until: date | None
) -> list[RecallLine]:
    from tracer.recall import campaign_progress, list_campaigns

    out = []
    for c in list_campaigns(ledger):
        affected = {(str(a.get("gtin", "")).zfill(14), str(a.get("lot"))) for a in c.affected_lots}
        mine = sorted(affected & lots)
        if not mine or not _in_period(c.opened_at, since, until):
            continue
        progress = campaign_progress(ledger, c.campaign_id)
        acked = [t for t in c.targets if t.acknowledged_at]
        on_time = sum(
            1
            for t in acked
            if _days_between(t.notified_at or c.opened_at, t.acknowledged_at) <= rules.ack_days
        )
        out.append(
            RecallLine(
                c.campaign_id,
                c.status,
                c.opened_at,
                c.closed_at,
                tuple(f"{g}/{lot}" for g, lot in mine),
                len(c.targets),
                len(acked),
                on_time,
                round(progress.percent_of_shipped, 1),
            )
        )
    return out


def _days_between(a: str, b: str | None) -> float:
    if b is None:
        return float("inf")
    from tracer.model import parse_time

    return (parse_time(b) - parse_time(a)).total_seconds() / 86400


def _history(
    rec: QualityRecord, inspections: list[tuple[str, LotKey, str | None]]
) -> list[HistoryEntry]:
    h: list[HistoryEntry] = []
    for t, (g, lot), disposition in inspections:
        if disposition != "conformant":  # passed inspections are counted, not listed
            h.append(
                HistoryEntry(
                    t[:10], "inspection", f"{g}/{lot}", "factory inspection", str(disposition)
                )
            )
    for s in rec.signals:
        subject = ", ".join(f"{g}/{lot}" for g, lot in s.lot_keys(plausible=False)) or (
            s.product.gtin or ""
        )
        text = f"{s.kind}: {s.description or ''}".strip()
        outcome = s.result or s.status + (f" {s.campaign}" if s.campaign else "")
        h.append(HistoryEntry(s.day, "signal", subject, f"{text} [{s.severity}]", outcome))
    for f in rec.flagged_inputs:
        for day, text in f.reasons:
            subject = f"{f.lot[0]}/{f.lot[1]}"
            h.append(HistoryEntry(day, "input_lot", subject, f"{f.supplier_name}: {text}"))
    for r in rec.recalls:
        h.append(
            HistoryEntry(
                r.opened_at[:10],
                "recall",
                r.campaign_id,
                "recall opened: " + ", ".join(r.lots),
                r.status,
            )
        )
        if r.closed_at:
            h.append(
                HistoryEntry(
                    r.closed_at[:10],
                    "recall_closed",
                    r.campaign_id,
                    f"{r.percent_accounted:g} % accounted",
                    "closed",
                )
            )
    h.sort(key=lambda e: (e.day, e.kind, e.subject))
    return h


def parse_period(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    def one(v: str | None) -> date | None:
        if v is None:
            return None
        try:
            return datetime.fromisoformat(v).date()
        except ValueError:
            raise SignalError(f"{v!r} is not a date (YYYY-MM-DD)") from None

    return one(since), one(until)
