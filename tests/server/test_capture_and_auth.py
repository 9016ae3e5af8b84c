"""POST /capture with the standard's example documents; the 401/403/400/413/415 paths."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from cli_run import run

from tracer.epcis.validate import document_validator
from tracer.ledger import Ledger, verify

EXAMPLES = [
    "Example_9.6.1-ObjectEvent.jsonld",
    "Example_9.6.3-AggregationEvent.jsonld",
    "Example_9.6.4-TransformationEvent.jsonld",
    "EPCISQueryDocument.jsonld",
    "WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld",
]


def example(shared_data: Path, name: str) -> dict[str, Any]:
    return json.loads((shared_data / "epcis" / "JSON" / name).read_text(encoding="utf-8"))


def event_list(doc: dict[str, Any]) -> list[dict[str, Any]]:
    body = doc["epcisBody"]
    if "eventList" in body:
        return list(body["eventList"])
    return list(body["queryResults"]["resultsBody"]["eventList"])


def count(path: Path) -> int:
    with Ledger.open(path, readonly=True) as ledger:
        return ledger.count()


def test_examples_capture_and_query_round_trip(served: Any, shared_data: Path) -> None:
    total = 0
    for name in EXAMPLES:
        doc = example(shared_data, name)
        r = served.client.post("/capture", json=doc, headers=served.auth(served.capture))
        assert r.status_code == 202, (name, r.text)
        job_url = r.headers["Location"]
        assert job_url.startswith("/capture/")
        job = served.client.get(job_url, headers=served.auth(served.read)).json()
        n = len(event_list(doc))
        assert job["running"] is False and job["success"] is True and job["errors"] == []
        assert job["tracer:events"] == n == job["tracer:added"] + job["tracer:skipped"]
        total += job["tracer:added"]
        # the same document again: idempotent by event hash, nothing new
        again = served.client.post("/capture", json=doc, headers=served.auth(served.capture))
        assert again.json()["tracer:added"] == 0 and again.json()["tracer:skipped"] == n
    assert count(served.ledger_path) == total >= 6
    r = served.client.get("/events", params={"perPage": "100"}, headers=served.auth(served.read))
    assert r.status_code == 200 and r.headers["GS1-EPCIS-Version"] == "2.0.0"
    body = r.json()
    assert document_validator().is_valid(body), document_validator().reasons(body)
    got = event_list(body)
    assert len(got) == total
    assert all(e["eventID"].startswith("ni:///sha-256;") for e in got)
    # the first example's two events come back with their members
    first = example(shared_data, EXAMPLES[0])["epcisBody"]["eventList"]
    shipped = next(e for e in got if e.get("bizStep") == "shipping")
    assert shipped["epcList"] == first[0]["epcList"]
    assert shipped["readPoint"] == first[0]["readPoint"]
    with Ledger.open(served.ledger_path, readonly=True) as ledger:
        assert verify(ledger.connection).ok
    jobs = served.client.get("/capture", headers=served.auth(served.read)).json()
    assert len(jobs) == 2 * len(EXAMPLES)


def test_capture_is_all_or_nothing(served: Any, shared_data: Path) -> None:
    doc = example(shared_data, EXAMPLES[0])
    bad = copy.deepcopy(doc)
    del bad["epcisBody"]["eventList"][1]["eventTime"]
    bad["epcisBody"]["eventList"][1]["action"] = "SOMETIMES"
    r = served.client.post("/capture", json=bad, headers=served.auth(served.capture))
    assert r.status_code == 400
    problem = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert problem["type"] == "epcisException:ValidationException"
    assert "nothing was captured" in problem["detail"]
    assert any(e.startswith("event 2") for e in problem["errors"])
    assert count(served.ledger_path) == 0
    # proceed: the good event goes in, the job says what failed
    r = served.client.post(
        "/capture",
        json=bad,
        headers={**served.auth(served.capture), "GS1-Capture-Error-Behaviour": "proceed"},
    )
    assert r.status_code == 202
    job = r.json()
    assert job["success"] is False and job["tracer:added"] == 1 and len(job["errors"]) == 1
    assert count(served.ledger_path) == 1


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (json.dumps({"type": "EPCISDocument"}).encode(), "no epcisBody"),
        (json.dumps({"type": "Thing", "epcisBody": {}}).encode(), "EPCISDocument"),
        (
            json.dumps(
                {"type": "EPCISDocument", "schemaVersion": "2.0", "epcisBody": {"eventList": []}}
            ).encode(),
            "creationDate",
        ),
    ],
)
def test_malformed_documents_are_400_with_reasons(served: Any, body: bytes, reason: str) -> None:
    r = served.client.post(
        "/capture",
        content=body,
        headers={**served.auth(served.capture), "Content-Type": "application/json"},
    )
    assert r.status_code == 400, r.text
    text = json.dumps(r.json())
    assert reason in text


def test_401_403_and_token_lifecycle(served: Any, capsys: pytest.CaptureFixture[str]) -> None:
    c = served.client
    r = c.get("/events")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert r.json()["type"] == "epcisException:SecurityException"
    assert c.get("/events", headers={"Authorization": "Basic dXNlcjpwdw=="}).status_code == 401
    assert c.get("/events", headers=served.auth("tracer_0000.nope")).status_code == 401
    head, secret = served.read.split(".")
    forged = f"{head}.{'y' if secret[0] == 'x' else 'x'}{secret[1:]}"  # one character off
    assert c.get("/events", headers=served.auth(forged)).status_code == 401
    assert c.get("/no/such/thing").status_code == 401  # auth before routing
    assert c.get("/events", headers=served.auth(served.read)).status_code == 200
    assert c.get("/events", headers=served.auth(served.capture)).status_code == 200
    r = c.post("/capture", json={}, headers=served.auth(served.read))
    assert r.status_code == 403 and "capture token" in r.json()["detail"]
    assert count(served.ledger_path) == 0
    # revoke through the CLI: the next request is refused
    token_id = served.read.split(".")[0].removeprefix("tracer_")
    ledger = str(served.ledger_path)
    code, out, _ = run(capsys, "serve", "token", "list", "--ledger", ledger, "--json")
    listed = json.loads(out)
    assert code == 0 and {t["scope"] for t in listed} == {"read", "capture"}
    assert served.read.split(".")[1] not in out  # secrets are never listed
    code, out, _ = run(capsys, "serve", "token", "revoke", token_id, "--ledger", ledger)
    assert code == 0 and "revoked" in out
    assert c.get("/events", headers=served.auth(served.read)).status_code == 401
    code, _, err = run(capsys, "serve", "token", "revoke", token_id, "--ledger", ledger)
    assert code == 1 and "no live token" in err


def test_token_add_prints_a_working_token(served: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "serve", "token", "add", "--scope", "read", "--ledger", str(served.ledger_path)
    )
    token = out.strip()
    assert code == 0
    assert token.startswith("tracer_")
    assert served.client.get("/eventTypes", headers=served.auth(token)).status_code == 200
    with Ledger.open(served.ledger_path, readonly=True) as ledger:
        stored = ledger.connection.execute("SELECT secret_sha256 FROM server_tokens").fetchall()
    assert all(token.split(".")[1] not in row[0] for row in stored)  # only hashes kept


def test_413_by_length_by_stream_and_by_event_count(served: Any, shared_data: Path) -> None:
    big = b'{"type": "EPCISDocument", "pad": "' + b"x" * 300_000 + b'"}'
    h = {**served.auth(served.capture), "Content-Type": "application/json"}
    r = served.client.post("/capture", content=big, headers=h)
    assert r.status_code == 413
    assert r.json()["type"] == "epcisException:CaptureLimitExceededException"
    assert r.headers["GS1-EPCIS-Capture-File-Size-Limit"] == "200000"

    def chunks() -> Any:  # no Content-Length: the server counts as it reads
        for _ in range(40):
            yield b"x" * 10_000

    r = served.client.post("/capture", content=chunks(), headers=h)
    assert r.status_code == 413
    doc = example(shared_data, EXAMPLES[0])
    one = doc["epcisBody"]["eventList"][0]
    doc["epcisBody"]["eventList"] = [
        {**one, "eventTime": f"2005-04-03T20:{i // 60:02d}:{i % 60:02d}.000-06:00"}
        for i in range(51)
    ]
    r = served.client.post("/capture", json=doc, headers=served.auth(served.capture))
    assert r.status_code == 413 and r.headers["GS1-EPCIS-Capture-Limit"] == "50"
    assert count(served.ledger_path) == 0


def test_415_and_discovery(served: Any) -> None:
    h = served.auth(served.capture)
    r = served.client.post("/capture", content=b"<xml/>", headers={**h, "Content-Type": "text/xml"})
    assert r.status_code == 415
    r = served.client.options("/capture", headers=h)
    assert r.status_code == 204 and r.headers["GS1-EPCIS-Capture-Limit"] == "50"
    assert served.client.get("/", headers=h).json()["member"][:2] == ["capture", "events"]
    types = served.client.get("/eventTypes", headers=h).json()["member"]
    assert "TransformationEvent" in types and len(types) == 5
    assert served.client.get("/capture/nope", headers=h).status_code == 404


def test_single_event_post(served: Any, shared_data: Path) -> None:
    event = example(shared_data, EXAMPLES[0])["epcisBody"]["eventList"][0]
    h = served.auth(served.capture)
    r = served.client.post("/events", json=event, headers=h)
    assert r.status_code == 201, r.text
    location = r.headers["Location"]
    again = served.client.post("/events", json=event, headers=h)
    assert again.status_code == 409 and again.headers["Location"] == location
    got = served.client.get(location, headers=h)
    assert got.status_code == 200
    assert event_list(got.json())[0]["eventID"] == r.json()["eventID"]
    assert served.client.get("/events/ni%3A%2F%2F%2Fnone", headers=h).status_code == 404
