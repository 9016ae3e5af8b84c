"""A real uvicorn on 127.0.0.1: a bounded load of parallel captures and queries, and
the trace resource over the demo ledger."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from tracer.ledger import Ledger, verify
from tracer.server import create_app
from tracer.server.tokens import add_token

WRITERS = 6
DOCS_PER_WRITER = 12
EVENTS_PER_DOC = 20
READERS = 4


class LiveServer:
    """uvicorn serving the app in a thread, on a port the OS picked."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})

    def __enter__(self) -> str:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            threading.Event().wait(0.05)
        assert self.server.started, "uvicorn did not start"
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


def scan_doc(writer: int, doc: int) -> dict[str, Any]:
    t0 = datetime(2026, 5, 1, tzinfo=UTC) + timedelta(minutes=writer * 100 + doc)
    events = [
        {
            "type": "ObjectEvent",
            "eventTime": (t0 + timedelta(milliseconds=i)).isoformat(timespec="milliseconds"),
            "eventTimeZoneOffset": "+08:00",
            "action": "OBSERVE",
            "epcList": [f"urn:epc:id:sgtin:6923456.001003.W{writer}D{doc}N{i}"],
            "bizStep": "inspecting",
            "readPoint": {"id": f"urn:epc:id:sgln:6923456.00001.{writer}"},
        }
        for i in range(EVENTS_PER_DOC)
    ]
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-05-01T00:00:00Z",
        "epcisBody": {"eventList": events},
    }


@pytest.fixture()
def live(tmp_path: Path) -> Iterator[tuple[str, Path, str, str]]:
    path = tmp_path / "live.sqlite"
    with Ledger.open(path) as ledger:
        capture, _ = add_token(ledger, "capture")
        read, _ = add_token(ledger, "read")
    with LiveServer(create_app(str(path))) as url:
        yield url, path, capture, read


@pytest.mark.slow
def test_parallel_captures_and_queries_lose_and_double_nothing(
    live: tuple[str, Path, str, str],
) -> None:
    url, path, capture, read = live
    acked: set[tuple[int, int]] = set()
    lock = threading.Lock()
    statuses: list[int] = []

    def writer(w: int) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {capture}"}) as c:
            for d in range(DOCS_PER_WRITER):
                doc = scan_doc(w, d)
                r = c.post("/capture", json=doc, timeout=60)
                statuses.append(r.status_code)
                if r.status_code == 202:
                    with lock:
                        acked.add((w, d))
                if d % 3 == 0:  # a client that did not see the reply sends it again
                    again = c.post("/capture", json=doc, timeout=60)
                    statuses.append(again.status_code)
                    assert again.json()["tracer:added"] == 0

    def reader(r_: int) -> int:
        pages = 0
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {read}"}) as c:
            for i in range(15):
                params = {"perPage": "50", "EQ_readPoint": f"urn:epc:id:sgln:6923456.00001.{i % 6}"}
                r = c.get("/events", params=params, timeout=60)
                statuses.append(r.status_code)
                pages += 1
        return pages

    with ThreadPoolExecutor(WRITERS + READERS) as pool:
        writes = [pool.submit(writer, w) for w in range(WRITERS)]
        reads = [pool.submit(reader, r) for r in range(READERS)]
        for f in writes:
            f.result()
        assert sum(f.result() for f in reads) == READERS * 15
    assert set(statuses) == {200, 202}
    assert len(acked) == WRITERS * DOCS_PER_WRITER
    with Ledger.open(path, readonly=True) as ledger:
        ids = [r[0] for r in ledger.connection.execute("SELECT event_id FROM events")]
        assert len(ids) == len(set(ids)) == WRITERS * DOCS_PER_WRITER * EVENTS_PER_DOC
        assert verify(ledger.connection).ok
    # and the whole ledger pages out over HTTP exactly once
    seen: list[str] = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {read}"}) as c:
        r = c.get("/events", params={"perPage": "500"})
        while True:
            seen += [
                e["eventID"]
                for e in r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            ]
            link = r.headers.get("Link")
            if not link:
                break
            r = c.get(link[1 : link.index(">")])
    assert sorted(seen) == sorted(ids)


