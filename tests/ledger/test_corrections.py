"""errorDeclaration + corrective event through `correct_event`."""

from __future__ import annotations

import dataclasses

import pytest

from tracer.demo.build import canonical_stamp
from tracer.ledger import EventQuery, Ledger
from tracer.ledger.corrections import (
    DID_NOT_OCCUR,
    CorrectionError,
    correct_event,
    declared_ids,
    is_declared,
)
from tracer.model import Link


def _shipping(ledger: Ledger) -> tuple[int, object]:
    stored = next(
        s
        for s in ledger.events(EventQuery(biz_step="shipping", limit=50))
        if s.event.destinations and not is_declared(ledger, str(s.event.event_id))
    )
    return stored.seq, stored.event


def test_correct_destination_writes_declaration_and_corrective_event(demo_ledger: Ledger) -> None:
    seq, event = _shipping(demo_ledger)
    before = demo_ledger.count()
    fixed = dataclasses.replace(
        event, destinations=(Link("location", "urn:epc:id:sgln:6978901.00009.0"),)
    )
    result = correct_event(demo_ledger, seq, fixed, stamp=canonical_stamp(), operator="王芳")
    assert result.count == 2 and demo_ledger.count() == before + 2
    corrective = demo_ledger.get(result.added[0])
    declaration = demo_ledger.get(result.added[1])
    assert corrective is not None and declaration is not None
    assert corrective.event.destinations[0].id == "urn:epc:id:sgln:6978901.00009.0"
    assert corrective.event.operator == "王芳"
    decl = declaration.event.error_declaration
    assert decl is not None and decl.reason == "incorrect_data"
    assert declaration.event.event_id == event.event_id
    assert decl.corrective_event_ids == (corrective.event.event_id,)
    assert declared_ids(demo_ledger, [str(event.event_id), str(corrective.event.event_id)]) == {
        event.event_id
    }


def test_cannot_correct_twice_or_without_change(demo_ledger: Ledger) -> None:
    seq, event = _shipping(demo_ledger)
    with pytest.raises(CorrectionError, match="same as the original"):
        correct_event(demo_ledger, seq, event, stamp=canonical_stamp())
    correct_event(demo_ledger, seq, None, stamp=canonical_stamp(), reason=DID_NOT_OCCUR)
    with pytest.raises(CorrectionError, match="already been declared"):
        correct_event(demo_ledger, seq, None, stamp=canonical_stamp(), reason=DID_NOT_OCCUR)


def test_incorrect_data_needs_a_corrected_event(demo_ledger: Ledger) -> None:
    seq, _ = _shipping(demo_ledger)
    with pytest.raises(CorrectionError, match="did_not_occur"):
        correct_event(demo_ledger, seq, None, stamp=canonical_stamp())
    with pytest.raises(CorrectionError, match="no event"):
        correct_event(demo_ledger, 10**9, None, stamp=canonical_stamp(), reason=DID_NOT_OCCUR)
