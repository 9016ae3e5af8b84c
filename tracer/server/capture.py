"""POST /capture: an EPCIS document in, validated, all or nothing, idempotent by event hash.

The document is checked whole before anything is written: its envelope and
every event against the EPCIS 2.0 JSON Schema, and every event must convert
to an `Event`. Each event then gets its canonical event hash as eventID
(`tracer.epcis.event_hash`), and the batch is appended in one transaction,
so an event the ledger already has is skipped — sending a document twice, or
resending after a lost reply, stores every event once. An event's own eventID,
where it is not its hash, is kept beside it in that transaction
(`tracer.epcis.source_ids`), so `EQ_eventID` finds the event by it.

The job runs inside the request: when the reply (202 + Location) goes out,
the events are durable and `GET /capture/{id}` already says how it ended.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tracer.epcis.codec import event_from_epcis, stamp
from tracer.epcis.importer import append_with_ids
from tracer.epcis.source_ids import SourceId, source_id_of
from tracer.epcis.validate import check_json_envelope, check_json_event
from tracer.model import Event
from tracer.server.problems import HttpProblem, bad_request

BEHAVIOURS = ("rollback", "proceed")


@dataclass
class CaptureJob:
    capture_id: str
    created: str
    finished: str | None = None
    running: bool = True
    success: bool = True
    error_behaviour: str = "rollback"
    events: int = 0
    added: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list, repr=False)  # this reply only

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "captureID": self.capture_id,
            "createdAt": self.created,
            "running": self.running,
            "success": self.success,
            "captureErrorBehaviour": self.error_behaviour,
            "errors": [
                {"type": "epcisException:ValidationException", "title": e} for e in self.errors
            ],
            "tracer:events": self.events,
            "tracer:added": self.added,
            "tracer:skipped": self.skipped,
        }
        if self.finished:
            d["finishedAt"] = self.finished
        return d


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_document(body: bytes) -> tuple[dict[str, Any], list[Any]]:
    """The document and its event list; 400 with the reason when it is not one."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"the body is not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise bad_request("the body must be an EPCISDocument (a JSON object)")
    kind = doc.get("type")
    body_part = doc.get("epcisBody")
    if not isinstance(body_part, dict):
        raise bad_request("the document has no epcisBody")
    if kind == "EPCISDocument":
        events = body_part.get("eventList")
    elif kind == "EPCISQueryDocument":
        results = body_part.get("queryResults") or {}
        events = (results.get("resultsBody") or {}).get("eventList")
    else:
        raise bad_request(f"type must be EPCISDocument or EPCISQueryDocument, not {kind!r}")
    if not isinstance(events, list):
        raise bad_request("the document has no eventList")
    return doc, events


def _envelope_problems(doc: dict[str, Any]) -> list[str]:
    shell = json.loads(json.dumps({k: v for k, v in doc.items() if k != "epcisBody"}))
    body = dict(doc["epcisBody"])
    if "eventList" in body:
        body["eventList"] = []
    if "queryResults" in body:
        body["queryResults"] = {
            **body["queryResults"],
            "resultsBody": {"eventList": []},
        }
    shell["epcisBody"] = body
    return [str(p) for p in check_json_envelope(shell)]


def check_events(
    doc: dict[str, Any], events: list[Any]
) -> tuple[list[Event], list[str], list[SourceId]]:
    """Stamped events, the problems of the ones that failed (by position), and the
    document eventIDs of the good ones that are not their hash (kept beside them)."""
    problems = _envelope_problems(doc)
    context = doc.get("@context")
    good: list[Event] = []
    ids: list[SourceId] = []
    for i, d in enumerate(events, start=1):
        p = check_json_event(d, i)
        if p is not None:
            problems.append(str(p))
            continue
        try:
            e = stamp(event_from_epcis(d, context))
        except Exception as exc:  # any unreadable member: report it, never crash
            problems.append(f"event {i}: cannot be read: {exc}")
            continue
        good.append(e)
        if (sid := source_id_of(d, e)) is not None:
            ids.append(sid)
    return good, problems, ids


def capture(ledger: Any, body: bytes, behaviour: str, token_id: str | None) -> CaptureJob:
    """Validate and store one document; raises HttpProblem (400) when rejected."""
    if behaviour not in BEHAVIOURS:
        raise HttpProblem(
            400,
            "ValidationException",
            "Unsupported GS1-Capture-Error-Behaviour",
            f"GS1-Capture-Error-Behaviour must be rollback or proceed, not {behaviour!r}",
        )
    doc, raw_events = parse_document(body)
    events, problems, ids = check_events(doc, raw_events)
    if problems and behaviour == "rollback":
        raise bad_request(
            f"{len(problems)} problem(s); nothing was captured (all or nothing)", problems[:100]
        )
    job = CaptureJob(uuid.uuid4().hex, _now(), error_behaviour=behaviour, events=len(raw_events))
    header = doc.get("epcisHeader") or {}
    vocabularies = (header.get("epcisMasterData") or {}).get("vocabularyList")
    if vocabularies:
        from tracer.epcis.masterdata import import_vocabularies

        import_vocabularies(ledger, vocabularies, "POST /capture")
    if events:
        result = append_with_ids(ledger, events, ids)
        job.added, job.skipped = result.count, result.skipped
        job.event_ids = [*result.added_ids, *result.skipped_ids]
    job.errors = problems
    job.success = not problems
    job.running = False
    job.finished = _now()
    save_job(ledger, job, token_id)
    return job


def save_job(ledger: Any, job: CaptureJob, token_id: str | None) -> None:
    with ledger._lock:
        ledger.connection.execute(
            "INSERT INTO capture_jobs (capture_id, created, finished, running, success, "
            "error_behaviour, events, added, skipped, errors, token_id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                job.capture_id,
                job.created,
                job.finished,
                int(job.running),
                int(job.success),
                job.error_behaviour,
                job.events,
                job.added,
                job.skipped,
                json.dumps(job.errors, ensure_ascii=False),
                token_id,
            ),
        )


_JOB_COLUMNS = (
    "capture_id, created, finished, running, success, error_behaviour, events, added, "
    "skipped, errors"
)


def _job(row: tuple[Any, ...]) -> CaptureJob:
    return CaptureJob(
        capture_id=row[0],
        created=row[1],
        finished=row[2],
        running=bool(row[3]),
        success=bool(row[4]),
        error_behaviour=row[5],
        events=int(row[6]),
        added=int(row[7]),
        skipped=int(row[8]),
        errors=list(json.loads(row[9])),
    )


def load_job(ledger: Any, capture_id: str) -> CaptureJob | None:
    with ledger._lock:
        row = ledger.connection.execute(
            f"SELECT {_JOB_COLUMNS} FROM capture_jobs WHERE capture_id = ?", (capture_id,)
        ).fetchone()
    return _job(row) if row else None


def recent_jobs(ledger: Any, limit: int) -> list[CaptureJob]:
    with ledger._lock:
        rows = ledger.connection.execute(
            f"SELECT {_JOB_COLUMNS} FROM capture_jobs ORDER BY created DESC LIMIT ?", (limit,)
        ).fetchall()
    return [_job(r) for r in rows]