def test_trace_resource_matches_forward_trace(demo_ledger_path: Path) -> None:
    from starlette.testclient import TestClient

    from tracer.recall import forward_trace

    with Ledger.open(demo_ledger_path) as ledger:
        token, _ = add_token(ledger, "read")
        lot = ledger.connection.execute(
            "SELECT gtin, lot FROM lots ORDER BY lot LIMIT 1"
        ).fetchone()
        start = f"{lot[0]}/{lot[1]}"
        expected = forward_trace(ledger, start).as_dict()
    with TestClient(create_app(str(demo_ledger_path))) as client:
        h = {"Authorization": f"Bearer {token}"}
        got = client.get("/trace", params={"start": start}, headers=h)
        assert got.status_code == 200, got.text
        body = got.json()
        assert body["lots"] == expected["lots"] and body["locations"] == expected["locations"]
        assert body["locations"], "the demo lot reached somewhere"
        bad = client.get("/trace", params={"start": "not a lot"}, headers=h)
        assert bad.status_code == 400
        assert client.get("/trace", headers=h).status_code == 400


def test_two_installations_exchange_events_through_serve(tmp_path: Path, shared_data: Path) -> None:
    """Site A pushes its ledger to a `tracer serve`; site C pulls it from there."""
    import json

    from tracer.epcis.codec import event_from_epcis, stamp
    from tracer.epcis.rest import pull, push

    a_path = tmp_path / "a.sqlite"
    with Ledger.open(a_path) as a:
        for d in range(6):
            doc = scan_doc(9, d)
            a.append([stamp(event_from_epcis(e)) for e in doc["epcisBody"]["eventList"]])
        corrections = (
            shared_data
            / "epcis/JSON/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld"
        )
        doc = json.loads(corrections.read_text(encoding="utf-8"))
        a.append(
            [stamp(event_from_epcis(e, doc["@context"])) for e in doc["epcisBody"]["eventList"]]
        )
    hub = tmp_path / "hub.sqlite"
    with Ledger.open(hub) as ledger:
        capture, _ = add_token(ledger, "capture", "site A")
        read, _ = add_token(ledger, "read", "site C")

    def keys(ledger: Ledger) -> list[tuple[str, bool]]:
        return sorted(
            (str(s.event.event_id), s.event.error_declaration is not None) for s in ledger.events()
        )

    with LiveServer(create_app(str(hub))) as url:
        with (
            Ledger.open(a_path) as a,
            httpx.Client(headers={"Authorization": f"Bearer {capture}"}, timeout=60) as http,
        ):
            sent = push(a, url, client=http, batch=50, backoff=0)
            assert sent.sent == a.count() > 120 and sent.pending == 0 and sent.batches >= 3
            assert push(a, url, client=http, backoff=0).sent == 0  # acknowledged: not resent
            a_keys = keys(a)
        with (
            Ledger.open(tmp_path / "c.sqlite") as c,
            httpx.Client(headers={"Authorization": f"Bearer {read}"}, timeout=60) as http,
        ):
            got = pull(c, url, client=http, per_page=40, backoff=0)
            assert got.added == len(a_keys) and got.pages >= 3
            assert pull(c, url, client=http, backoff=0).added == 0
            c_keys = keys(c)
            assert verify(c.connection).ok
            reader = httpx.Client(headers={"Authorization": f"Bearer {read}"})
            with reader, pytest.raises(Exception, match="403"):
                push(c, url, client=reader, backoff=0, retries=0)
    assert c_keys == a_keys
    assert any(declared for _, declared in c_keys)  # the errorDeclaration travelled too


def test_cli_push_and_pull_send_the_bearer_token(tmp_path: Path, demo_ledger_path: Path) -> None:
    from click.testing import CliRunner

    from tracer.cli import cli

    hub = tmp_path / "hub.sqlite"
    with Ledger.open(hub) as ledger:
        capture, _ = add_token(ledger, "capture", "station")
        read, _ = add_token(ledger, "read", "office")
    runner = CliRunner()
    with LiveServer(create_app(str(hub))) as url:
        denied = runner.invoke(cli, ["push", url, "--ledger", str(demo_ledger_path)])
        assert denied.exit_code != 0 and "401" in str(denied.exception or denied.output)
        ok = runner.invoke(
            cli,
            ["push", url, "--ledger", str(demo_ledger_path), "--json"],
            env={"TRACER_TOKEN": capture},
        )
        assert ok.exit_code == 0, ok.output
        with Ledger.open(demo_ledger_path, readonly=True) as demo:
            total = demo.count()
        copy = tmp_path / "copy.sqlite"
        got = runner.invoke(cli, ["pull", url, "--ledger", str(copy), "--token", read, "--json"])
        assert got.exit_code == 0, got.output
    with Ledger.open(copy, readonly=True) as pulled:
        assert pulled.count() == total
