"""GET /events: each query parameter against a hand-built scenario with known answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tracer.epcis.validate import document_validator
from tracer.model import parse_time

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=8)))
A1 = "urn:epc:id:sgtin:0614141.107346.A1"
A2 = "urn:epc:id:sgtin:0614141.107346.A2"
B1 = "urn:epc:id:sgtin:0614141.107399.B1"
SSCC1 = "urn:epc:id:sscc:0614141.1234567890"
LOT1 = "urn:epc:class:lgtin:0614141.107346.LOT1"
RP1 = "urn:epc:id:sgln:0614141.00001.1"
BL1 = "urn:epc:id:sgln:0614141.00001.0"
BL2 = "urn:epc:id:sgln:0614141.00002.0"


def at(hours: int) -> str:
    return (T0 + timedelta(hours=hours)).isoformat(timespec="milliseconds")


def scenario() -> list[dict[str, Any]]:
    """Event n happens at T0 + n hours (n = 1..6): the time says which event came back."""
    base = {"eventTimeZoneOffset": "+08:00"}
    return [
        {
            **base,
            "type": "ObjectEvent",
            "eventTime": at(1),
            "action": "ADD",
            "epcList": [A1, A2],
            "bizStep": "commissioning",
            "readPoint": {"id": RP1},
            "bizLocation": {"id": BL1},
        },
        {
            **base,
            "type": "ObjectEvent",
            "eventTime": at(2),
            "action": "OBSERVE",
            "epcList": [A1],
            "bizStep": "shipping",
            "disposition": "in_transit",
            "readPoint": {"id": RP1},
            "bizLocation": {"id": BL1},
        },
        {
            **base,
            "type": "AggregationEvent",
            "eventTime": at(3),
            "action": "ADD",
            "parentID": SSCC1,
            "childEPCs": [A1, A2],
            "bizStep": "packing",
            "bizLocation": {"id": BL1},
        },
        {
            **base,
            "type": "ObjectEvent",
            "eventTime": at(4),
            "action": "OBSERVE",
            "epcList": [],
            "quantityList": [{"epcClass": LOT1, "quantity": 10, "uom": "KGM"}],
            "bizStep": "receiving",
            "bizLocation": {"id": BL2},
        },
        {
            **base,
            "type": "TransformationEvent",
            "eventTime": at(5),
            "inputQuantityList": [{"epcClass": LOT1, "quantity": 10, "uom": "KGM"}],
            "outputEPCList": [B1],
            "bizStep": "creating_class_instance",
            "bizLocation": {"id": BL2},
        },
        {
            **base,
            "type": "ObjectEvent",
            "eventTime": at(6),
            "action": "OBSERVE",
            "epcList": [A2],
            "bizStep": "receiving",
            "bizLocation": {"id": BL2},
        },
    ]


def document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-03-02T00:00:00Z",
        "epcisBody": {"eventList": events},
    }


def numbers(body: dict[str, Any]) -> list[int]:
    """Which scenario events a query document holds (by their hour)."""
    events = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    out = []
    for e in events:
        delta = parse_time(e["eventTime"]) - T0
        out.append(int(delta.total_seconds() // 3600))
    return out


@pytest.fixture()
def loaded(served: Any) -> Any:
    r = served.client.post(
        "/capture", json=document(scenario()), headers=served.auth(served.capture)
    )
    assert r.status_code == 202 and r.json()["tracer:added"] == 6, r.text
    return served


def query(served: Any, **params: str) -> list[int]:
    r = served.client.get("/events", params=params, headers=served.auth(served.read))
    assert r.status_code == 200, r.text
    assert document_validator().is_valid(r.json())
    return numbers(r.json())


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, [1, 2, 3, 4, 5, 6]),
        ({"eventType": "AggregationEvent"}, [3]),
        ({"eventType": "ObjectEvent|TransformationEvent"}, [1, 2, 4, 5, 6]),
        ({"GE_eventTime": at(2), "LT_eventTime": at(4)}, [2, 3]),
        ({"GE_eventTime": (T0 + timedelta(hours=5)).astimezone(UTC).isoformat()}, [5, 6]),
        ({"MATCH_epc": A1}, [1, 2, 3]),
        ({"MATCH_epc": f"{A2}|{B1}"}, [1, 3, 6]),
        ({"MATCH_epc": "urn:epc:idpat:sgtin:0614141.107346.*"}, [1, 2, 3, 6]),
        ({"MATCH_anyEPC": SSCC1}, [3]),
        ({"MATCH_anyEPC": B1}, [5]),
        ({"MATCH_parentID": SSCC1}, [3]),
        ({"MATCH_outputEPC": B1}, [5]),
        ({"EQ_bizStep": "receiving"}, [4, 6]),
        ({"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-receiving"}, [4, 6]),
        ({"EQ_disposition": "in_transit"}, [2]),
        ({"EQ_bizLocation": BL2}, [4, 5, 6]),
        ({"EQ_readPoint": RP1}, [1, 2]),
        ({"MATCH_epcClass": LOT1}, [4]),
        ({"MATCH_anyEPCClass": LOT1}, [4, 5]),
        ({"MATCH_inputEPCClass": LOT1}, [5]),
        ({"MATCH_epcClass": "urn:epc:idpat:sgtin:0614141.107346.*"}, [4]),
        ({"EQ_action": "ADD", "EQ_bizLocation": BL1}, [1, 3]),
        ({"orderBy": "eventTime"}, [6, 5, 4, 3, 2, 1]),
        (
            {"orderBy": "eventTime", "orderDirection": "ASC", "eventType": "ObjectEvent"},
            [1, 2, 4, 6],
        ),
        ({"eventCountLimit": "2"}, [1, 2]),
    ],
)
def test_each_parameter_has_its_known_answer(
    loaded: Any, params: dict[str, str], expected: list[int]
) -> None:
    assert query(loaded, **params) == expected


def test_eq_event_id_and_event_resource(loaded: Any) -> None:
    everything = loaded.client.get("/events", headers=loaded.auth(loaded.read)).json()
    events = everything["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    second = next(e for e in events if e["bizStep"] == "shipping")
    assert query(loaded, EQ_eventID=second["eventID"]) == [2]
    other = events[3]["eventID"]
    assert query(loaded, EQ_eventID=f"{second['eventID']}|{other}") == [2, 4]
    typed = loaded.client.get(
        "/eventTypes/AggregationEvent/events", headers=loaded.auth(loaded.read)
    )
    assert numbers(typed.json()) == [3]


def test_error_declaration_is_found_and_kept_apart(loaded: Any) -> None:
    wrong = dict(scenario()[1])
    wrong["errorDeclaration"] = {"declarationTime": at(7), "reason": "incorrect_data"}
    r = loaded.client.post("/capture", json=document([wrong]), headers=loaded.auth(loaded.capture))
    assert r.json()["tracer:added"] == 1
    assert query(loaded, EXISTS_errorDeclaration="") == [2]
    assert query(loaded, MATCH_epc=A1) == [1, 2, 3, 2]  # the event and its declaration


def test_pagination_walks_every_event_once(loaded: Any) -> None:
    for extra in ({}, {"orderBy": "eventTime"}, {"orderBy": "recordTime", "orderDirection": "ASC"}):
        seen: list[int] = []
        params: dict[str, Any] | None = {"perPage": "4", **extra}
        url = "/events"
        pages = 0
        while url:
            r = loaded.client.get(url, params=params, headers=loaded.auth(loaded.read))
            assert r.status_code == 200, r.text
            seen += numbers(r.json())
            pages += 1
            link = r.headers.get("Link")
            if not link:
                break
            assert link.endswith('rel="next"')
            url = link[link.index("<") + 1 : link.index(">")]
            assert "perPage=4" in url and parse_qs(urlsplit(url).query)["nextPageToken"]
            params = None
        assert sorted(seen) == [1, 2, 3, 4, 5, 6] and pages == 2, extra
    limited = query(loaded, perPage="1", eventCountLimit="1")
    assert limited == [1]


@pytest.mark.parametrize(
    "params, reason",
    [
        ({"EQ_quantity": "3"}, "not supported"),
        ({"eventType": "SensorEvent"}, "not an EPCIS event type"),
        ({"GE_eventTime": "yesterday"}, "ISO 8601"),
        ({"perPage": "zero"}, "whole number"),
        ({"nextPageToken": "garbage!"}, "nextPageToken"),
        ({"orderBy": "bizStep"}, "orderBy"),
    ],
)
def test_bad_queries_are_400(loaded: Any, params: dict[str, str], reason: str) -> None:
    r = loaded.client.get("/events", params=params, headers=loaded.auth(loaded.read))
    assert r.status_code == 400
    assert r.json()["type"] == "epcisException:QueryParameterException"
    assert reason in r.json()["detail"]


def test_token_of_another_query_is_refused(loaded: Any) -> None:
    r = loaded.client.get("/events", params={"perPage": "2"}, headers=loaded.auth(loaded.read))
    link = r.headers["Link"]
    token = parse_qs(urlsplit(link[1 : link.index(">")]).query)["nextPageToken"][0]
    r = loaded.client.get(
        "/events",
        params={"perPage": "2", "eventType": "ObjectEvent", "nextPageToken": token},
        headers=loaded.auth(loaded.read),
    )
    assert r.status_code == 400 and "another query" in r.json()["detail"]


def test_max_event_count(loaded: Any) -> None:
    r = loaded.client.get(
        "/events", params={"maxEventCount": "3"}, headers=loaded.auth(loaded.read)
    )
    assert r.status_code == 413 and r.json()["type"] == "epcisException:QueryTooLargeException"
    assert query(loaded, maxEventCount="6") == [1, 2, 3, 4, 5, 6]
