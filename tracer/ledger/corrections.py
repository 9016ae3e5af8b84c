"""Correcting a recorded event the EPCIS way: an errorDeclaration plus a corrective event.

The ledger never changes a row. To fix an event, the same event is written
again carrying an `errorDeclaration` (same eventID: the canonical hash leaves
the declaration out) whose `correctiveEventIDs` name the corrective event
written in the same transaction. Traces and reports leave declared events out.

The ledger does not compute event IDs (that is the EPCIS layer's hash), so
callers pass a `stamp` that gives an event its canonical ID, e.g.
`tracer.demo.build.canonical_stamp()`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from tracer.errors import TracerError
from tracer.ledger.ledger import AppendResult, Ledger
from tracer.model import ErrorDeclaration, Event

Stamp = Callable[[Event], Event]

# CBV 2.0 error reasons (bare names)
INCORRECT_DATA = "incorrect_data"
DID_NOT_OCCUR = "did_not_occur"
REASONS = (INCORRECT_DATA, DID_NOT_OCCUR)


class CorrectionError(TracerError):
    """The event cannot be corrected as asked (already declared, nothing changed, ...)."""


def is_declared(ledger: Ledger, event_id: str) -> bool:
    """True when an errorDeclaration for this eventID is already in the ledger."""
    return bool(declared_ids(ledger, [event_id]))


def declared_ids(ledger: Ledger, event_ids: Iterable[str]) -> set[str]:
    """Which of these eventIDs have been declared erroneous (one indexed query per 500)."""
    ids = list(dict.fromkeys(i for i in event_ids if i))
    found: set[str] = set()
    with ledger._lock:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in ledger.connection.execute(
                    f"SELECT event_id FROM events WHERE declares_error = 1 AND event_id IN ({marks})",
                    chunk,
                )
            )
    return found


def correct_event(
    ledger: Ledger,
    seq: int,
    corrected: Event | None,
    *,
    stamp: Stamp,
    reason: str = INCORRECT_DATA,
    operator: str | None = None,
    declared_at: datetime | None = None,
) -> AppendResult:
    """Declare event `seq` wrong and (unless it did not occur) record `corrected` instead.

    `corrected` is the event as it should have been; its ID and record time are
    recomputed. Both events are written in one durable transaction.
    """
    stored = ledger.get(seq)
    if stored is None:
        raise CorrectionError(f"no event with seq {seq}")
    original = stored.event
    if original.error_declaration is not None:
        raise CorrectionError(f"event {seq} is itself an error declaration; it cannot be corrected")
    if not original.event_id:
        raise CorrectionError(f"event {seq} has no eventID")
    if is_declared(ledger, original.event_id):
        raise CorrectionError(f"event {seq} has already been declared wrong")
    if reason not in REASONS:
        raise CorrectionError(f"unknown error reason {reason!r}; use one of {', '.join(REASONS)}")
    when = declared_at or datetime.now(UTC).astimezone()
    events: list[Event] = []
    corrective_ids: tuple[str, ...] = ()
    if corrected is not None:
        fixed = stamp(
            dataclasses.replace(
                corrected,
                event_id=None,
                record_time=None,
                error_declaration=None,
                operator=operator or corrected.operator,
            )
        )
        if fixed.event_id == original.event_id:
            raise CorrectionError("the corrected event is the same as the original: nothing to fix")
        if ledger.has_event(str(fixed.event_id)):
            raise CorrectionError("the corrected event is already in the ledger")
        corrective_ids = (str(fixed.event_id),)
        events.append(fixed)
    elif reason != DID_NOT_OCCUR:
        raise CorrectionError("give the corrected event, or use the reason did_not_occur")
    declaration = dataclasses.replace(
        original,
        record_time=None,
        error_declaration=ErrorDeclaration(
            declaration_time=when, reason=reason, corrective_event_ids=corrective_ids
        ),
    )
    declaration = stamp(dataclasses.replace(declaration, event_id=None))
    if declaration.event_id != original.event_id:
        # the hash leaves errorDeclaration out; anything else means a changed stamp
        raise CorrectionError("the event hash of the declaration differs from the original's")
    # corrective event first, so the declaration never points at a missing event
    return ledger.append([*events, declaration])
