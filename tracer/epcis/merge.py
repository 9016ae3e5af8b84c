"""`tracer merge`: bring an inspector's laptop ledger (or an export of it) into the main ledger.

Every event the main ledger lacks is appended with its canonical hash as
eventID, so merging twice adds nothing; an eventID that is not the hash (a
partner's, kept by the other ledger's import, or a stored id of another hash
version) is kept beside it (`tracer.epcis.source_ids`). Events keep who recorded them and on
which station (``operator`` / ``station`` / ``device``) and their original
``recordTime``. Master data is added or completed; a value that differs from
the main ledger's (e.g. the same GLN under another name) is reported as not
reconciled and the main ledger's value is kept.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracer.epcis.codec import hash_event
from tracer.epcis.documents import sniff
from tracer.epcis.exporter import iter_ledger_events
from tracer.epcis.importer import append_with_ids
from tracer.epcis.masterdata import MasterDataReport, _Row, apply_rows
from tracer.epcis.source_ids import Key, SourceId, key_of, source_ids
from tracer.errors import TracerError
from tracer.model import Event

BATCH = 10_000


@dataclass
class MergeReport:
    source: str
    events: int = 0
    added: int = 0
    skipped: int = 0
    reidentified: int = 0  # events whose stored eventID was not their canonical hash
    not_reconciled: list[str] = field(default_factory=list)
    master_data: MasterDataReport = field(default_factory=MasterDataReport)
    added_by: Counter[tuple[str | None, str | None]] = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "events": self.events,
            "added": self.added,
            "skipped": self.skipped,
            "reidentified": self.reidentified,
            "not_reconciled": self.not_reconciled + self.master_data.conflicts,
            "master_data": self.master_data.as_dict(),
            "added_by": [
                {"operator": op, "station": st, "events": n}
                for (op, st), n in sorted(self.added_by.items(), key=lambda kv: -kv[1])
            ],
            "seconds": round(self.seconds, 3),
        }


def _is_sqlite(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def merge(main: Any, other: str | Path, *, batch: int = BATCH) -> MergeReport:
    """Merge `other` (a ledger file or an EPCIS export) into the `main` ledger."""
    t0 = time.perf_counter()
    path = Path(other)
    if not path.exists():
        raise TracerError(f"{path}: no such file")
    if Path(main.path).resolve() == path.resolve():
        raise TracerError(f"{path} is the main ledger itself")
    report = MergeReport(str(path))
    if _is_sqlite(path):
        from tracer.ledger import Ledger

        with Ledger.open(path, readonly=True) as src:
            _merge_master_data(main, src, report)
            _merge_events(main, src, report, batch)
    else:
        sniff(path)  # JSON or XML, else a clear error
        from tracer.epcis.importer import import_document

        # an export: validated and imported like any EPCIS document
        from tracer.epcis.validate import InvalidDocument

        try:
            imp = import_document(main, path)
        except InvalidDocument:
            raise
        report.events, report.added, report.skipped = imp.events, imp.added, imp.skipped
        report.master_data = imp.master_data
    report.seconds = time.perf_counter() - t0
    return report


def _merge_events(main: Any, src: Any, report: MergeReport, batch: int) -> None:
    pending: list[Event] = []
    given_ids: list[tuple[Key, str | None]] = []  # per pending event: its key there, id if re-keyed

    def flush() -> None:
        if not pending:
            return
        kept = source_ids(src, [k for k, _ in given_ids])  # what the other ledger kept
        ids: list[SourceId] = []
        for e, (key, stored_id) in zip(pending, given_ids, strict=True):
            own = kept.get(key) or stored_id
            if own and own != e.event_id:
                ids.append((e.event_id or "", key[1], own))
        result = append_with_ids(main, pending, ids)
        report.added += result.count
        report.skipped += result.skipped
        added = set(result.added_ids)
        for e in pending:
            if e.event_id in added:
                report.added_by[(e.operator, e.station)] += 1
        pending.clear()
        given_ids.clear()

    for s in iter_ledger_events(src):
        e: Event = s.event
        report.events += 1
        key = key_of(e)
        canonical = hash_event(e)
        stored_id = None
        if e.event_id != canonical:
            report.reidentified += 1
            stored_id = e.event_id
            e = e.with_id(canonical)
        if e.record_time is None and s.record_time:
            from tracer.model import parse_time

            e = dataclasses.replace(e, record_time=parse_time(s.record_time))
        pending.append(e)
        given_ids.append((key, stored_id))
        if len(pending) >= batch:
            flush()
    flush()


_SIMPLE_TABLES = (
    ("parties", "gln", ("gln", "name", "name_zh", "role")),
    ("stations", "name",
     ("name", "location_gln", "biz_step", "disposition", "destination_gln", "device")),
    ("operators", "name", ("name", "pin_hash", "role")),
)  # fmt: skip


def _merge_master_data(main: Any, src: Any, report: MergeReport) -> None:
    conn = src.connection
    rows: list[_Row] = []
    for table, key_cols, cols in (
        ("locations", ("gln",), ("gln", "sgln", "name", "name_zh", "kind", "address", "region",
                                 "city", "contact", "phone", "email", "party_gln", "attributes")),
        ("products", ("gtin",), ("gtin", "name", "name_zh", "spec", "standard", "brand",
                                 "producer_gln", "unit", "attributes")),
        ("lots", ("gtin", "lot"), ("gtin", "lot", "production_date", "expiry_date", "quantity",
                                   "location_gln")),
    ):  # fmt: skip
        for r in conn.execute(f"SELECT {', '.join(cols)} FROM {table}"):
            values = dict(zip(cols, r, strict=True))
            attrs_text = values.pop("attributes", None)
            import json

            attrs = json.loads(attrs_text) if attrs_text else {}
            rows.append(_Row(table, tuple(values[k] for k in key_cols), values, attrs))
    apply_rows(main, rows, report.master_data, report.source)
    _merge_simple(main, src, report)


def _merge_simple(main: Any, src: Any, report: MergeReport) -> None:
    import sqlite_utils

    md = report.master_data
    new: dict[str, list[dict[str, Any]]] = {}
    for table, pk, cols in _SIMPLE_TABLES:
        for r in src.connection.execute(f"SELECT {', '.join(cols)} FROM {table}"):
            values = dict(zip(cols, r, strict=True))
            with main._lock:
                old = main.connection.execute(
                    f"SELECT {', '.join(cols)} FROM {table} WHERE {pk} = ?", (values[pk],)
                ).fetchone()
            if old is None:
                new.setdefault(table, []).append(values)
                md.added += 1
                continue
            old_values = dict(zip(cols, old, strict=True))
            diffs = [
                c
                for c in cols
                if values[c] not in (None, "")
                and old_values[c] not in (None, "")
                and str(values[c]) != str(old_values[c])
            ]
            if diffs:
                for c in diffs:
                    shown = "(differs)" if c == "pin_hash" else repr(values[c])
                    md.conflicts.append(
                        f"{table[:-1]} {values[pk]}: {c} is "
                        f"{'(set)' if c == 'pin_hash' else repr(old_values[c])} here, "
                        f"{shown} in {report.source}"
                    )
            else:
                md.unchanged += 1
    if not new:
        return
    upsert_rows = getattr(main, "upsert_rows", None)
    if upsert_rows is not None:
        for table, rows in new.items():
            pk = next(p for t, p, _ in _SIMPLE_TABLES if t == table)
            upsert_rows(table, (pk,), rows)
        return
    db = sqlite_utils.Database(main.connection)
    with main._lock:
        main.connection.execute("BEGIN IMMEDIATE")
        try:
            for table, rows in new.items():
                pk = next(p for t, p, _ in _SIMPLE_TABLES if t == table)
                db[table].insert_all(rows, pk=pk, ignore=True)  # type: ignore[union-attr]
            main.connection.execute("COMMIT")
        except BaseException:
            main.connection.execute("ROLLBACK")
            raise
