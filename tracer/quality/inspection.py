"""A lot inspection by attributes, recorded as an EPCIS inspecting event; pass rates.

The inspector picks a lot, gets the plan from `sampling.plan`, inspects the
sample and counts defects by class. Critical defects reject the lot outright
(zero acceptance, as GB/T 2828.1 practice has it for safety); otherwise the
number of nonconforming items (with a major or minor defect) is compared with
the plan's Ac / Re. The result is an ObjectEvent with bizStep `inspecting` and
disposition `conformant` or `non_conformant`, the plan and counts under the
`tracer:inspection` extension (the shape the demo data uses too). A failed
lot can then be put on hold: an ObjectEvent with bizStep `holding`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from tracer.codes import keys
from tracer.gs1_check import check_digit
from tracer.ledger import AppendResult, Ledger
from tracer.model import Action, Event, EventType, QuantityElement, offset_of, sgln_uri
from tracer.quality.sampling import SamplingPlan

Stamp = Callable[[Event], Event]

CONFORMANT, NON_CONFORMANT = "conformant", "non_conformant"


@dataclass(frozen=True, slots=True)
class Defects:
    critical: int = 0
    major: int = 0
    minor: int = 0

    @property
    def total(self) -> int:
        return self.critical + self.major + self.minor


@dataclass(frozen=True, slots=True)
class Inspection:
    """What the inspector did: which lot, which plan, what was found."""

    gtin: str  # GTIN-14
    lot: str
    plan: SamplingPlan
    nonconforming: int  # sample items with a major or minor defect
    defects: Defects = field(default_factory=Defects)
    samples: tuple[str, ...] = ()  # identities of the items scanned as the sample
    location_gln: str | None = None
    operator: str | None = None
    station: str | None = None
    time: datetime | None = None

    @property
    def accepted(self) -> bool:
        if self.defects.critical > 0:
            return False
        return self.nonconforming <= self.plan.accept

    @property
    def disposition(self) -> str:
        return CONFORMANT if self.accepted else NON_CONFORMANT


def _now() -> datetime:
    return datetime.now().astimezone()


def inspection_event(insp: Inspection, stamp: Stamp) -> Event:
    """The EPCIS event recording an inspection and its verdict."""
    t = insp.time or _now()
    where = sgln_uri(insp.location_gln) if insp.location_gln else None
    p = insp.plan
    return stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=t,
            event_time_zone_offset=offset_of(t),
            action=Action.OBSERVE,
            epc_list=tuple(s for s in insp.samples if s.startswith("urn:epc:id:")),
            quantity_list=(
                QuantityElement(keys.lgtin_uri(insp.gtin, insp.lot), float(p.sample_size), None),
            ),
            biz_step="inspecting",
            disposition=insp.disposition,
            read_point=where,
            biz_location=where,
            operator=insp.operator,
            station=insp.station,
            extra={
                "tracer:inspection": {
                    "standard": "GB/T 2828.1-2012 / ISO 2859-1:1999",
                    "lotSize": p.lot_size,
                    "level": p.level,
                    "aql": p.aql,
                    "severity": p.severity.value,
                    "codeLetter": p.letter,
                    "sampleSize": p.sample_size,
                    "ac": p.accept,
                    "re": p.reject,
                    "nonconforming": insp.nonconforming,
                    "defects": insp.defects.total,
                    "defectsByClass": {
                        "critical": insp.defects.critical,
                        "major": insp.defects.major,
                        "minor": insp.defects.minor,
                    },
                    "accepted": insp.accepted,
                }
            },
        )
    )


def record_inspection(ledger: Ledger, insp: Inspection, stamp: Stamp) -> AppendResult:
    return ledger.append([inspection_event(insp, stamp)])


def hold_event(
    gtin: str,
    lot: str,
    quantity: float | None,
    *,
    stamp: Stamp,
    location_gln: str | None = None,
    operator: str | None = None,
    reason: str = "failed inspection",
    time: datetime | None = None,
) -> Event:
    """Put a lot on hold: nothing of it may ship until released or recalled."""
    t = time or _now()
    where = sgln_uri(location_gln) if location_gln else None
    return stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=t,
            event_time_zone_offset=offset_of(t),
            action=Action.OBSERVE,
            quantity_list=(QuantityElement(keys.lgtin_uri(gtin, lot), quantity, None),),
            biz_step="holding",
            disposition="non_sellable_other",
            read_point=where,
            biz_location=where,
            operator=operator,
            extra={"tracer:hold": {"reason": reason}},
        )
    )


# -- pass rates -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PassRate:
    key: str  # GTIN, station or period (YYYY-MM)
    inspected: int
    passed: int

    @property
    def rate(self) -> float:
        return self.passed / self.inspected if self.inspected else 0.0


def gtin_of_class(epc_class: str) -> str | None:
    """GTIN-14 of an LGTIN class URI (or SGTIN pattern): indicator + prefix + item ref + check."""
    if not epc_class.startswith(
        ("urn:epc:class:lgtin:", "urn:epc:idpat:sgtin:", "urn:epc:id:sgtin:")
    ):
        return None
    body = epc_class.rsplit(":", 1)[1]
    parts = body.split(".")
    if len(parts) < 2 or not (parts[0] + parts[1]).isdigit():
        return None
    cp, ir = parts[0], parts[1]
    digits = ir[0] + cp + ir[1:]
    if len(digits) != 13 or not digits.isascii():
        return None
    return digits + check_digit(digits)


def pass_rates(
    ledger: Ledger,
    by: str = "product",
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[PassRate]:
    """Lot inspections passed / done (events carrying an inspection result), grouped by
    product (GTIN), station (line) or month."""
    if by not in ("product", "station", "month"):
        raise ValueError("by must be product, station or month")
    from tracer.ledger.rows import utc_text

    where = ["e.biz_step = 'inspecting'", "e.declares_error = 0",
             "NOT EXISTS (SELECT 1 FROM events x WHERE x.event_id = e.event_id AND x.declares_error = 1)"]  # fmt: skip
    params: list[object] = []
    if since is not None:
        where.append("e.event_time >= ?")
        params.append(utc_text(since))
    if until is not None:
        where.append("e.event_time < ?")
        params.append(utc_text(until))
    sql = (
        "SELECT e.seq, e.disposition, e.station, substr(e.event_time, 1, 7), "
        "(SELECT i.id FROM identifiers i WHERE i.seq = e.seq AND i.id LIKE 'urn:epc:class:%' LIMIT 1), "
        f"e.doc FROM events e WHERE {' AND '.join(where)}"
    )
    with ledger._lock:
        rows = ledger.connection.execute(sql, params).fetchall()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _seq, disposition, station, month, ident, doc in rows:
        if '"tracer:inspection"' not in doc:
            continue  # a scan at an inspecting station, not a lot's inspection result
        if by == "product":
            key = gtin_of_class(ident or "") or "?"
        elif by == "station":
            key = station or "?"
        else:
            key = month
        c = counts[key]
        c[0] += 1
        c[1] += disposition == CONFORMANT
    return [PassRate(k, n, ok) for k, (n, ok) in sorted(counts.items())]
