"""Quality signals as EPCIS events: the shape of a signal and of its follow-ups.

A signal (a complaint, an injury report, a spot-check result, ...) is an
ObjectEvent, so it is signed into the hash chain and merges from a laptop
like any other event. It names the product or lot concerned in the standard
lists (an SGTIN, the lot's LGTIN class, or the GTIN's SGTIN pattern when only
the product is known) so the ledger browser finds it by lot, and carries the
report itself in a ``tracer:signal`` extension member. A signal is never
edited: an assessment, a dismissal or an escalation to recall is a new event
(``tracer:signalFollowUp``) naming the signal's eventID.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from tracer.codes import keys
from tracer.errors import TracerError
from tracer.model import TRACER_NS, Action, Event, EventType, QuantityElement, offset_of

SIGNAL_KEY = "tracer:signal"
FOLLOWUP_KEY = "tracer:signalFollowUp"
SIGNAL_STEP = f"{TRACER_NS}bizstep/quality_signal"
FOLLOWUP_STEP = f"{TRACER_NS}bizstep/quality_follow_up"

KINDS = (
    "consumer_complaint",
    "injury_report",
    "ecommerce_spot_check",
    "market_spot_check",
    "retailer_report",
    "export_return",
    "foreign_recall",
)
SPOT_CHECKS = ("ecommerce_spot_check", "market_spot_check")
SEVERITIES = ("low", "medium", "high", "critical")
RESULTS = ("pass", "fail")
ACTIONS = ("assessed", "dismissed", "escalated")
CST = timezone(timedelta(hours=8))

Stamp = Callable[[Event], Event]


class SignalError(TracerError):
    """A signal or follow-up that cannot be recorded as asked (the message says why)."""


@dataclass(frozen=True, slots=True)
class ProductRef:
    """What identifies the product a signal is about, as far as it is known."""

    gtin: str | None = None  # GTIN-14
    lot: str | None = None
    serial: str | None = None
    code: str | None = None  # the code as scanned / typed / decoded from a photo
    how: str = "typed"  # typed | scanned | photo | gtin_lot | sheet
    name: str | None = None  # product name as the reporter wrote it

    def epc_ids(
        self, gcp_length: int | None = None
    ) -> tuple[tuple[str, ...], tuple[QuantityElement, ...]]:
        """The standard lists of the signal event: (epcList, quantityList), written with
        the company-prefix split the ledger already uses for this GTIN."""
        if not self.gtin:
            return (), ()
        if self.serial:
            return (keys.sgtin_uri(self.gtin, self.serial, gcp_length),), ()
        if self.lot:
            return (), (QuantityElement(keys.lgtin_uri(self.gtin, self.lot, gcp_length)),)
        return (), (QuantityElement(keys.sgtin_pattern(self.gtin, gcp_length)),)

    def as_dict(self) -> dict[str, Any]:
        d = {
            "gtin": self.gtin,
            "lot": self.lot,
            "serial": self.serial,
            "code": self.code,
            "how": self.how,
            "name": self.name,
        }
        return {k: v for k, v in d.items() if v is not None}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ProductRef:
        return cls(
            gtin=d.get("gtin"),
            lot=d.get("lot"),
            serial=d.get("serial"),
            code=d.get("code"),
            how=str(d.get("how") or "typed"),
            name=d.get("name"),
        )


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file kept content-addressed beside the ledger (see `attachments`)."""

    name: str
    sha256: str
    size: int
    media_type: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "sha256": self.sha256, "size": self.size}
        if self.media_type:
            d["mediaType"] = self.media_type
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Attachment:
        return cls(str(d["name"]), str(d["sha256"]), int(d.get("size", 0)), d.get("mediaType"))


