"""A document's event dict → `Event` stamped with its canonical event hash.

Shared by the importer and its worker process (`import_worker`), which
both turn a document's events into ledger events the same way
(`DocumentRows`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tracer.epcis.codec import event_from_epcis
from tracer.epcis.event_hash import Namespaces, event_hash
from tracer.epcis.fast_decode import FastDecoder
from tracer.epcis.fast_hash import fast_event_hash
from tracer.epcis.source_ids import SourceId, source_id_of
from tracer.epcis.validate import Problem, collect, unreadable
from tracer.model import Event

if TYPE_CHECKING:
    from tracer.epcis.documents import Document, Progress

R = TypeVar("R")

_AGGREGATING = frozenset({"AggregationEvent", "AssociationEvent"})


def _stamped(d: Mapping[str, Any], ns: Any) -> Event:
    """The event with its canonical hash as eventID, through the general codec.

    The hash is taken on the document's own rendering of the event; the
    codec's tests check that it equals the hash of `event_to_epcis(event)`.
    """
    return event_from_epcis(d, ns, event_id=event_hash(d, ns))


class Stamper:
    """Document event dict → `Event` with its canonical hash as eventID.

    Plain events (see `fast_decode`) are decoded into the typed `Event`
    directly and hashed from it (`fast_hash`), which gives the same eventID as
    the hash of the dict (tests/epcis/test_import_fast.py checks every example).
    """

    def __init__(self) -> None:
        self._ns: Namespaces | None = None
        self._decoder: FastDecoder | None = None

    def __call__(self, d: Mapping[str, Any], ns: Namespaces) -> Event:
        decoder = self._decoder
        if ns is not self._ns or decoder is None:
            # a streamed XML document may declare prefixes as it goes
            decoder = self._decoder = FastDecoder(ns, bool(ns.custom()))
            self._ns = ns
        # the general hash omits an absent eventTimeZoneOffset (the typed one cannot),
        # and the typed one reads an aggregation's epcList as its childEPCs
        if "eventTimeZoneOffset" not in d or (
            d.get("type") in _AGGREGATING and ("epcList" in d or "quantityList" in d)
        ):
            return _stamped(d, ns)
        e = decoder.decode(d)
        if e is None:
            return _stamped(d, ns)
        h = fast_event_hash(e)
        # the Event was made here and is not shared yet: set its id in place
        e.__dict__["event_id"] = h if h is not None else event_hash(d, ns)
        return e


class DocumentRows(Generic[R]):
    """A document's events as rows (`row` of each stamped `Event`), batch by batch.

    An event that cannot be read is listed in `problems` (`total` counts them
    all); from the first one on no more rows are made, but the rest of the
    document is still read so that the list is complete. `events` counts the
    events that could be read.
    """

    def __init__(self, doc: Document, row: Callable[[Event], R]) -> None:
        self.doc = doc
        self.row = row
        self.problems: list[Problem] = []
        self.total = 0
        self.events = 0

    def batches(
        self, size: int | None, progress: Progress | None = None
    ) -> Iterator[tuple[list[R], list[SourceId]]]:
        """(rows, the source eventIDs among them) every `size` rows (None: one batch)."""
        doc = self.doc
        stamper = Stamper()
        rows: list[R] = []
        ids: list[SourceId] = []
        for i, d in enumerate(doc.events(progress)):
            try:
                e = stamper(d, doc.namespaces)
            except Exception as exc:
                self.total = collect(self.problems, unreadable(i, exc), self.total)
                continue
            self.events += 1
            if self.total:
                continue  # rejected already: only look for more problems
            rows.append(self.row(e))
            if (sid := source_id_of(d, e)) is not None:
                ids.append(sid)
            if size is not None and len(rows) >= size:
                yield rows, ids
                rows, ids = [], []
        if rows and not self.total:
            yield rows, ids
