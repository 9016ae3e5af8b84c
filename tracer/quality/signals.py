"""Record, follow up and list quality signals: the API the CLI and screens call.

Every write is an event appended to the ledger (then the quality tables are
synced); every read comes from the quality tables, which `store.rebuild`
can always re-derive from the events.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from tracer.ledger import Ledger
from tracer.model import Event
from tracer.quality import store
from tracer.quality.linking import gcp_length, lot_known, resolve_place
from tracer.quality.signal_model import (
    Attachment,
    FollowUp,
    ProductRef,
    SignalError,
    SignalReport,
    Stamp,
    followup_event,
    signal_event,
)


def default_stamp() -> Stamp:
    from tracer.epcis.codec import stamp

    return stamp


@dataclass(frozen=True, slots=True)
class LinkedLot:
    gtin: str
    lot: str
    basis: str  # stated | item | assessed | plausible


@dataclass(frozen=True, slots=True)
class Signal:
    """A signal as it stands now: the report, its links and its last follow-up."""

    signal_id: str
    seq: int
    kind: str
    day: str
    event_time: str
    severity: str
    reported_severity: str
    result: str | None
    product: ProductRef
    place: str | None
    place_sgln: str | None
    reporter: str | None
    description: str | None
    status: str
    status_time: str | None
    campaign: str | None
    attachments: tuple[Attachment, ...] = ()
    lots: tuple[LinkedLot, ...] = ()
    source: dict[str, Any] = field(default_factory=dict)

    @property
    def short_id(self) -> str:
        return short_id(self.signal_id)

    def lot_keys(self, *, plausible: bool = True) -> list[tuple[str, str]]:
        return [(x.gtin, x.lot) for x in self.lots if plausible or x.basis != "plausible"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.signal_id,
            "short_id": self.short_id,
            "kind": self.kind,
            "date": self.day,
            "severity": self.severity,
            "reported_severity": self.reported_severity,
            "result": self.result,
            "product": self.product.as_dict(),
            "place": self.place,
            "place_sgln": self.place_sgln,
            "reporter": self.reporter,
            "description": self.description,
            "status": self.status,
            "status_time": self.status_time,
            "campaign": self.campaign,
            "attachments": [a.as_dict() for a in self.attachments],
            "lots": [{"gtin": x.gtin, "lot": x.lot, "basis": x.basis} for x in self.lots],
            "source": self.source,
        }


class Lookups:
    """Answers about places and GTINs, remembered for one batch (a sheet's rows repeat them)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self._places: dict[str | None, str | None] = {}
        self._gcp: dict[str | None, int | None] = {}
        self._lots: dict[tuple[str, str], bool] = {}

    def place(self, text: str | None) -> str | None:
        if text not in self._places:
            self._places[text] = resolve_place(self.conn, text)[0]
        return self._places[text]

    def gcp(self, gtin: str | None) -> int | None:
        if gtin not in self._gcp:
            self._gcp[gtin] = gcp_length(self.conn, gtin) if gtin else None
        return self._gcp[gtin]

    def lot(self, gtin: str, lot: str) -> bool:
        key = (gtin, lot)
        if key not in self._lots:
            self._lots[key] = lot_known(self.conn, gtin, lot)
        return self._lots[key]


def short_id(event_id: str) -> str:
    """The first 10 hex digits of the event hash: enough to name a signal when typing."""
    body = event_id.split(";", 1)[-1]
    return body[:10]


def prepare_event(
    ledger: Ledger,
    report: SignalReport,
    *,
    stamp: Stamp | None = None,
    recorded_at: datetime | None = None,
    lookups: Lookups | None = None,
) -> Event:
    """The signal's event, with the place and ids written as this ledger writes them."""
    conn = ledger.connection
    with ledger._lock:
        sgln = (lookups or Lookups(conn)).place(report.place)
        gcp = (lookups or Lookups(conn)).gcp(report.product.gtin)
    return signal_event(
        report,
        stamp or default_stamp(),
        recorded_at=recorded_at or datetime.now(UTC),
        place_sgln=sgln,
        gcp_length=gcp,
    )


def record_signal(
    ledger: Ledger,
    report: SignalReport,
    *,
    stamp: Stamp | None = None,
    recorded_at: datetime | None = None,
) -> Signal:
    """Append one signal; returns it linked to its lot(s)."""
    event = prepare_event(ledger, report, stamp=stamp, recorded_at=recorded_at)
    ledger.append([event])
    store.sync(ledger)
    return get_signal(ledger, str(event.event_id))


def record_signals(ledger: Ledger, events: Sequence[Event]) -> int:
    """Append prepared signal events in one transaction (all or nothing)."""
    added = ledger.append(list(events)).count
    store.sync(ledger)
    return added


def follow_up(ledger: Ledger, f: FollowUp, *, when: datetime | None = None) -> Signal:
    current = get_signal(ledger, f.signal_id)
    f = replace(f, signal_id=current.signal_id)
    if (current.status == "escalated" and f.action != "escalated") or (
        current.status == f.action == "dismissed"
    ):
        raise SignalError(f"signal {current.short_id} is already {current.status}")
    for g, lot in f.lots:
        with ledger._lock:
            if not lot_known(ledger.connection, g, lot):
                raise SignalError(f"lot {g}/{lot} is not in the ledger")
    event = followup_event(f, default_stamp(), when=when or datetime.now(UTC))
    ledger.append([event])
    store.sync(ledger)
    return get_signal(ledger, current.signal_id)


def assess(
    ledger: Ledger,
    signal_id: str,
    *,
    by: str | None = None,
    note: str | None = None,
    severity: str | None = None,
    lots: Sequence[tuple[str, str]] = (),
    when: datetime | None = None,
) -> Signal:
    """Record an assessment: a note, maybe a new severity, maybe the lots confirmed."""
    f = FollowUp(signal_id, "assessed", by, note, severity, tuple(lots))
    return follow_up(ledger, f, when=when)


def dismiss(
    ledger: Ledger,
    signal_id: str,
    *,
    by: str | None = None,
    note: str | None = None,
    when: datetime | None = None,
) -> Signal:
    return follow_up(ledger, FollowUp(signal_id, "dismissed", by, note), when=when)


def escalate(
    ledger: Ledger,
    signal_id: str,
    campaign: str,
    *,
    by: str | None = None,
    note: str | None = None,
    when: datetime | None = None,
) -> Signal:
    """Mark a signal as escalated to recall campaign `campaign` (opened elsewhere)."""
    f = FollowUp(signal_id, "escalated", by, note, campaign=campaign)
    return follow_up(ledger, f, when=when)


# -- reading -------------------------------------------------------------------


def _signal(row: tuple[Any, ...], lots: list[LinkedLot]) -> Signal:
    payload = json.loads(row[18])
    return Signal(
        signal_id=row[0],
        seq=row[1],
        kind=row[2],
        event_time=row[3],
        day=row[4],
        severity=row[5],
        reported_severity=row[6],
        result=row[7],
        product=ProductRef.from_dict(payload.get("product") or {}),
        place=row[11],
        place_sgln=row[12],
        reporter=row[13],
        description=row[14],
        status=row[15],
        status_time=row[16],
        campaign=row[17],
        attachments=tuple(Attachment.from_dict(a) for a in payload.get("attachments") or []),
        lots=tuple(lots),
        source=dict(payload.get("source") or {}),
    )


def _select(ledger: Ledger, where: str = "", params: Sequence[Any] = ()) -> list[Signal]:
    store.sync(ledger)
    with ledger._lock:
        conn = ledger.connection
        rows = conn.execute(
            f"SELECT {store._SIGNAL_COLUMNS} FROM quality_signals s {where} "
            "ORDER BY s.event_time, s.seq",
            list(params),
        ).fetchall()
        links: dict[str, list[LinkedLot]] = {}
        for sid, g, lot, basis in conn.execute(
            "SELECT signal_id, gtin, lot, basis FROM quality_signal_lots WHERE signal_id IN "
            f"(SELECT s.signal_id FROM quality_signals s {where}) ORDER BY gtin, lot",
            list(params),
        ).fetchall():
            links.setdefault(sid, []).append(LinkedLot(g, lot, basis))
    return [_signal(r, links.get(r[0], [])) for r in rows]


def get_signal(ledger: Ledger, signal_id: str) -> Signal:
    """A signal by its eventID or by the first hex digits of it (at least 6)."""
    key = signal_id.strip()
    if key.startswith("ni:"):
        found = _select(ledger, "WHERE s.signal_id = ?", (key,))
    elif len(key) >= 6 and all(c in "0123456789abcdef" for c in key.lower()):
        prefix = f"ni:///sha-256;{key.lower()}"
        found = _select(
            ledger, "WHERE s.signal_id >= ? AND s.signal_id < ?", (prefix, prefix + "\uffff")
        )
    else:
        raise SignalError(f"{signal_id!r} is not a signal id (its eventID or 6+ hex digits)")
    if not found:
        raise SignalError(f"no signal {signal_id} in this ledger")
    if len(found) > 1:
        raise SignalError(f"{signal_id} matches {len(found)} signals: type more digits")
    return found[0]


def list_signals(
    ledger: Ledger,
    *,
    kind: str | None = None,
    status: str | None = None,
    gtin: str | None = None,
    lot: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Signal]:
    """Signals matching every filter given, oldest first. `lot` matches linked lots too."""
    where: list[str] = []
    params: list[Any] = []
    if kind:
        where.append("s.kind = ?")
        params.append(kind)
    if status:
        where.append("s.status = ?")
        params.append(status)
    if gtin:
        where.append("s.gtin = ?")
        params.append(gtin.zfill(14))
    if lot:
        where.append(
            "(s.lot = ? OR s.signal_id IN (SELECT signal_id FROM quality_signal_lots WHERE lot = ?))"
        )
        params += [lot, lot]
    if since:
        where.append("s.day >= ?")
        params.append(since.isoformat())
    if until:
        where.append("s.day <= ?")
        params.append(until.isoformat())
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return _select(ledger, clause, params)
