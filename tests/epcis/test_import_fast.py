"""The import's fast paths give what the general codec and hash give, event for event."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tracer.demo.build import canonical_stamp
from tracer.demo.chain import build_chain
from tracer.demo.events import DemoEvents
from tracer.epcis.codec import event_from_epcis, event_to_epcis
from tracer.epcis.documents import Document
from tracer.epcis.event_hash import event_hash, resolve_namespaces
from tracer.epcis.fast_decode import FastDecoder
from tracer.epcis.stamper import Stamper

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1].parent / "shared" / "data"
DOCUMENTS = sorted(
    [
        *SHARED.glob("epcis/JSON/**/*.json*"),
        *SHARED.glob("epcis/XML/**/*.xml"),
        *SHARED.glob("event-hash/*.jsonld"),
        *SHARED.glob("event-hash/*.xml"),
        *(HERE / "data" / "epcis-1.2").glob("*.xml"),
    ]
)


def check(d: dict[str, Any], ns: Any) -> bool:
    """Fast decode = general decode, stamped event = general event with the dict's hash.

    Returns whether the fast decoder took the event.
    """
    reference_id = event_hash(d, ns)
    reference = event_from_epcis(d, ns, event_id=reference_id)
    decoded = FastDecoder(ns, bool(ns.custom())).decode(d, reference_id)
    if decoded is not None:
        assert decoded == reference
        assert decoded.extra == reference.extra
        assert list(decoded.extra) == list(reference.extra)  # same order: same stored JSON
    stamped = Stamper()(d, ns)
    assert stamped == reference
    assert stamped.event_id == reference_id
    return decoded is not None


def test_documents_are_found() -> None:
    assert len(DOCUMENTS) > 60


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_example_event(path: Path) -> None:
    doc = Document(path)
    for d in doc.events():
        check(d, doc.namespaces)


def test_the_fast_paths_take_plain_documents() -> None:
    gen = DemoEvents(build_chain(1), 1, canonical_stamp())
    events = [e for i in range(8) for e in gen.lot_events(i)]
    assert len(events) > 250
    ns = resolve_namespaces(["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"])
    taken = sum(check(event_to_epcis(e, with_id=False), ns) for e in events)
    assert taken == len(events)


def test_tracers_own_xml_takes_the_fast_path(demo_ledger: Any, tmp_path: Path) -> None:
    """Exported XML names tracer's extensions tracer:…, not an lxml-invented ns0:…"""
    from tracer.epcis.exporter import export

    out = tmp_path / "demo.xml"
    export(demo_ledger, out, fmt="epcis-xml")
    text = out.read_text()
    assert "<tracer:station>" in text and "xmlns:ns0" not in text
    doc = Document(out)
    taken = total = 0
    for d in doc.events():
        total += 1
        assert not doc.namespaces.custom()
        taken += check(d, doc.namespaces)
    assert total == demo_ledger.count() and taken >= total * 0.99
    # as older tracer versions wrote it: tracer's namespace under an invented prefix
    old = tmp_path / "old.xml"
    old.write_text(text.replace("tracer:", "ns7:").replace("xmlns:tracer=", "xmlns:ns7="))
    assert "ns7:station" in old.read_text()
    doc = Document(old)
    ids = []
    taken = 0
    for d in doc.events():
        assert not doc.namespaces.custom()
        taken += check(d, doc.namespaces)
        ids.append(Stamper()(d, doc.namespaces).event_id)
    assert taken >= total * 0.99
    assert ids == [s.event.event_id for s in demo_ledger.events()]


BASE: dict[str, Any] = {
    "type": "ObjectEvent",
    "eventTime": "2026-03-01T08:30:00.123+08:00",
    "eventTimeZoneOffset": "+08:00",
    "action": "OBSERVE",
    "epcList": ["urn:epc:id:sgtin:6923456.001003.A1", "urn:epc:id:sgtin:6923456.001003.A2"],
    "quantityList": [{"epcClass": "urn:epc:class:lgtin:6923456.001003.L1", "quantity": 5}],
    "bizStep": "shipping",
    "disposition": "in_transit",
    "readPoint": {"id": "urn:epc:id:sgln:6923456.00001.0"},
    "bizLocation": {"id": "urn:epc:id:sgln:6923456.00001.0"},
    "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epc:id:gdti:6923456.00001.7"}],
    "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:6923456.00001"}],
    "tracer:operator": "Wang Fang",
}


