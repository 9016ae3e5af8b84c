"""A small EPCIS 2.0 REST repository for tests: POST /capture, GET /capture/{id}, GET /events.

Runs on 127.0.0.1 in a thread. `fail_requests` makes chosen requests (by
their 1-based number) answer 500, to test that clients lose nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from tracer.epcis.event_hash import event_hash
from tracer.model import parse_time


class Repository:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.contexts: list[Any] = []
        self.ids: set[str] = set()
        self.requests = 0
        self.fail_requests: set[int] = set()
        self.captures: list[int] = []  # number of events of each accepted capture
        self.jobs: dict[int, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.url = ""


def _handler(repo: Repository) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, code: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _count(self) -> bool:
            with repo.lock:
                repo.requests += 1
                n = repo.requests
            if n in repo.fail_requests:
                self._send(500, {"type": "epcisException:ImplementationException"})
                return False
            return True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            if not self._count():
                return
            if urlparse(self.path).path != "/capture":
                self._send(404)
                return
            try:
                doc = json.loads(raw)
                events = doc["epcisBody"]["eventList"]
            except (ValueError, KeyError):
                self._send(400, {"type": "epcisException:ValidationException"})
                return
            with repo.lock:
                for ev in events:
                    h = event_hash(ev, doc.get("@context"))
                    if h not in repo.ids:
                        repo.ids.add(h)
                        repo.events.append(ev)
                        repo.contexts.append(doc.get("@context"))
                repo.captures.append(len(events))
                job = len(repo.jobs) + 1
                repo.jobs[job] = {
                    "captureID": str(job),
                    "running": False,
                    "success": True,
                    "captureErrorBehaviour": "rollback",
                    "errors": [],
                }
            self._send(202, None, {"Location": f"/capture/{job}"})

        def do_GET(self) -> None:
            if not self._count():
                return
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path.startswith("/capture/"):
                job = repo.jobs.get(int(url.path.rsplit("/", 1)[1]))
                self._send(200 if job else 404, job)
                return
            if url.path != "/events":
                self._send(404)
                return
            with repo.lock:
                pairs = list(zip(repo.events, repo.contexts, strict=True))
            if "GE_eventTime" in q:
                since = parse_time(q["GE_eventTime"])
                pairs = [p for p in pairs if parse_time(p[0]["eventTime"]) >= since]
            per_page = int(q.get("perPage", 30))
            start = int(q.get("nextPageToken", 0))
            page = pairs[start : start + per_page]
            context: list[Any] = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
            merged: dict[str, str] = {}
            for _, ctx in page:
                for c in ctx if isinstance(ctx, list) else [ctx]:
                    if isinstance(c, dict):
                        merged.update(c)
            context.append(merged)
            body = {
                "@context": context,
                "type": "EPCISQueryDocument",
                "schemaVersion": "2.0",
                "creationDate": "2024-01-01T00:00:00.000Z",
                "epcisBody": {
                    "queryResults": {
                        "queryName": "SimpleEventQuery",
                        "resultsBody": {"eventList": [e for e, _ in page]},
                    }
                },
            }
            headers = {}
            if start + per_page < len(pairs):
                nq = {**q, "nextPageToken": str(start + per_page)}
                headers["Link"] = f'<{repo.url}/events?{urlencode(nq)}>; rel="next"'
            self._send(200, body, headers)

    return Handler


@contextmanager
def running_repository() -> Iterator[Repository]:
    repo = Repository()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(repo))
    repo.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield repo
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
