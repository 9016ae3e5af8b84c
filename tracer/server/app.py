"""The ASGI app: routes of the EPCIS 2.0 REST binding over a ledger pool.

Blocking ledger work runs in Starlette's thread pool; the event loop only
reads bodies and writes replies. Every request first passes `BearerAuth`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tracer.epcis.source_ids import ensure as ensure_source_ids
from tracer.errors import TracerError
from tracer.model import TRACER_NS, TRACER_PREFIX
from tracer.server import capture as cap
from tracer.server.auth import BearerAuth
from tracer.server.pool import LedgerPool
from tracer.server.problems import EPCIS_HEADERS, HttpProblem, bad_query, problem
from tracer.server.query import EVENT_TYPES, PER_PAGE_MAX, parse_query, per_page_of, run_query
from tracer.server.tokens import ensure_tables

log = logging.getLogger("tracer.server")

EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
TOP_LEVEL = ["capture", "events", "eventTypes", "trace"]


@dataclass(frozen=True, slots=True)
class ServerSettings:
    max_body_bytes: int = 16 * 1024 * 1024  # GS1-EPCIS-Capture-File-Size-Limit
    max_events: int = 10_000  # GS1-EPCIS-Capture-Limit, events per document
    pool_size: int | None = None  # open ledgers (default: 1 SQLite, 4 PostgreSQL)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={**EPCIS_HEADERS, **(headers or {})})


def _collection(members: list[str]) -> dict[str, Any]:
    return {"@context": EPCIS_CONTEXT_URL, "type": "Collection", "member": members}


def query_document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": [EPCIS_CONTEXT_URL, {TRACER_PREFIX: TRACER_NS}],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": events},
            }
        },
    }


def create_app(location: str, settings: ServerSettings | None = None) -> Starlette:
    """The app over the ledger at `location` (a path or a postgresql:// URL)."""
    s = settings or ServerSettings()
    pool = LedgerPool(location, s.pool_size)
    with pool.ledger() as ledger:
        ensure_tables(ledger)
        ensure_source_ids(ledger)  # EQ_eventID also matches the id an event came with

    async def in_pool(fn: Callable[..., Any], *args: Any) -> Any:
        def work() -> Any:
            with pool.ledger() as ledger:
                return fn(ledger, *args)

        return await run_in_threadpool(work)

    # -- discovery ---------------------------------------------------------

    async def root(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={**EPCIS_HEADERS, "Allow": "OPTIONS, GET"})
        return _json(_collection(TOP_LEVEL))

    async def event_types(request: Request) -> Response:
        return _json(_collection(list(EVENT_TYPES)))

    # -- capture -----------------------------------------------------------

    async def read_body(request: Request) -> bytes:
        limit = s.max_body_bytes
        too_big = HttpProblem(
            413,
            "CaptureLimitExceededException",
            "Capture payload too large",
            f"documents may be at most {limit} bytes and {s.max_events} events",
            headers=_limits(),
        )
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise too_big
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)

    def _limits() -> dict[str, str]:
        return {
            "GS1-EPCIS-Capture-Limit": str(s.max_events),
            "GS1-EPCIS-Capture-File-Size-Limit": str(s.max_body_bytes),
        }

    async def capture_post(request: Request) -> Response:
        _json_only(request)
        body = await read_body(request)
        behaviour = request.headers.get("GS1-Capture-Error-Behaviour", "rollback")
        token = request.state.token

        def work(ledger: Any) -> cap.CaptureJob:
            _, events = cap.parse_document(body)
            if len(events) > s.max_events:
                raise HttpProblem(
                    413,
                    "CaptureLimitExceededException",
                    "Too many events",
                    f"{len(events)} events; at most {s.max_events} per document",
                    headers=_limits(),
                )
            return cap.capture(ledger, body, behaviour, token.token_id)

        job: cap.CaptureJob = await in_pool(work)
        return _json(job.as_dict(), 202, {"Location": f"/capture/{job.capture_id}"})

    async def capture_options(request: Request) -> Response:
        return Response(
            status_code=204,
            headers={
                **EPCIS_HEADERS,
                **_limits(),
                "Allow": "OPTIONS, GET, POST",
                "GS1-Capture-Error-Behaviour": "all",
            },
        )

    async def capture_list(request: Request) -> Response:
        per_page = min(per_page_of(_params(request)), PER_PAGE_MAX)
        jobs = await in_pool(cap.recent_jobs, per_page)
        return _json([j.as_dict() for j in jobs])

    async def capture_job(request: Request) -> Response:
        job = await in_pool(cap.load_job, request.path_params["capture_id"])
        if job is None:
            raise HttpProblem(404, "NoSuchResourceException", "No such capture job")
        return _json(job.as_dict())

    # -- events ------------------------------------------------------------

    async def events_get(request: Request, forced: dict[str, list[str]] | None = None) -> Response:
        params = _params(request)
        if forced:
            params.update(forced)
        q = parse_query(params)
        per_page = per_page_of(params)
        tokens = params.get("nextPageToken") or []
        token = tokens[0] if tokens else None
        page = await in_pool(run_query, q, per_page, token)
        headers: dict[str, str] = {}
        if page.next_token:
            keep = [
                (k, v) for k, vs in _params(request).items() if k != "nextPageToken" for v in vs
            ]
            keep.append(("nextPageToken", page.next_token))
            headers["Link"] = f'<{request.url.path}?{urlencode(keep)}>; rel="next"'
        return _json(query_document(page.events), headers=headers)

    async def events_post(request: Request) -> Response:
        """The synchronous one-event capture of the binding (201, or 409 if known)."""
        _json_only(request)
        body = await read_body(request)
        token = request.state.token

        def work(ledger: Any) -> tuple[str, bool]:
            import json

            try:
                event = json.loads(body)
            except ValueError as exc:
                raise HttpProblem(400, "ValidationException", "Not JSON", str(exc)) from exc
            if not isinstance(event, dict):
                raise HttpProblem(400, "ValidationException", "Not an EPCIS event")
            doc = {
                "@context": event.pop("@context", EPCIS_CONTEXT_URL),
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": cap._now(),
                "epcisBody": {"eventList": [event]},
            }
            job = cap.capture(ledger, json.dumps(doc).encode(), "rollback", token.token_id)
            return job.event_ids[0], job.added == 1

        event_id, added = await in_pool(work)
        location = f"/events/{quote(event_id, safe='')}"
        if not added:
            raise HttpProblem(
                409,
                "ResourceAlreadyExistsException",
                "Event already captured",
                f"the ledger already holds event {event_id}",
                headers={"Location": location},
            )
        return _json({"eventID": event_id}, 201, {"Location": location})

    async def event_by_id(request: Request) -> Response:
        event_id = request.path_params["event_id"]
        q = parse_query({"EQ_eventID": [event_id]})
        page = await in_pool(run_query, q, 100, None)
        if not page.events:
            raise HttpProblem(404, "NoSuchResourceException", "No such event", event_id)
        return _json(query_document(page.events))

    async def events_of_type(request: Request) -> Response:
        kind = request.path_params["event_type"]
        if kind not in EVENT_TYPES:
            raise HttpProblem(404, "NoSuchResourceException", "No such event type", kind)
        return await events_get(request, {"eventType": [kind]})

    async def event_type(request: Request) -> Response:
        kind = request.path_params["event_type"]
        if kind not in EVENT_TYPES:
            raise HttpProblem(404, "NoSuchResourceException", "No such event type", kind)
        return _json(_collection(["events"]))

    # -- trace (tracer's own resource) -------------------------------------

    async def trace(request: Request) -> Response:
        params = _params(request)
        starts = [v for raw in params.get("start", []) for v in raw.split("|") if v]
        direction = (params.get("direction") or ["forward"])[0]
        if not starts:
            raise bad_query("start: a lot (GTIN/LOT), an SGTIN or an SSCC to trace from")
        if direction not in ("forward", "backward"):
            raise bad_query("direction must be forward or backward")

        def work(ledger: Any) -> dict[str, Any]:
            from tracer.recall import TraceError, backward_trace, forward_trace

            fn = forward_trace if direction == "forward" else backward_trace
            try:
                graph = fn(ledger, starts if len(starts) > 1 else starts[0])
            except TraceError as exc:
                raise bad_query(str(exc)) from exc
            result: dict[str, Any] = graph.as_dict()
            return result

        return _json(await in_pool(work))

    # -- errors and assembly -----------------------------------------------

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HttpProblem)
        return exc.response()

    async def on_tracer_error(request: Request, exc: Exception) -> Response:
        log.warning("ledger error on %s %s: %s", request.method, request.url.path, exc)
        return problem(500, "ImplementationException", "Ledger error", str(exc))

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "ImplementationException", "Internal error", type(exc).__name__)

    async def on_404(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if status == 405:
            return problem(405, "MethodNotAllowedException", "Method not allowed")
        return problem(404, "NoSuchResourceException", "No such resource", request.url.path)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            pool.close()

    routes = [
        Route("/", root, methods=["GET", "OPTIONS"]),
        Route("/capture", capture_post, methods=["POST"]),
        Route("/capture", capture_list, methods=["GET"]),
        Route("/capture", capture_options, methods=["OPTIONS"]),
        Route("/capture/{capture_id}", capture_job, methods=["GET"]),
        Route("/events", events_get, methods=["GET"]),
        Route("/events", events_post, methods=["POST"]),
        Route("/events/{event_id:path}", event_by_id, methods=["GET"]),
        Route("/eventTypes", event_types, methods=["GET"]),
        Route("/eventTypes/{event_type}", event_type, methods=["GET"]),
        Route("/eventTypes/{event_type}/events", events_of_type, methods=["GET"]),
        Route("/trace", trace, methods=["GET"]),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HttpProblem: on_problem,
        TracerError: on_tracer_error,
        404: on_404,
        405: on_404,
        Exception: on_crash,
    }
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.add_middleware(BearerAuth, pool=pool)
    app.state.pool = pool
    app.state.settings = s
    return app


def _params(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return out


def _json_only(request: Request) -> None:
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind not in ("application/json", "application/ld+json", ""):
        raise HttpProblem(
            415,
            "UnsupportedMediaTypeException",
            "Unsupported media type",
            f"send EPCIS 2.0 JSON / JSON-LD (application/json or application/ld+json), not {kind}",
        )
