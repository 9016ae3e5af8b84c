"""Recall campaigns: open one from lots, record each retailer's answer, follow progress.

Every change is one EPCIS ObjectEvent appended to the ledger: bizStep
``recalling`` (``destroying`` for destruction), disposition ``recalled``
(``destroyed``), at the retailer's SGLN, naming the lot classes (with the
quantity for returns and destruction), and a ``tracer:recall`` extension with
the campaign id and what happened. So the history is append-only, signed into
the hash chain, and merges from an inspector's laptop like any other event.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

from tracer.ledger import Ledger, masterdata
from tracer.model import Action, Event, EventType, QuantityElement
from tracer.recall.campaign_model import (
    HAZARDS,
    RECALL_KEY,
    REMEDIES,
    Campaign,
    CampaignProgress,
    RegionProgress,
    Target,
)
from tracer.recall.campaign_store import campaign_ids, load_campaign, sync
from tracer.recall.retailers import retailer_list
from tracer.recall.start import TraceError, TraceStart, parse_start
from tracer.recall.trace import StartLike, forward_trace


def _stamp(event: Event) -> Event:
    from tracer.epcis.codec import stamp

    return stamp(event)


def _event(
    *,
    when: datetime | None,
    place: str | None,
    payload: dict[str, Any],
    quantities: Sequence[tuple[str, float | None]],
    by: str | None,
    destroy: bool = False,
) -> Event:
    return _stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=when or datetime.now(UTC),
            action=Action.OBSERVE,
            quantity_list=tuple(QuantityElement(c, q) for c, q in quantities),
            biz_step="destroying" if destroy else "recalling",
            disposition="destroyed" if destroy else "recalled",
            read_point=place,
            biz_location=place,
            operator=by,
            extra={RECALL_KEY: {k: v for k, v in payload.items() if v is not None}},
        )
    )


def open_campaign(
    ledger: Ledger,
    lots: StartLike | Sequence[StartLike],
    *,
    reason: str,
    hazard: str,
    action: str,
    instructions: str,
    opened_by: str | None = None,
    when: datetime | None = None,
    campaign_id: str | None = None,
    contact: dict[str, str] | None = None,
) -> Campaign:
    """Trace the lots forward (through transformations) and open a campaign on every
    location that received affected goods. `action` is the remedy: return, destroy
    or repair."""
    if hazard not in HAZARDS:
        raise TraceError(f"hazard must be one of {', '.join(HAZARDS)}, not '{hazard}'")
    if action not in REMEDIES:
        raise TraceError(f"action must be one of {', '.join(REMEDIES)}, not '{action}'")
    if not reason.strip():
        raise TraceError("a recall needs a reason (the defect found)")
    starts = [parse_start(s) for s in _as_list(lots)]
    graph = forward_trace(ledger, starts)
    rl = retailer_list(graph)
    if not rl.rows:
        raise TraceError(f"{graph.start}: no location received these goods; nothing to recall")
    when = when or datetime.now(UTC)
    cid = campaign_id or f"RC-{when:%Y%m%d}-{secrets.token_hex(3).upper()}"
    if cid in campaign_ids(ledger):
        raise TraceError(f"campaign {cid} already exists")
    issuer = next(
        (e.target for e in graph.edges_of("produced") if graph.lots[e.source].depth == 0), None
    )
    issuer_loc = masterdata.location(ledger, issuer) if issuer else None
    desk = contact or {
        "name": (issuer_loc.name if issuer_loc else "") or "",
        "name_zh": (issuer_loc.name_zh if issuer_loc else "") or "",
        "contact": (issuer_loc.contact if issuer_loc else "") or "",
        "phone": (issuer_loc.phone if issuer_loc else "") or "",
        "email": (issuer_loc.email if issuer_loc else "") or "",
    }
    payload = {
        "campaign": cid,
        "action": "open",
        "reason": reason.strip(),
        "hazard": hazard,
        "remedy": action,
        "instructions": instructions.strip(),
        "by": opened_by,
        "lots": [s.text for s in starts],
        "contact": desk,
        "affectedLots": [
            {
                "lotClass": lot,
                "gtin": info.gtin,
                "lot": info.lot,
                "product": info.product,
                "productZh": info.product_zh,
                "unit": info.unit,
                "depth": info.depth,
            }
            for lot, info in sorted(graph.lots.items(), key=lambda kv: (kv[1].depth, kv[0]))
        ],
        "targets": [
            {
                "sgln": r.sgln,
                "gln": r.gln,
                "unitsShipped": r.units_received,
                "unitsForwarded": r.units_forwarded,
                "unitsSold": r.units_sold,
                "unitsOnHand": r.units_on_hand,
                "byLot": r.by_lot,
            }
            for r in rl.rows
        ],
    }
    lot_ids = [(lot, None) for lot in sorted(graph.lots)]
    ledger.append(
        [_event(when=when, place=issuer, payload=payload, quantities=lot_ids, by=opened_by)]
    )
    return load_campaign(ledger, cid)


def _as_list(lots: StartLike | Sequence[StartLike]) -> list[StartLike]:
    if isinstance(lots, (str, tuple, TraceStart)):
        return [lots]
    return list(lots)


def get_campaign(ledger: Ledger, campaign_id: str) -> Campaign:
    return load_campaign(ledger, campaign_id)


def list_campaigns(ledger: Ledger) -> list[Campaign]:
    return [load_campaign(ledger, cid) for cid in campaign_ids(ledger)]


def _target(campaign: Campaign, gln: str, *, must_be_open: bool = True) -> Target:
    if must_be_open and campaign.status != "open":
        raise TraceError(f"campaign {campaign.campaign_id} is {campaign.status}")
    target = campaign.target(gln.strip())
    if target is None:
        raise TraceError(
            f"{gln} is not one of the {len(campaign.targets)} locations of campaign "
            f"{campaign.campaign_id} (see `tracer recall show {campaign.campaign_id}`)"
        )
    return target


def _lot_class(target: Target, lot: str | None) -> str:
    if lot is None:
        if len(target.by_lot) == 1:
            return next(iter(target.by_lot))
        raise TraceError(
            f"{target.name or target.sgln} received {len(target.by_lot)} affected lots: "
            "say which one (--lot GTIN/LOT)"
        )
    wanted = set(parse_start(lot).candidates)
    for lot_class in target.by_lot:
        if lot_class in wanted:
            return lot_class
    raise TraceError(f"{target.name or target.sgln} did not receive lot {lot}")


def record_notified(
    ledger: Ledger,
    campaign_id: str,
    gln: str | Sequence[str],
    *,
    when: datetime | None = None,
    by: str | None = None,
) -> Campaign:
    """The notice went out to one location (or to each of several, in one append)."""
    c = load_campaign(ledger, campaign_id)
    events = []
    for one in [gln] if isinstance(gln, str) else gln:
        t = _target(c, one)
        payload = {"campaign": campaign_id, "action": "notified", "by": by}
        lots = [(lot, None) for lot in sorted(t.by_lot)]
        events.append(_event(when=when, place=t.sgln, payload=payload, quantities=lots, by=by))
    ledger.append(events)
    return load_campaign(ledger, campaign_id)


def record_ack(
    ledger: Ledger,
    campaign_id: str,
    gln: str,
    *,
    by: str | None = None,
    when: datetime | None = None,
    note: str | None = None,
) -> Campaign:
    """The retailer confirmed it received the notice (by: who confirmed)."""
    c = load_campaign(ledger, campaign_id)
    t = _target(c, gln)
    payload = {"campaign": campaign_id, "action": "acknowledged", "by": by, "note": note}
    lots = [(lot, None) for lot in sorted(t.by_lot)]
    ledger.append([_event(when=when, place=t.sgln, payload=payload, quantities=lots, by=by)])
    return load_campaign(ledger, campaign_id)


def _record_units(
    ledger: Ledger,
    campaign_id: str,
    gln: str,
    quantity: float,
    *,
    what: str,
    lot: str | None = None,
    when: datetime | None = None,
    by: str | None = None,
    note: str | None = None,
) -> Campaign:
    """`quantity` units of a lot at one target `what` (returned, destroyed, repaired)."""
    c = load_campaign(ledger, campaign_id)
    t = _target(c, gln)
    if quantity <= 0:
        raise TraceError(f"the quantity {what} must be positive")
    lot_class = _lot_class(t, lot)
    already = t.units_accounted
    if already + quantity > t.units_shipped + 1e-9:
        raise TraceError(
            f"{t.name or t.sgln} received {t.units_shipped:g} units and {already:g} are already "
            f"accounted for: {quantity:g} more cannot be {what}"
        )
    payload = {"campaign": campaign_id, "action": what, "by": by, "note": note}
    event = _event(
        when=when,
        place=t.sgln,
        payload=payload,
        quantities=[(lot_class, quantity)],
        by=by,
        destroy=what == "destroyed",
    )
    ledger.append([event])
    return load_campaign(ledger, campaign_id)


# a retailer's units, each way they can be accounted for (same checks, same event)
record_return = partial(_record_units, what="returned")
record_destroy = partial(_record_units, what="destroyed")
record_repair = partial(_record_units, what="repaired")


def close_campaign(
    ledger: Ledger,
    campaign_id: str,
    *,
    when: datetime | None = None,
    by: str | None = None,
    note: str | None = None,
) -> Campaign:
    c = load_campaign(ledger, campaign_id)
    if c.status == "closed":
        raise TraceError(f"campaign {campaign_id} is already closed")
    payload = {"campaign": campaign_id, "action": "closed", "by": by, "note": note}
    lots = [(d["lotClass"], None) for d in c.affected_lots]
    ledger.append([_event(when=when, place=c.issuer_sgln, payload=payload, quantities=lots, by=by)])
    return load_campaign(ledger, campaign_id)


def campaign_progress(ledger: Ledger, campaign_id: str) -> CampaignProgress:
    """Retailers notified / acknowledged, units accounted for, overall and per region."""
    sync(ledger)
    c = load_campaign(ledger, campaign_id)
    regions: dict[str, RegionProgress] = {}
    for t in c.targets:
        r = regions.setdefault(t.region or "—", RegionProgress(t.region or "—"))
        r.targets += 1
        r.notified += t.notified_at is not None
        r.acknowledged += t.acknowledged_at is not None
        r.units_shipped += t.units_net
        r.units_on_hand += t.units_on_hand
        r.units_accounted += t.units_accounted
    ts = c.targets
    return CampaignProgress(
        campaign=c,
        targets=len(ts),
        notified=sum(t.notified_at is not None for t in ts),
        acknowledged=sum(t.acknowledged_at is not None for t in ts),
        units_shipped=sum(t.units_net for t in ts),
        units_sold=sum(t.units_sold for t in ts),
        units_on_hand=sum(t.units_on_hand for t in ts),
        units_returned=sum(t.units_returned for t in ts),
        units_destroyed=sum(t.units_destroyed for t in ts),
        units_repaired=sum(t.units_repaired for t in ts),
        regions=[regions[k] for k in sorted(regions)],
    )