def _variant(change: Any) -> dict[str, Any]:
    d = copy.deepcopy(BASE)
    change(d)
    return d


VARIANTS = {
    "base": lambda d: None,
    "bizStep URN": lambda d: d.update(bizStep="urn:epcglobal:cbv:bizstep:shipping"),
    "bizStep URI": lambda d: d.update(bizStep="https://ref.gs1.org/cbv/BizStep-shipping"),
    "custom bizStep": lambda d: d.update(bizStep="urn:example:step:polish"),
    "link type URN": lambda d: d["bizTransactionList"][0].update(type="urn:epcglobal:cbv:btt:po"),
    "link without type": lambda d: d["bizTransactionList"][0].pop("type"),
    "float quantity": lambda d: d["quantityList"][0].update(quantity=5.0),
    "fractional quantity": lambda d: d["quantityList"][0].update(quantity=2.5, uom="KGM"),
    "no quantity": lambda d: d["quantityList"][0].pop("quantity"),
    "null quantity": lambda d: d["quantityList"][0].update(quantity=None),
    "quantity extension": lambda d: d["quantityList"][0].update({"ex:grade": "A"}),
    "readPoint extension": lambda d: d["readPoint"].update({"ex:door": "3"}),
    "empty readPoint": lambda d: d.update(readPoint={}),
    "link extension": lambda d: d["sourceList"][0].update({"ex:note": "x"}),
    "no offset member": lambda d: d.pop("eventTimeZoneOffset"),
    "UTC time": lambda d: d.update(eventTime="2026-03-01T00:30:00Z"),
    "sub-ms time": lambda d: d.update(eventTime="2026-03-01T08:30:00.12351+08:00"),
    "odd offset": lambda d: d.update(eventTime="2026-03-01T08:30:00.123+05:45"),
    "record time and id": lambda d: d.update(recordTime="2026-03-02T00:00:00Z", eventID="x:1"),
    "tracer extension": lambda d: d.update({"tracer:rep": 3, "tracer:station": "S1"}),
    "unknown extension": lambda d: d.update({"ex:colour": {"#text": "red", "ex:shade": "3"}}),
    "event context": lambda d: d.update({"@context": {"ex": "https://example.com/"}}),
    "ilmd": lambda d: d.update(ilmd={"cbvmda:lotNumber": "L1", "cbvmda:itemExpirationDate": "x"}),
    "error declaration": lambda d: d.update(
        errorDeclaration={"declarationTime": "2026-03-03T00:00:00Z", "reason": "incorrect_data"}
    ),
    "aggregation": lambda d: d.update(
        type="AggregationEvent", parentID="urn:epc:id:sscc:6923456.0000000001", action="ADD"
    ),
    "aggregation children": lambda d: d.update(
        type="AggregationEvent",
        parentID="urn:epc:id:sscc:6923456.0000000001",
        action="ADD",
        childEPCs=d.pop("epcList"),
        childQuantityList=d.pop("quantityList"),
    ),
    "association": lambda d: d.update(
        type="AssociationEvent",
        parentID="urn:epc:id:grai:6923456.00001.1",
        action="ADD",
        childEPCs=d.pop("epcList"),
    ),
    "transformation": lambda d: (
        d.pop("action"),
        d.update(
            type="TransformationEvent",
            inputQuantityList=[{"epcClass": "urn:epc:class:lgtin:6923456.001003.M", "quantity": 1}],
            outputEPCList=["urn:epc:id:sgtin:6923456.001003.O1"],
            transformationID="urn:epc:id:gdti:6923456.00001.9",
        ),
    ),
}


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize(
    "context",
    [
        None,
        ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        [
            "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
            {"ex": "https://example.com/"},
        ],
    ],
    ids=["no context", "standard", "own prefix"],
)
def test_variants(name: str, context: Any) -> None:
    check(_variant(VARIANTS[name]), resolve_namespaces(context))


def test_a_broken_event_falls_back_to_the_general_error() -> None:
    ns = resolve_namespaces(None)
    d = _variant(lambda d: d.pop("type"))
    assert FastDecoder(ns, False).decode(d) is None
    with pytest.raises(KeyError):
        Stamper()(d, ns)
