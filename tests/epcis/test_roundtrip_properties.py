"""Hypothesis: generated events survive ledger → export → import with the same hashes."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.epcis.codec import stamp
from tracer.epcis.documents import Document
from tracer.epcis.exporter import export
from tracer.epcis.importer import import_document
from tracer.ledger import Ledger
from tracer.model import Event, EventType, Link

from .test_codec import _serial, events


def _valid(e: Event) -> Event:
    """Make a generated event one the official schemas accept."""
    bts = tuple(
        Link(b.type, f"urn:epcglobal:cbv:bt:6901234000004:{i}")
        for i, b in enumerate(e.biz_transactions)
    )

    def uniq(t: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t))

    e = replace(
        e,
        biz_transactions=bts,
        event_id=None,
        epc_list=uniq(e.epc_list),
        child_epcs=uniq(e.child_epcs),
        input_epc_list=uniq(e.input_epc_list),
        output_epc_list=uniq(e.output_epc_list),
    )
    if e.transformation_id is not None:
        e = replace(e, transformation_id="urn:epc:id:gdti:6901234.00001.1")
    if e.biz_step == "x:custom":
        e = replace(e, biz_step="https://ns.example.com/steps/custom")
    if e.event_type is EventType.TRANSACTION and not e.biz_transactions:
        e = replace(e, biz_transactions=(Link("po", "urn:epcglobal:cbv:bt:6901234000004:1"),))
    if e.event_type is EventType.TRANSFORMATION and not (e.input_epc_list or e.input_quantity_list):
        e = replace(e, input_epc_list=("urn:epc:id:sgtin:6901234.012345.in1",))
    if e.event_type is EventType.TRANSFORMATION and not (
        e.output_epc_list or e.output_quantity_list
    ):
        e = replace(e, output_epc_list=("urn:epc:id:sgtin:6901234.012345.out1",))
    if e.event_type in (EventType.AGGREGATION, EventType.ASSOCIATION) and not (
        e.child_epcs or e.child_quantity_list
    ):
        e = replace(e, child_epcs=("urn:epc:id:sgtin:6901234.012345.c1",))
    if (
        e.ilmd is not None
        and (e.action is None or e.action.value != "ADD")
        and e.event_type is not EventType.TRANSFORMATION
    ):
        e = replace(e, ilmd=None)  # the JSON schema allows ILMD on ADD ObjectEvents only
    extra = dict(e.extra)
    if e.event_type is not EventType.OBJECT:
        extra.pop("persistentDisposition", None)  # the JSON schema allows it on ObjectEvents only
    return replace(e, extra=extra)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(events(), min_size=1, max_size=6), _serial)
def test_ledger_export_import_keeps_hashes(generated: list[Event], _tag: str) -> None:
    batch = [stamp(_valid(e)) for e in generated]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Ledger.open(folder / "a.sqlite") as a:
            a.append(batch)
            want = {(s.event.event_id, s.event.error_declaration is not None) for s in a.events()}
            for fmt, name in (("epcis-json", "x.jsonld"), ("epcis-xml", "x.xml")):
                out = folder / name
                export(a, out, fmt=fmt)
                problems = list(Document(out).problems())
                assert problems == [], (fmt, problems[:3])
                with Ledger.open(folder / f"b-{fmt}.sqlite") as b:
                    import_document(b, out)
                    got = {
                        (s.event.event_id, s.event.error_declaration is not None)
                        for s in b.events()
                    }
                    assert got == want, fmt
