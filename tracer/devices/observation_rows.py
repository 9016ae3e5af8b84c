"""A station's ledger rows for one-EPC scans, written from a template instead of an `Event`.

A portal burst turns hundreds of tags into events that differ only in the
EPC and the read time: same station, device, bizStep, links, time zone.
Building each `Event`, its canonical pre-hash string, its JSON document and
its `PreparedEvent` field by field cost ~80 µs a tag, most of a 500-tag
burst's latency. Here the general path runs once for a probe scan; its
pre-hash text, document and row texts are cut at the places where the EPC,
the event time and the eventID appear, and every further scan of the same
shape is the concatenation of those fixed parts with its own values (one
sha256 for the eventID). A shape whose texts do not cut cleanly (a hole
value found twice, a field the probe does not show) gets no template and
stays on the general path. tests/devices/test_observation_rows.py compares
both byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timezone
from json.encoder import encode_basestring
from typing import NamedTuple

from tracer.epcis.event_hash import HASH_PREFIX, HASH_SUFFIX
from tracer.epcis.fast_hash import canonical_text, fast_prehash
from tracer.ledger.docjson import time_text
from tracer.ledger.rows import PreparedEvent, prepare_event, utc_text
from tracer.model import Event

_TIMES_LIMIT = 4096


class _Cut(NamedTuple):
    """`text` = parts[0] + holes[0] + parts[1] + holes[1] + … (holes in the given order)."""

    parts: tuple[str, ...]


def _cut(text: str, holes: tuple[str, ...]) -> _Cut | None:
    """Cut `text` around each hole value, which must occur exactly once, in this order."""
    parts = []
    rest = text
    for hole in holes:
        if not hole or text.count(hole) != 1:
            return None
        before, found, rest = rest.partition(hole)
        if not found:
            return None
        parts.append(before)
    parts.append(rest)
    return _Cut(tuple(parts))


class ObservationTemplate:
    """Rows of the events one station makes for one device and time zone, EPC by EPC.

    `prepared(epc, t)` = `prepare_event` of the event the recorder builds for
    a scan of `epc` read at `t` (its eventTime is `t` cut to the millisecond),
    without building that event. Create with `ObservationTemplate.from_probe`.
    """

    def __init__(
        self,
        tz: timezone,
        hash_cut: _Cut,
        doc_cut: _Cut,
        doc_after: str | None,
        head: tuple[object, ...],
        digest_cut: _Cut,
        probe: PreparedEvent,
    ) -> None:
        self.tz = tz
        self._pre = hash_cut.parts  # time, canonical EPC
        self._doc = doc_cut.parts  # eventID, local time, EPC as JSON
        self._doc_after = doc_after
        self._head_mid = head[1:4]  # declares_error, type, action
        self._head_end = head[5:]  # tz_offset
        self._digest = digest_cut.parts  # eventID, UTC time
        self._tail = probe.tail
        self._digest_tail = probe.digest_tail
        self._role = probe.identifiers[0][0]
        self._links = probe.links
        self._times: dict[datetime, tuple[str, str]] = {}

    @classmethod
    def from_probe(
        cls, event: Event, epc: str, prepare: Callable[[Event], PreparedEvent] = prepare_event
    ) -> ObservationTemplate | None:
        """The template of events shaped like `event` (one EPC `epc`), or None if it cannot be cut."""
        tz = event.event_time.tzinfo
        t = event.event_time
        if (
            type(t) is not datetime
            or type(tz) is not timezone
            or t.microsecond % 1000
            or event.epc_list != (epc,)
            or event.event_id is None
            or type(epc) is not str
        ):
            return None
        pre = fast_prehash(event)
        if (
            pre is None
            or HASH_PREFIX + hashlib.sha256(pre.encode("utf-8")).hexdigest() + HASH_SUFFIX
            != event.event_id
        ):
            return None
        p = prepare(event)
        utc, local = utc_text(t), time_text(t)
        if (
            p.item_lots
            or p.identifiers != (("epc", epc, 1.0, None),)
            or p.head[0] != event.event_id
            or p.head[4] != utc
            or p.key != (event.event_id, 0)
        ):
            return None
        hash_cut = _cut(pre, (utc, canonical_text(epc)))
        doc_cut = _cut(p.doc, (event.event_id, local, encode_basestring(epc)))
        digest_cut = _cut(p.digest_head, (event.event_id, utc))
        if hash_cut is None or doc_cut is None or digest_cut is None:
            return None
        template = cls(tz, hash_cut, doc_cut, p.doc_after, p.head, digest_cut, p)
        return template if template.prepared(epc, t) == p else None

    def _texts(self, t: datetime) -> tuple[str, str]:
        """(UTC text, local EPCIS text) of a read time cut to the millisecond.

        A reader stamps every tag of one answer frame with the same time:
        a burst's hundreds of tags share a few dozen.
        """
        out = self._times.get(t)
        if out is None:
            if t.microsecond % 1000:
                t = t.replace(microsecond=t.microsecond - t.microsecond % 1000)
            out = (utc_text(t), time_text(t))
            if len(self._times) >= _TIMES_LIMIT:
                self._times.clear()
            self._times[t] = out
        return out

    def prepared(self, epc: str, t: datetime) -> PreparedEvent | None:
        """The rows of the event for `epc` read at `t` (same zone as the probe).

        None when the EPC has no canonical text (the general path drops the list then).
        """
        canonical = canonical_text(epc)
        if not canonical:
            return None
        utc, local = self._texts(t)
        p0, p1, p2 = self._pre
        digest = hashlib.sha256(f"{p0}{utc}{p1}{canonical}{p2}".encode()).hexdigest()
        event_id = f"{HASH_PREFIX}{digest}{HASH_SUFFIX}"
        d0, d1, d2, d3 = self._doc
        g0, g1, g2 = self._digest
        return tuple.__new__(  # type: ignore[no-any-return]
            PreparedEvent,
            (
                (event_id, 0),
                (event_id, *self._head_mid, utc, *self._head_end),
                self._tail,
                f"{g0}{event_id}{g1}{utc}{g2}",
                self._digest_tail,
                f"{d0}{event_id}{d1}{local}{d2}{encode_basestring(epc)}{d3}",
                self._doc_after,
                ((self._role, epc, 1.0, None),),
                self._links,
                (),
            ),
        )
