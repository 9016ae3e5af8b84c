"""`tracer import`: EPCIS documents into the ledger — validated, all or nothing, idempotent.

1. The whole document is checked first: the envelope and every event against
   the official JSON Schema / XSD. Any problem rejects the file; the error
   names every bad event with its position and the reason. Nothing is written.
2. Then, in ONE ledger transaction (`tracer.ledger.transaction`): master data
   (header VocabularyList or a master-data document) into the master-data
   tables, and the events, each with its canonical hash as eventID, appended
   in batches of `BATCH`; an event's own eventID, where it is not that hash,
   goes into the side table of `tracer.epcis.source_ids` in the same
   transaction. An event that cannot be converted rejects the file
   (every such event is listed) and the transaction is rolled back; so is
   everything on any error. A crash or a kill leaves the ledger as it was: the
   rows become durable together at the final commit.
3. An event whose hash is already in the ledger is skipped and counted, so
   importing twice changes nothing.

A big document streams (bounded memory: one batch of rows in Python, SQLite
spills the transaction's pages to its WAL). Plain events are decoded and
hashed through the typed fast paths (`fast_decode`, `fast_hash`); anything
unusual through the general codec and the hash of the document's own dict.
A PostgreSQL ledger does the same in one server transaction (its
`one_transaction`: the hash chain's lock held to the end, other stations'
appends wait); a ledger without one gets a streamed document batch by batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracer.epcis.codec import event_from_epcis, stamp
from tracer.epcis.documents import Document, Progress
from tracer.epcis.import_worker import PARALLEL_FROM_BYTES, FrontEnd
from tracer.epcis.masterdata import MasterDataReport, import_vocabularies
from tracer.epcis.source_ids import SourceId, ensure, record, source_id_of
from tracer.epcis.stamper import DocumentRows
from tracer.epcis.validate import InvalidDocument, Problem, collect
from tracer.ledger import Ledger
from tracer.ledger.gcpause import gc_paused
from tracer.ledger.transaction import one_transaction
from tracer.model import Event

BATCH = 5_000


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


def _raise(doc: Document, problems: list[Problem], total: int) -> None:
    if total:
        raise InvalidDocument(str(doc.path), problems, total)


Write = Callable[[list[Any], list[SourceId]], None]


@contextmanager
def _writer(
    ledger: Any, report: ImportReport, record_time: Any, whole: bool
) -> Iterator[tuple[Callable[[Event], Any], Write, bool]]:
    """(row maker, batch writer, batched): all batches in one transaction where the
    ledger offers it (SQLite, PostgreSQL); else one append of everything (`whole`)
    or one per batch. A batch's source eventIDs are written with it."""
    if isinstance(ledger, Ledger) or hasattr(ledger, "one_transaction"):
        ensure(ledger)  # a migration is a transaction of its own: before the import's
        with one_transaction(ledger, record_time=record_time) as tx:

            def write(rows: list[Any], ids: list[SourceId]) -> None:
                tx.append_prepared(rows)
                record(ledger, ids)

            yield tx.prepare, write, True
        report.added, report.skipped = tx.added, tx.skipped
        return

    def append(events: list[Any], ids: list[SourceId]) -> None:
        if events:
            result = ledger.append(events, record_time=record_time)
            report.added += result.count
            report.skipped += result.skipped
        if ids and hasattr(ledger, "migrate"):
            record(ledger, ids)

    yield (lambda e: e), append, not whole


def import_document(
    ledger: Any,
    path: str | Path,
    *,
    progress: Progress | None = None,
    validate: bool = True,
    record_time: Any = None,
    batch: int = BATCH,
    worker: bool | None = None,
) -> ImportReport:
    """Import one EPCIS document (JSON, JSON-LD, XML 2.0 or 1.2) into `ledger`.

    `progress` is called with a count that grows from 0 to the file's size.
    `worker`: read and prepare the events in a second process
    (`tracer.epcis.import_worker`); by default for big files into SQLite.
    """
    t0 = time.perf_counter()
    with gc_paused():  # big acyclic allocations only: refcounting frees them
        doc = Document(path)
        report = ImportReport(str(path), doc.format)
        if worker is None:
            worker = doc.size >= PARALLEL_FROM_BYTES
        front = FrontEnd(str(doc.path), batch) if worker and isinstance(ledger, Ledger) else None
        try:
            _import(ledger, doc, report, progress, validate, record_time, batch, front)
        finally:
            if front is not None:
                front.close()
    report.seconds = time.perf_counter() - t0
    return report


def _import(
    ledger: Any,
    doc: Document,
    report: ImportReport,
    progress: Progress | None,
    validate: bool,
    record_time: Any,
    batch: int,
    front: FrontEnd | None = None,
) -> None:
    problems: list[Problem] = []
    total = 0
    checking = write_progress = progress
    if progress is not None and doc.streaming:
        # two passes over a streamed file, each half of the way: progress still
        # runs from 0 to the file's size (the CLI's and the desktop's bar total)
        size = doc.size

        def checking(n: int) -> None:
            progress(n // 2)

        def write_progress(n: int) -> None:
            progress(size - size // 2 + n // 2 if n < size else size)

    if validate:
        for p in doc.problems(checking if doc.streaming else None):
            total = collect(problems, p, total)
        _raise(doc, problems, total)
    vocabularies = doc.read_master_data()
    with _writer(ledger, report, record_time, not doc.streaming) as (row, write, batched):
        if vocabularies:
            report.master_data = import_vocabularies(ledger, vocabularies, str(doc.path))
        if front is not None:  # the worker read and prepared them while we validated
            for rows, position, batch_ids in front.batches():
                write(rows, batch_ids)
                report.events += len(rows)
                if write_progress is not None and position:
                    write_progress(position)
            _raise(doc, front.problems, front.total)  # rolls the transaction back
            return
        reader = DocumentRows(doc, row)
        for rows, ids in reader.batches(batch if batched else None, write_progress):
            write(rows, ids)
        report.events = reader.events
        _raise(doc, reader.problems, reader.total)  # rolls the transaction back


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
    ids = [sid for d, e in zip(events, stamped, strict=True) if (sid := source_id_of(d, e))]
    report = ImportReport(source, "json", events=len(stamped))
    if stamped:
        result = append_with_ids(ledger, stamped, ids, record_time=record_time)
        report.added, report.skipped = result.count, result.skipped
    report.seconds = time.perf_counter() - t0
    return report


def append_with_ids(
    ledger: Any, events: list[Event], ids: list[SourceId], *, record_time: Any = None
) -> Any:
    """`ledger.append(events)` and their source eventIDs, in one transaction where the
    ledger has one (a REST page, a capture, a merge batch): both land or neither."""
    if not ids or not (isinstance(ledger, Ledger) or hasattr(ledger, "one_transaction")):
        result = ledger.append(events, record_time=record_time)
        if ids and hasattr(ledger, "migrate"):
            record(ledger, ids)
        return result
    ensure(ledger)
    with one_transaction(ledger, record_time=record_time) as tx:
        result = tx.append(events)
        record(ledger, ids)
    return result


def import_files(ledger: Any, paths: Iterable[str | Path]) -> list[ImportReport]:
    return [import_document(ledger, p) for p in paths]
