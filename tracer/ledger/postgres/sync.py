"""`tracer sync`: send a station's own ledger to the shared one, what it lacks, once.

A station keeps recording into its SQLite ledger while the server is out of
reach; sync later walks the local ledger in order and appends to the target
every event it does not hold yet (by eventID and errorDeclaration, exactly
as `tracer merge` decides). The local ledger remembers, per target, how far
it got (its own "sync" migration track), so a routine sync only looks at new
rows; a crash between the server's COMMIT and that note only means the next
run finds those events already there and skips them. `full=True` ignores the
note and checks everything (after the server was restored from a backup).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tracer.ledger.backend import LedgerBackend
from tracer.ledger.query import EventQuery
from tracer.ledger.schema import Migration

BATCH = 2000

SYNC_MIGRATIONS = (
    Migration(
        1,
        "how far each sync target has received this ledger",
        "CREATE TABLE sync_marks (target TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, "
        "updated TEXT NOT NULL);",
    ),
)


@dataclass
class SyncReport:
    target: str
    checked: int = 0  # local events looked at
    sent: int = 0  # appended to the target now
    present: int = 0  # already there
    last_seq: int = 0  # local position the target now holds everything up to

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _mark(local: LedgerBackend, target: str) -> int:
    local.migrate("sync", SYNC_MIGRATIONS)
    with local._lock:  # type: ignore[attr-defined]
        row = local.connection.execute(
            "SELECT last_seq FROM sync_marks WHERE target = ?", (target,)
        ).fetchone()
    return int(row[0]) if row else 0


def _set_mark(local: LedgerBackend, target: str, seq: int) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with local._lock:  # type: ignore[attr-defined]
        local.connection.execute(
            "INSERT INTO sync_marks (target, last_seq, updated) VALUES (?, ?, ?) "
            "ON CONFLICT (target) DO UPDATE SET last_seq = excluded.last_seq, "
            "updated = excluded.updated",
            (target, seq, now),
        )


def record_synced(local: LedgerBackend, target: str, seq: int) -> None:
    """Note that `target` holds everything of `local` up to `seq` (after a bulk load)."""
    local.migrate("sync", SYNC_MIGRATIONS)
    _set_mark(local, target, seq)


def _present(target: LedgerBackend, keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
    ids = sorted({k[0] for k in keys})
    found: set[tuple[str, int]] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with target._lock:  # type: ignore[attr-defined]
            rows = target.connection.execute(
                "SELECT event_id, declares_error FROM events WHERE event_id IN "
                f"({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        found.update((str(r[0]), int(r[1])) for r in rows)
    return found


def pending(local: LedgerBackend, target: LedgerBackend, *, full: bool = False) -> int:
    """How many local events a sync would look at (for a progress bar)."""
    after = 0 if full else _mark(local, str(target.path))
    count = local.count()
    return count if after > count else count - after


def sync(
    local: LedgerBackend,
    target: LedgerBackend,
    *,
    full: bool = False,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> SyncReport:
    """Append to `target` the events of `local` it lacks, in local order."""
    name = str(target.path)
    report = SyncReport(name)
    after = 0 if full else _mark(local, name)
    if after > local.count():
        after = 0  # the local ledger was replaced: check it all
    report.last_seq = after
    while True:
        stored = list(local.events(EventQuery(after_seq=after, limit=batch)))
        if not stored:
            break
        keys = [
            (str(s.event.event_id), 1 if s.event.error_declaration is not None else 0)
            for s in stored
        ]
        there = _present(target, keys)
        missing = [s.event for s, k in zip(stored, keys, strict=True) if k not in there]
        if missing:
            result = target.append(missing)  # durable on the target when it returns
            report.sent += result.count
            report.present += result.skipped  # another station sent them meanwhile
        elif hasattr(target, "wait_durable"):
            target.wait_durable()  # what we saw there is on disk before we note it
        report.present += len(stored) - len(missing)
        report.checked += len(stored)
        after = stored[-1].seq
        _set_mark(local, name, after)
        report.last_seq = after
        if progress:
            progress(len(stored))
    return report
