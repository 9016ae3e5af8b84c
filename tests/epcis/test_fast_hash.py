"""The fast event hash (typed Event → pre-hash string) agrees with the general path."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracer.demo.chain import build_chain
from tracer.demo.events import DemoEvents
from tracer.epcis._digital_link import normalise
from tracer.epcis.codec import event_from_epcis, event_to_epcis, hash_event, stamp
from tracer.epcis.event_hash import event_hash, prehash
from tracer.epcis.fast_hash import fast_event_hash, fast_prehash
from tracer.epcis.fast_keys import fast_digital_link
from tracer.model import Action, Event, EventType, Link, QuantityElement

from .test_codec import document_events
from .test_codec import events as any_events

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "event-hash"
DOCS = sorted(VECTORS.glob("*.jsonld"))


def _general(e: Event) -> str:
    return prehash(event_to_epcis(e, with_id=False))


@pytest.mark.skipif(not DOCS, reason="../shared/data not present")
def test_every_vector_through_stamp() -> None:
    covered = 0
    total = 0
    for path in DOCS:
        doc = json.loads(path.read_text(encoding="utf-8"))
        ctx = doc.get("@context")
        expected = path.with_suffix(".hashes").read_text(encoding="utf-8").split()
        events = document_events(doc)
        assert len(events) == len(expected), path.name
        for raw, h in zip(events, expected, strict=True):
            e = event_from_epcis(raw, ctx)
            assert stamp(e).event_id == h, path.name
            assert hash_event(e) == h
            fast = fast_event_hash(e)
            if fast is not None:
                covered += 1
                assert fast == h, path.name
            total += 1
    # the plain ones (object/aggregation/transformation events with EPCs, quantities,
    # CBV values, links, ILMD) take the fast path; sensor data and extensions do not
    assert total > 20
    assert covered >= 10


def test_demo_events_fast_equals_general() -> None:
    events = DemoEvents(build_chain(4), 4, lambda e: e).first_events(3000)
    shapes = set()
    for e in events:
        fast = fast_prehash(e)
        assert fast is not None, e  # every demo shape is covered
        assert fast == _general(e)
        shapes.add((e.event_type, e.biz_step, e.disposition, bool(e.error_declaration)))
    assert len(shapes) >= 12


# ---------------------------------------------------------------------------
# generated events


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_events())
def test_any_event_fast_is_none_or_equal(e: Event) -> None:
    fast = fast_prehash(e)
    if fast is not None:
        assert fast == _general(e)
    assert hash_event(e) == event_hash(event_to_epcis(e, with_id=False))


_digits = st.text(alphabet="0123456789", min_size=1, max_size=14)
_odd = st.lists(st.sampled_from([*"0123456789Aaz.-_%2F !:\n٣", "%21", "%2F"]), max_size=22).map(
    "".join
)
_serial = st.one_of(st.from_regex(r"[A-Za-z0-9]{1,22}", fullmatch=True), _odd)


@st.composite
def _uris(draw: st.DrawFn) -> str:
    scheme = draw(
        st.sampled_from(
            [
                "urn:epc:id:sgtin:",
                "urn:epc:id:sscc:",
                "urn:epc:id:sgln:",
                "urn:epc:id:pgln:",
                "urn:epc:class:lgtin:",
                "urn:epc:id:grai:",
                "https://id.gs1.org/01/",
            ]
        )
    )
    cp = draw(st.one_of(_digits, st.sampled_from(["6901234", "690123456789", "٦901234"])))
    ref = draw(st.one_of(_digits, st.just("")))
    tail = draw(st.one_of(st.none(), _serial))
    uri = f"{scheme}{cp}.{ref}" + ("" if tail is None else "." + tail)
    return draw(st.sampled_from([uri, " " + uri, uri + "\n", uri.upper()]))


@settings(max_examples=600, deadline=None)
@given(_uris())
@example("urn:epc:id:sgtin:6901234.012345.A1")
@example("urn:epc:id:sgln:690123456789..0")
@example("urn:epc:id:sgln:690123456789..x7")
@example("urn:epc:id:pgln:690123456789.")
@example("urn:epc:id:sscc:6901234.0123456789")
@example("urn:epc:class:lgtin:6901234.012345.L2601")
@example("urn:epc:id:sgtin:6901234.012345.123456789012345678901")
def test_fast_digital_link_equals_the_reference(uri: str) -> None:
    fast = fast_digital_link(uri)
    if fast is not None:
        assert fast == normalise(uri)


@pytest.mark.parametrize(
    "uri",
    [
        "urn:epc:id:sgtin:6901234.012345.A1",
        "urn:epc:id:sgtin:690123456789.0.Z",
        "urn:epc:id:sscc:6901234.0123456789",
        "urn:epc:id:sgln:6901234.00001.0",
        "urn:epc:id:sgln:6901234.00001.7",
        "urn:epc:id:sgln:690123456789..0",
        "urn:epc:id:pgln:6901234.00001",
        "urn:epc:class:lgtin:6901234.012345.L2601",
    ],
)
def test_plain_keys_take_the_fast_way(uri: str) -> None:
    assert fast_digital_link(uri) is not None
    assert fast_digital_link(uri) == normalise(uri)


_serial_ok = st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True)
_sgtin = _serial_ok.map(lambda s: f"urn:epc:id:sgtin:6901234.012345.{s}")
_sscc = st.integers(0, 10**9 - 1).map(lambda n: f"urn:epc:id:sscc:6901234.0{n:09d}")
_lgtin = _serial_ok.map(lambda s: f"urn:epc:class:lgtin:6901234.012345.{s}")
_sgln = st.integers(0, 99999).map(lambda n: f"urn:epc:id:sgln:6901234.{n:05d}.0")
_values = st.one_of(
    st.sampled_from(["", " ", " padded ", "x:y", "cbv:Disp-active", "gs1:x", "12.50", "1e3"]),
    st.text(max_size=8),
)
_zones = st.one_of(
    st.none(),
    st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m))),
    st.sampled_from([timezone(timedelta(seconds=30)), ZoneInfo("Asia/Shanghai")]),
)


@st.composite
def _times(draw: st.DrawFn) -> datetime:
    base = draw(st.datetimes(datetime(1900, 1, 2), datetime(2200, 1, 1)))
    micro = draw(st.one_of(st.integers(0, 999_999), st.sampled_from([999_500, 999_499, 500])))
    return base.replace(microsecond=micro, tzinfo=draw(_zones))


_quantity = st.builds(
    QuantityElement,
    st.one_of(_lgtin, _values),
    st.one_of(
        st.none(),
        st.integers(-(10**12), 10**12).map(float),
        st.floats(allow_nan=True, allow_infinity=True),
    ),
    st.one_of(st.none(), st.sampled_from(["KGM", "", "EA "])),
)
_links = st.lists(
    st.builds(
        Link,
        st.one_of(st.none(), st.sampled_from(["po", "desadv", "owning_party", "location", ""])),
        st.one_of(_sgln, _values, st.just("urn:epcglobal:cbv:bt:6901234000004:00000001")),
    ),
    max_size=3,
)
_ilmd = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["cbvmda:lotNumber", "cbvmda:itemExpirationDate", "lot", "tracer:x"]),
        st.one_of(_values, st.integers(), st.dictionaries(st.just("a"), _values, max_size=1)),
        max_size=3,
    ),
)
_extra = st.dictionaries(
    st.sampled_from(["tracer:inspection", "tracer:note", "tracer:operator", "other:x"]),
    st.one_of(
        _values,
        st.integers(),
        st.dictionaries(st.sampled_from(["sampleSize", "defects", "#text"]), st.integers(0, 40)),
        st.lists(_values, max_size=2),
    ),
    max_size=2,
)


@st.composite
def covered_events(draw: st.DrawFn) -> Event:
    """Events of the shapes the fast path covers, with awkward values in every field."""
    lists = st.lists(st.one_of(_sgtin, _sscc, _values), max_size=4).map(tuple)
    qlists = st.lists(_quantity, max_size=3).map(tuple)
    return Event(
        event_type=draw(st.sampled_from(list(EventType))),
        event_time=draw(_times()),
        event_time_zone_offset=draw(st.sampled_from(["+08:00", "-05:00", "", "+00:00"])),
        action=draw(st.one_of(st.none(), st.sampled_from(list(Action)))),
        epc_list=draw(lists),
        quantity_list=draw(qlists),
        parent_id=draw(st.one_of(st.none(), _sscc, _values)),
        child_epcs=draw(lists),
        child_quantity_list=draw(qlists),
        input_epc_list=draw(lists),
        input_quantity_list=draw(qlists),
        output_epc_list=draw(lists),
        output_quantity_list=draw(qlists),
        transformation_id=draw(st.one_of(st.none(), _values)),
        biz_step=draw(st.one_of(st.none(), st.sampled_from(["shipping", "x:custom", "", " a "]))),
        disposition=draw(st.one_of(st.none(), st.sampled_from(["in_transit", "active", "zz"]))),
        read_point=draw(st.one_of(st.none(), _sgln, _values)),
        biz_location=draw(st.one_of(st.none(), _sgln, _values)),
        biz_transactions=tuple(draw(_links)),
        sources=tuple(draw(_links)),
        destinations=tuple(draw(_links)),
        ilmd=draw(_ilmd),
        operator=draw(st.one_of(st.none(), _values)),
        station=draw(st.one_of(st.none(), _values)),
        device=draw(st.one_of(st.none(), _values)),
        extra=draw(_extra),
    )


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(covered_events())
def test_covered_events_fast_equals_general(e: Event) -> None:
    fast = fast_prehash(e)
    offset = e.event_time.utcoffset()
    plain = e.extra.keys() <= {"tracer:inspection", "tracer:note"} and (
        offset is None or offset % timedelta(minutes=1) == timedelta(0)
    )  # zones with seconds (local mean time before 1901) take the general path
    if plain:
        assert fast is not None
    if fast is not None:
        assert fast == _general(e)
        assert fast_event_hash(e) == hash_event(e) == stamp(e).event_id
