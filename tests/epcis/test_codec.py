"""Event ↔ EPCIS 2.0 JSON-LD: lossless round trips and stable hashes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.epcis.codec import event_from_epcis, event_to_epcis, hash_event, stamp
from tracer.epcis.event_hash import document_hashes, event_hash
from tracer.epcis.xml_events import read_xml_events
from tracer.model import (
    TRACER_NS,
    Action,
    ErrorDeclaration,
    Event,
    EventType,
    Link,
    QuantityElement,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
JSON_DOCS = sorted([*SHARED.glob("event-hash/*.jsonld"), *SHARED.glob("epcis/JSON/**/*.json*")])
XML_DOCS = sorted([*SHARED.glob("event-hash/*.xml"), *SHARED.glob("epcis/XML/**/*.xml")])


def document_events(doc: dict) -> list[dict]:
    """The events of an EPCIS document, capture or query result (the shared examples)."""
    body = doc.get("epcisBody", {})
    if "eventList" in body:
        return body["eventList"]
    if "queryResults" in body:
        return body["queryResults"]["resultsBody"]["eventList"]
    return [body["event"]] if "event" in body else []


@pytest.mark.parametrize("path", JSON_DOCS, ids=lambda p: p.name)
def test_json_examples_round_trip_with_the_same_hash(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    ctx = doc.get("@context")
    for raw in document_events(doc):
        e = event_from_epcis(raw, ctx)
        assert hash_event(e) == event_hash(raw, ctx)
        again = event_from_epcis(event_to_epcis(e))  # no document context needed any more
        assert again == e
        assert hash_event(again) == hash_event(e)


@pytest.mark.parametrize("path", XML_DOCS, ids=lambda p: p.name)
def test_xml_examples_round_trip_with_the_same_hash(path: Path) -> None:
    ctx, events = read_xml_events(path)
    hashes = document_hashes(path)
    assert len(events) == len(hashes)
    if not events:  # master-data documents and capture-job reports carry no events
        assert b"EventList" not in path.read_bytes()
    for raw, h in zip(events, hashes, strict=True):
        e = event_from_epcis(raw, ctx)
        assert hash_event(e) == h
        assert event_from_epcis(event_to_epcis(e)) == e


def test_tracer_members_and_cbv_short_forms() -> None:
    raw = {
        "type": "ObjectEvent",
        "eventTime": "2024-03-01T10:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": ["urn:epc:id:sgtin:6901234.012345.1"],
        "action": "OBSERVE",
        "bizStep": "urn:epcglobal:cbv:bizstep:shipping",
        "disposition": "https://ref.gs1.org/cbv/Disp-in_transit",
        "t:operator": "alice",
        "t:station": "dock-1",
        "t:device": "scanner-7",
    }
    e = event_from_epcis(raw, [{"t": TRACER_NS}])
    assert (e.operator, e.station, e.device) == ("alice", "dock-1", "scanner-7")
    assert (e.biz_step, e.disposition) == ("shipping", "in_transit")
    assert e.extra == {}
    out = event_to_epcis(e)
    assert out["tracer:operator"] == "alice" and out["bizStep"] == "shipping"
    assert hash_event(e) == event_hash(raw, [{"t": TRACER_NS}])


def test_stamp_uses_the_hash_without_event_id_and_record_time() -> None:
    e = Event(
        EventType.OBJECT,
        datetime(2024, 3, 1, 10, tzinfo=timezone(timedelta(hours=8))),
        epc_list=("urn:epc:id:sgtin:6901234.012345.1",),
        biz_step="shipping",
        read_point="urn:epc:id:sgln:6901234.00001.0",
    )
    s = stamp(e)
    assert s.event_id is not None and s.event_id.startswith("ni:///sha-256;")
    assert s.event_id.endswith("?ver=CBV2.0")
    assert stamp(s) == s
    later = stamp(Event(**{**e.__dict__, "record_time": datetime(2025, 1, 1, tzinfo=UTC)}))
    assert later.event_id == s.event_id
    assert stamp(e.with_id("urn:uuid:x")).event_id == s.event_id


# ---------------------------------------------------------------------------
# hypothesis

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
)
_serial = st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True)
_sgtin = _serial.map(lambda s: f"urn:epc:id:sgtin:6901234.012345.{s}")
_sscc = st.integers(0, 10**9 - 1).map(lambda n: f"urn:epc:id:sscc:6901234.0{n:09d}")
_epc = st.one_of(_sgtin, _sscc)
_lgtin = _serial.map(lambda s: f"urn:epc:class:lgtin:6901234.012345.{s}")
_sgln = st.integers(0, 99999).map(lambda n: f"urn:epc:id:sgln:6901234.{n:05d}.0")
_offsets = st.sampled_from(["+08:00", "+00:00", "-05:00", "+05:30"])


@st.composite
def _times(draw: st.DrawFn) -> datetime:
    off = draw(_offsets)
    sign = -1 if off[0] == "-" else 1
    tz = timezone(sign * timedelta(hours=int(off[1:3]), minutes=int(off[4:6])))
    base = draw(st.datetimes(datetime(2000, 1, 1), datetime(2099, 1, 1)))
    ms = draw(st.integers(0, 999))
    return base.replace(microsecond=ms * 1000, tzinfo=tz)


_quantity = st.builds(
    QuantityElement,
    _lgtin,
    st.one_of(st.none(), st.integers(0, 10**6).map(float), st.sampled_from([0.5, 12.25])),
    st.one_of(st.none(), st.sampled_from(["KGM", "LTR", "EA"])),
)
_link_bt = st.builds(Link, st.one_of(st.none(), st.sampled_from(["po", "desadv", "inv"])), _text)
_link_sd = st.builds(
    Link,
    st.sampled_from(["owning_party", "possessing_party", "location"]),
    st.integers(0, 99999).map(lambda n: f"urn:epc:id:pgln:6901234.{n:05d}"),
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    et = draw(st.sampled_from(list(EventType)))
    t = draw(_times())
    kw: dict = {}
    if et in (EventType.AGGREGATION, EventType.ASSOCIATION):
        kw["parent_id"] = draw(_sscc)
        kw["child_epcs"] = tuple(draw(st.lists(_epc, max_size=3)))
        kw["child_quantity_list"] = tuple(draw(st.lists(_quantity, max_size=2)))
    elif et is EventType.TRANSFORMATION:
        kw["input_epc_list"] = tuple(draw(st.lists(_epc, max_size=3)))
        kw["input_quantity_list"] = tuple(draw(st.lists(_quantity, max_size=2)))
        kw["output_epc_list"] = tuple(draw(st.lists(_epc, max_size=3)))
        kw["output_quantity_list"] = tuple(draw(st.lists(_quantity, max_size=2)))
        kw["transformation_id"] = draw(st.one_of(st.none(), _text))
        kw["ilmd"] = draw(
            st.one_of(st.none(), st.fixed_dictionaries({"cbvmda:lotNumber": _serial}))
        )
    else:
        kw["epc_list"] = tuple(draw(st.lists(_epc, max_size=4)))
        kw["quantity_list"] = tuple(draw(st.lists(_quantity, max_size=2)))
    action = None if et is EventType.TRANSFORMATION else draw(st.sampled_from(list(Action)))
    extra: dict = {}
    if draw(st.booleans()):
        extra["sensorElementList"] = [
            {
                "sensorMetadata": {"time": "2024-01-01T00:00:00.000Z"},
                "sensorReport": [
                    {"type": "Temperature", "value": draw(st.integers(-40, 60)), "uom": "CEL"}
                ],
            }
        ]
    if draw(st.booleans()):
        extra["persistentDisposition"] = {"set": ["recalled"]}
    if draw(st.booleans()):
        extra["example:note"] = draw(_text)
        extra["@context"] = {"example": "https://ns.example.com/epcis/"}
    err = None
    if draw(st.booleans()):
        err = ErrorDeclaration(
            draw(_times()),
            draw(st.sampled_from([None, "incorrect_data", "did_not_occur"])),
            tuple(draw(st.lists(st.just("ni:///sha-256;00?ver=CBV2.0"), max_size=1))),
        )
    return Event(
        event_type=et,
        event_time=t,
        event_time_zone_offset=draw(_offsets),
        action=action,
        biz_step=draw(
            st.one_of(
                st.none(), st.sampled_from(["shipping", "receiving", "commissioning", "x:custom"])
            )
        ),
        disposition=draw(st.one_of(st.none(), st.sampled_from(["in_transit", "active"]))),
        read_point=draw(st.one_of(st.none(), _sgln)),
        biz_location=draw(st.one_of(st.none(), _sgln)),
        biz_transactions=tuple(draw(st.lists(_link_bt, max_size=2))),
        sources=tuple(draw(st.lists(_link_sd, max_size=2))),
        destinations=tuple(draw(st.lists(_link_sd, max_size=2))),
        error_declaration=err,
        record_time=draw(st.one_of(st.none(), _times())),
        operator=draw(st.one_of(st.none(), _text)),
        station=draw(st.one_of(st.none(), _text)),
        device=draw(st.one_of(st.none(), _text)),
        certification_info=draw(st.one_of(st.none(), st.just("https://cert.example.org/1"))),
        extra=extra,
        **kw,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_round_trip(e: Event) -> None:
    d = event_to_epcis(e)
    json.dumps(d)  # plain JSON
    assert event_from_epcis(d) == e
    assert event_from_epcis(json.loads(json.dumps(d))) == e


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_hash_is_stable(e: Event) -> None:
    h = hash_event(e)
    assert h == hash_event(event_from_epcis(json.loads(json.dumps(event_to_epcis(e)))))
    assert stamp(e).event_id == h
    # member order does not matter
    d = event_to_epcis(e, with_id=False)
    assert event_hash(dict(reversed(list(d.items())))) == h