@dataclass(frozen=True, slots=True)
class SignalReport:
    """What the reporter said: the content of a signal before it is an event."""

    kind: str
    date: date | datetime
    product: ProductRef
    severity: str = "medium"
    place: str | None = None  # GLN, SGLN URI or free text (a shop's name, a hospital)
    reporter: str | None = None
    description: str = ""
    result: str | None = None  # spot checks: pass | fail
    attachments: tuple[Attachment, ...] = ()
    source: Mapping[str, Any] = field(default_factory=dict)  # import: file, sheet, row
    recorded_by: str | None = None

    def check(self) -> None:
        if self.kind not in KINDS:
            raise SignalError(f"kind must be one of {', '.join(KINDS)}, not '{self.kind}'")
        if self.severity not in SEVERITIES:
            raise SignalError(
                f"severity must be one of {', '.join(SEVERITIES)}, not '{self.severity}'"
            )
        if self.result is not None and self.result not in RESULTS:
            raise SignalError(f"result must be pass or fail, not '{self.result}'")
        if self.result is not None and self.kind not in SPOT_CHECKS:
            raise SignalError("only spot checks have a pass/fail result")
        if self.product.lot and not self.product.gtin:
            raise SignalError("a lot needs its GTIN")


def signal_time(d: date | datetime) -> datetime:
    """A reported date is a day in China time unless it says otherwise."""
    if isinstance(d, datetime):
        return d if d.tzinfo else d.replace(tzinfo=CST)
    return datetime.combine(d, time(12, 0), tzinfo=CST)


def signal_event(
    report: SignalReport,
    stamp: Stamp,
    *,
    recorded_at: datetime,
    place_sgln: str | None = None,
    gcp_length: int | None = None,
) -> Event:
    """The EPCIS event of a signal. `recorded_at` keeps two identical reports typed in
    separately apart; an import passes the sheet's own identity instead (via `source`)
    so importing the same sheet twice adds nothing."""
    report.check()
    t = signal_time(report.date)
    epcs, quantities = report.product.epc_ids(gcp_length)
    payload: dict[str, Any] = {
        "kind": report.kind,
        "date": t.date().isoformat(),
        "severity": report.severity,
        "place": report.place,
        "reporter": report.reporter,
        "description": report.description,
        "result": report.result,
        "product": report.product.as_dict(),
        "attachments": [a.as_dict() for a in report.attachments] or None,
        "source": dict(report.source) or None,
        "recordedBy": report.recorded_by,
    }
    if not report.source:
        payload["recordedAt"] = recorded_at.astimezone(UTC).isoformat(timespec="seconds")
    disposition = None
    if report.result is not None:
        disposition = "conformant" if report.result == "pass" else "non_conformant"
    return stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=t,
            event_time_zone_offset=offset_of(t),
            action=Action.OBSERVE,
            epc_list=epcs,
            quantity_list=quantities,
            biz_step=SIGNAL_STEP,
            disposition=disposition,
            read_point=place_sgln,
            operator=report.recorded_by,
            extra={SIGNAL_KEY: {k: v for k, v in payload.items() if v not in (None, "")}},
        )
    )


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A new fact about a signal: assessed, dismissed, or escalated to a recall."""

    signal_id: str
    action: str
    by: str | None = None
    note: str | None = None
    severity: str | None = None  # assessed severity, if it changed
    lots: tuple[tuple[str, str], ...] = ()  # lots the assessment confirms (GTIN-14, lot)
    campaign: str | None = None  # escalated: the recall campaign id

    def check(self) -> None:
        if self.action not in ACTIONS:
            raise SignalError(f"action must be one of {', '.join(ACTIONS)}, not '{self.action}'")
        if self.severity is not None and self.severity not in SEVERITIES:
            raise SignalError(f"severity must be one of {', '.join(SEVERITIES)}")
        if self.action == "escalated" and not self.campaign:
            raise SignalError("an escalation names the recall campaign it opened or joined")


def followup_event(f: FollowUp, stamp: Stamp, *, when: datetime) -> Event:
    f.check()
    payload: dict[str, Any] = {
        "signal": f.signal_id,
        "action": f.action,
        "by": f.by,
        "note": f.note,
        "severity": f.severity,
        "lots": [{"gtin": g, "lot": lot} for g, lot in f.lots] or None,
        "campaign": f.campaign,
    }
    t = when if when.tzinfo else when.replace(tzinfo=UTC)
    return stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=t,
            event_time_zone_offset=offset_of(t),
            action=Action.OBSERVE,
            biz_step=FOLLOWUP_STEP,
            operator=f.by,
            extra={FOLLOWUP_KEY: {k: v for k, v in payload.items() if v not in (None, "")}},
        )
    )
