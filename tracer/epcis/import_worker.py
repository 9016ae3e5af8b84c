"""The import's front end in a second process, for big documents.

Reading each event, converting it to an `Event`, hashing it and building its
ledger rows is about three quarters of an import's CPU; SQLite's inserts
are the rest. One process does them one after the other on one core. For a
big document a worker process does the first part, batch by batch, while
the importing process validates the document and then inserts the batches
the worker has ready: the two cores work at once. The rows are the same as
the single-process path makes (`prepare_event` does not depend on the
record time), and nothing about the transaction changes: all or nothing,
with every event that cannot be read listed.

The worker is forked when this process has no other thread (the command
line: quick, and no main module to re-import); otherwise it is started by
"forkserver" or "spawn": the desktop app imports from a thread, and a fork
of a process with threads can inherit a lock another thread holds.
"""

from __future__ import annotations

import marshal
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Iterator
from typing import Any

from tracer.epcis.documents import Document
from tracer.epcis.stamper import DocumentRows
from tracer.epcis.validate import Problem
from tracer.errors import TracerError
from tracer.ledger.gcpause import gc_paused
from tracer.ledger.rows import PreparedEvent, prepare_event

PARALLEL_FROM_BYTES = 16 * 2**20  # ~25k events: below that the start-up costs more
IN_FLIGHT = 3  # batches ready ahead of the writer: memory stays bounded


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _produce(path: str, batch: int, out: Any) -> None:
    """In the worker: ("rows", packed (rows, source ids), bytes read) per batch, then
    ("end", total, problems). The source ids are the (hash, declares_error, eventID)
    pairs of the batch's events whose document eventID is not their hash."""

    try:
        with gc_paused():
            reader = DocumentRows(Document(path), lambda e: tuple(prepare_event(e)))
            position = [0]

            def seen(n: int) -> None:
                position[0] = n

            for rows, ids in reader.batches(batch, seen):
                out.put(("rows", marshal.dumps((rows, ids)), position[0]))
            out.put(("end", reader.total, reader.problems))
    except BaseException as exc:  # the importing process raises it
        try:
            pickle.dumps(exc)
            out.put(("error", exc))
        except Exception:
            out.put(("error", TracerError(f"{path}: {type(exc).__name__}: {exc}")))


class FrontEnd:
    """A worker process preparing a document's rows; iterate it for the batches."""

    def __init__(self, path: str, batch: int) -> None:
        ctx = _context()
        self._path = path
        self._queue = ctx.Queue(maxsize=IN_FLIGHT)
        self._process = ctx.Process(
            target=_produce, args=(path, batch, self._queue), name="tracer-import", daemon=True
        )
        self._process.start()
        self.total = 0  # events that could not be read
        self.problems: list[Problem] = []

    def batches(
        self,
    ) -> Iterator[tuple[list[PreparedEvent], int, list[tuple[str, int, str]]]]:
        """(rows, bytes of the file read so far, source ids) per batch, in document order."""
        make = tuple.__new__
        while True:
            message = self._get()
            if message[0] == "rows":
                rows, ids = marshal.loads(message[1])
                yield [make(PreparedEvent, r) for r in rows], message[2], ids
            elif message[0] == "end":
                self.total, self.problems = message[1], message[2]
                return
            elif isinstance(message[1], TracerError):
                raise message[1]
            else:
                raise TracerError(
                    f"{self._path}: cannot be read: {message[1]}; nothing was imported"
                ) from message[1]

    def _get(self) -> tuple[Any, ...]:
        while True:
            try:
                return self._queue.get(timeout=1.0)  # type: ignore[no-any-return]
            except queue.Empty:
                if not self._process.is_alive():
                    raise TracerError(
                        "the import's reader process stopped unexpectedly "
                        f"(exit code {self._process.exitcode}); nothing was imported"
                    ) from None

    def close(self) -> None:
        """Stop the worker (done, failed or cancelled) and reap it."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=10)
        self._queue.close()
        self._queue.join_thread()
