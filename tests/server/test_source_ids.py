"""EQ_eventID finds an event by the eventID a partner captured it with, as by its hash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracer.epcis.event_hash import document_hashes
from tracer.ledger import Ledger

DOC = "epcis/JSON/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld"


def _events(r: Any) -> list[dict[str, Any]]:
    assert r.status_code == 200, r.text
    return list(r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"])


def test_eq_event_id_matches_a_partners_id(served: Any, shared_data: Path) -> None:
    path = shared_data / DOC
    sent = json.loads(path.read_text(encoding="utf-8"))
    declaration_id, corrective_id = (e["eventID"] for e in sent["epcisBody"]["eventList"])
    declared_hash, corrective_hash = document_hashes(path)
    r = served.client.post("/capture", json=sent, headers=served.auth(served.capture))
    assert r.status_code == 202, r.text
    read = served.auth(served.read)

    got = _events(served.client.get("/events", params={"EQ_eventID": corrective_id}, headers=read))
    assert [e["eventID"] for e in got] == [corrective_hash]
    # the partner's id of the declaration finds the declaration, not another row
    got = _events(served.client.get("/events", params={"EQ_eventID": declaration_id}, headers=read))
    assert [(e["eventID"], "errorDeclaration" in e) for e in got] == [(declared_hash, True)]
    # by the hash, as before; several ids at once (the binding's "|")
    got = _events(
        served.client.get(
            "/events",
            params={"EQ_eventID": f"{corrective_hash}|{declaration_id}"},
            headers=read,
        )
    )
    assert sorted(e["eventID"] for e in got) == sorted([corrective_hash, declared_hash])
    one = served.client.get(f"/events/{quote(corrective_id, safe='')}", headers=read)
    assert [e["eventID"] for e in _events(one)] == [corrective_hash]
    none = served.client.get("/events", params={"EQ_eventID": "urn:uuid:nope"}, headers=read)
    assert _events(none) == []
    with Ledger.open(served.ledger_path, readonly=True) as ledger:
        rows = ledger.connection.execute(
            "SELECT source_event_id FROM epcis_ids ORDER BY 1"
        ).fetchall()
    assert [r[0] for r in rows] == sorted([declaration_id, corrective_id])
