"""`tracer import`: EPCIS documents into the ledger — validated, all or nothing, idempotent.

1. The whole document is checked first: the envelope and every event against
   the official JSON Schema / XSD, and every event must convert to an `Event`.
   Any problem rejects the file; the error names every bad event with its
   position and the reason. Nothing is written.
2. Master data (header VocabularyList or a master-data document) goes into the
   master-data tables.
3. Events get their canonical hash as eventID and are appended; one whose hash
   is already in the ledger is skipped and counted, so importing twice changes
   nothing.

A document read whole (up to 32 MB) is appended in one transaction. A larger
one is streamed in batches of `BATCH` events (bounded memory); as it was fully
validated first, only a crash can stop it half-way — and importing it again
completes it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracer.epcis.codec import event_from_epcis, stamp
from tracer.epcis.documents import Document, Progress
from tracer.epcis.event_hash import event_hash
from tracer.epcis.masterdata import MasterDataReport, import_vocabularies
from tracer.epcis.validate import InvalidDocument, Problem
from tracer.model import Event

BATCH = 5_000
MAX_PROBLEMS = 10_000  # stop collecting (but keep counting) past this many


@dataclass
class ImportReport:
    source: str
    format: str = ""
    events: int = 0
    added: int = 0
    skipped: int = 0
    master_data: MasterDataReport = field(default_factory=MasterDataReport)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "events": self.events,
            "added": self.added,
            "skipped": self.skipped,
            "master_data": self.master_data.as_dict(),
            "seconds": round(self.seconds, 3),
        }


def _stamped(d: Mapping[str, Any], ns: Any) -> Event:
    """The event with its canonical hash as eventID.

    The hash is taken on the document's own rendering of the event; the
    codec's tests check that it equals the hash of `event_to_epcis(event)`.
    """
    return event_from_epcis(d, ns, event_id=event_hash(d, ns))


def _raise(doc: Document, problems: list[Problem], total: int) -> None:
    if total:
        raise InvalidDocument(str(doc.path), problems, total)


def _collect(problems: list[Problem], p: Problem, total: int) -> int:
    if len(problems) < MAX_PROBLEMS:
        problems.append(p)
    return total + 1


def import_document(
    ledger: Any,
    path: str | Path,
    *,
    progress: Progress | None = None,
    validate: bool = True,
    record_time: Any = None,
    batch: int = BATCH,
) -> ImportReport:
    """Import one EPCIS document (JSON, JSON-LD, XML 2.0 or 1.2) into `ledger`."""
    t0 = time.perf_counter()
    doc = Document(path)
    report = ImportReport(str(path), doc.format)
    problems: list[Problem] = []
    total = 0
    checking = write = progress
    if progress is not None and doc.streaming:
        # two passes over a streamed file: the bar runs to twice its size
        size = doc.size

        def checking(n: int) -> None:
            progress(n)

        def write(n: int) -> None:
            progress(size + n)

    if validate:
        for p in doc.problems(checking if doc.streaming else None):
            total = _collect(problems, p, total)
        _raise(doc, problems, total)
    ready: list[Event] | None = None
    if not doc.streaming:
        # a document read whole: convert everything before writing anything
        ready = []
        for i, d in enumerate(doc.events(progress)):
            try:
                ready.append(_stamped(d, doc.namespaces))
            except Exception as exc:
                total = _collect(
                    problems, Problem(f"event {i + 1}", f"cannot be read: {exc}"), total
                )
        _raise(doc, problems, total)
    vocabularies = doc.read_master_data()
    if vocabularies:
        report.master_data = import_vocabularies(ledger, vocabularies, str(path))

    def append(events: list[Event]) -> None:
        if events:
            result = ledger.append(events, record_time=record_time)
            report.added += result.count
            report.skipped += result.skipped

    if ready is not None:
        report.events = len(ready)
        append(ready)  # one transaction: all or nothing
    else:
        pending: list[Event] = []
        for d in doc.events(write):
            pending.append(_stamped(d, doc.namespaces))
            report.events += 1
            if len(pending) >= batch:
                append(pending)
                pending = []
        append(pending)
    report.seconds = time.perf_counter() - t0
    return report


def import_events(
    ledger: Any,
    events: Iterable[Mapping[str, Any]],
    context: Any = None,
    *,
    source: str = "events",
    record_time: Any = None,
) -> ImportReport:
    """Import already-parsed EPCIS JSON-LD events (e.g. a REST query page), validated."""
    from tracer.epcis.validate import check_json_event

    t0 = time.perf_counter()
    events = list(events)
    problems = [p for i, d in enumerate(events) if (p := check_json_event(d, i + 1))]
    if problems:
        raise InvalidDocument(source, problems)
    stamped = [stamp(event_from_epcis(d, context)) for d in events]
    report = ImportReport(source, "json", events=len(stamped))
    if stamped:
        result = ledger.append(stamped, record_time=record_time)
        report.added, report.skipped = result.count, result.skipped
    report.seconds = time.perf_counter() - t0
    return report


def import_files(ledger: Any, paths: Iterable[str | Path]) -> list[ImportReport]:
    return [import_document(ledger, p) for p in paths]
