"""A client for the EPCIS 2.0 REST binding: `tracer push URL` and `tracer pull URL`.

push: sends the ledger's events the repository has not acknowledged yet, in
ledger order, as EPCISDocuments to ``POST {URL}/capture``. A batch counts as
acknowledged when the repository accepts it (2xx) and, if it returns a
capture-job ``Location``, when that job reports success. The last acknowledged
ledger position is remembered per URL in the ledger (table ``epcis_push``), so
an interrupted push resumes where it stopped and nothing is sent twice that
was acknowledged.

pull: ``GET {URL}/events?GE_eventTime=…&perPage=…`` and every ``Link: rel="next"``
page after it; each page's events are validated and imported (idempotently).

Transient failures (connection errors, 5xx, 429) are retried with back-off; if
they persist the command stops with what it did so far, losing nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import httpx

from tracer.epcis.codec import event_to_epcis, format_time
from tracer.epcis.exporter import EPCIS_CONTEXT_URL, iter_ledger_events
from tracer.errors import TracerError
from tracer.model import TRACER_NS, TRACER_PREFIX

PUSH_BATCH = 500
PULL_PAGE = 500
RETRIES = 4
HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}


def _client(token: str | None) -> httpx.Client:
    """An HTTP client for a repository; `token` is sent as a bearer token."""
    headers = dict(HEADERS)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.Client(timeout=60.0, headers=headers)


class TransferError(TracerError):
    """The repository kept failing; the report says what was done before."""

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class PushReport:
    url: str
    sent: int = 0
    batches: int = 0
    retries: int = 0
    acknowledged_seq: int = 0
    pending: int = 0  # events still to send when it stopped

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PullReport:
    url: str
    pages: int = 0
    events: int = 0
    added: int = 0
    skipped: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# ---------------------------------------------------------------------------
# remembered state


def _state_migrations() -> list[Any]:
    from tracer.ledger.schema import Migration

    return [
        Migration(
            1,
            "what each EPCIS repository acknowledged",
            "CREATE TABLE epcis_push (url TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, "
            "updated TEXT NOT NULL);",
        )
    ]


def _norm(url: str) -> str:
    return url.rstrip("/")


def acknowledged(ledger: Any, url: str) -> int:
    """Ledger position up to which `url` has acknowledged every event."""
    ledger.migrate("epcis_push", _state_migrations())
    with ledger._lock:
        row = ledger.connection.execute(
            "SELECT last_seq FROM epcis_push WHERE url = ?", (_norm(url),)
        ).fetchone()
    return int(row[0]) if row else 0


def _set_acknowledged(ledger: Any, url: str, seq: int) -> None:
    now = format_time(datetime.now(UTC))
    with ledger._lock:
        conn = ledger.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT INTO epcis_push (url, last_seq, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET last_seq = excluded.last_seq, "
                "updated = excluded.updated",
                (_norm(url), seq, now),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


# ---------------------------------------------------------------------------
# HTTP with retries


def _retrying(
    send: Callable[[], httpx.Response],
    retries: int,
    backoff: float,
    on_retry: Callable[[], None],
) -> httpx.Response:
    last: str = ""
    for attempt in range(retries + 1):
        try:
            r = send()
        except httpx.TransportError as exc:
            last = f"{type(exc).__name__}: {exc}"
        else:
            if r.status_code < 500 and r.status_code != 429:
                return r
            last = f"HTTP {r.status_code} {r.reason_phrase}"
        if attempt < retries:
            on_retry()
            time.sleep(backoff * (2**attempt))
    raise _Failed(last)


class _Failed(Exception):
    pass


def _document(events: list[dict[str, Any]], context: dict[str, str]) -> dict[str, Any]:
    return {
        "@context": [EPCIS_CONTEXT_URL, context],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": format_time(datetime.now(UTC)),
        "epcisBody": {"eventList": events},
    }


def push(
    ledger: Any,
    url: str,
    *,
    batch: int = PUSH_BATCH,
    client: httpx.Client | None = None,
    token: str | None = None,
    retries: int = RETRIES,
    backoff: float = 0.5,
    progress: Callable[[int], None] | None = None,
) -> PushReport:
    """Send every event `url` has not acknowledged yet."""
    report = PushReport(_norm(url))
    last = acknowledged(ledger, url)
    report.acknowledged_seq = last
    total = ledger.count()
    report.pending = max(0, total - last)
    own = client is None
    http = client or _client(token)
    capture = report.url + "/capture"
    try:
        events: list[dict[str, Any]] = []
        context: dict[str, str] = {TRACER_PREFIX: TRACER_NS}
        batch_last = last

        def send_batch() -> None:
            nonlocal events, context
            doc = _document(events, context)

            def bump() -> None:
                report.retries += 1

            try:
                r = _retrying(lambda: http.post(capture, json=doc), retries, backoff, bump)
                if r.status_code >= 400:
                    raise _Failed(f"HTTP {r.status_code}: {r.text[:300]}")
                job = r.headers.get("Location")
                if job:
                    _wait_for_job(http, urljoin(capture, job), retries, backoff, bump)
            except _Failed as exc:
                raise TransferError(
                    f"{capture}: {exc}; {report.sent} events acknowledged, "
                    f"{report.pending} still to send (run push again to resume)",
                    report,
                ) from None
            _set_acknowledged(ledger, url, batch_last)
            report.sent += len(events)
            report.batches += 1
            report.acknowledged_seq = batch_last
            report.pending = max(0, total - batch_last)
            if progress:
                progress(report.sent)
            events = []
            context = {TRACER_PREFIX: TRACER_NS}

        from tracer.ledger import EventQuery

        for stored in iter_ledger_events(ledger, EventQuery(after_seq=last)):
            d = event_to_epcis(stored.event)
            local = d.pop("@context", None)
            if isinstance(local, Mapping):
                if any(context.get(p, u) != u for p, u in local.items()):
                    d["@context"] = local
                else:
                    context.update(local)
            if "recordTime" not in d and stored.record_time:
                d["recordTime"] = stored.record_time
            events.append(d)
            batch_last = stored.seq
            if len(events) >= batch:
                send_batch()
        if events:
            send_batch()
    finally:
        if own:
            http.close()
    return report


def _wait_for_job(
    http: httpx.Client, job_url: str, retries: int, backoff: float, bump: Callable[[], None]
) -> None:
    for _ in range(50):
        r = _retrying(lambda: http.get(job_url), retries, backoff, bump)
        if r.status_code == 404:
            return  # the repository keeps no job records: acceptance is all we get
        if r.status_code >= 400:
            raise _Failed(f"capture job {job_url}: HTTP {r.status_code}")
        try:
            job = r.json()
        except ValueError:
            return
        if job.get("running"):
            time.sleep(0.1)
            continue
        if job.get("success") is False or job.get("errors"):
            raise _Failed(f"capture job {job_url} failed: {job.get('errors') or job}")
        return
    raise _Failed(f"capture job {job_url} still running")


def _next_link(r: httpx.Response) -> str | None:
    link = r.headers.get("Link")
    if not link:
        return None
    for part in link.split(","):
        if 'rel="next"' in part or "rel=next" in part:
            start, end = part.find("<"), part.find(">")
            if start >= 0 and end > start:
                return urljoin(str(r.url), part[start + 1 : end])
    return None


def pull(
    ledger: Any,
    url: str,
    *,
    since: datetime | None = None,
    per_page: int = PULL_PAGE,
    client: httpx.Client | None = None,
    token: str | None = None,
    retries: int = RETRIES,
    backoff: float = 0.5,
    progress: Callable[[int], None] | None = None,
) -> PullReport:
    """Import the repository's events (from `since` on), page by page."""
    from tracer.epcis.importer import import_events
    from tracer.epcis.masterdata import import_vocabularies

    report = PullReport(_norm(url))
    own = client is None
    http = client or _client(token)
    params: dict[str, Any] = {"perPage": per_page}
    if since is not None:
        params["GE_eventTime"] = format_time(since)
    next_url: str | None = report.url + "/events"
    first = True
    try:
        while next_url:

            def bump() -> None:
                report.retries += 1

            target = next_url
            page_params = params if first else None
            try:
                r = _retrying(
                    lambda t=target, p=page_params: http.get(t, params=p),  # type: ignore[misc]
                    retries,
                    backoff,
                    bump,
                )
            except _Failed as exc:
                raise TransferError(
                    f"{target}: {exc}; {report.added} events imported so far "
                    "(run pull again to resume: what is already imported is skipped)",
                    report,
                ) from None
            if r.status_code >= 400:
                raise TransferError(f"{target}: HTTP {r.status_code}: {r.text[:300]}", report)
            doc = r.json()
            body = doc.get("epcisBody") or {}
            results = body.get("queryResults") or {}
            events = (results.get("resultsBody") or {}).get("eventList")
            if events is None:
                events = body.get("eventList") or []
            header = doc.get("epcisHeader") or {}
            vocab = (header.get("epcisMasterData") or {}).get("vocabularyList")
            if vocab:
                import_vocabularies(ledger, vocab, target)
            imp = import_events(ledger, events, doc.get("@context"), source=target)
            report.pages += 1
            report.events += imp.events
            report.added += imp.added
            report.skipped += imp.skipped
            if progress:
                progress(report.events)
            next_url = _next_link(r)
            first = False
    finally:
        if own:
            http.close()
    return report
