"""A partner's own eventID for an event the ledger keys on its canonical hash.

The ledger stores every event under its CBV event hash, so the same event has
the same id wherever it comes from. A document may give an event another
eventID (a partner's ``urn:uuid:…``, a ``ni:///`` of another hash version):
that id must not be lost, or the partner cannot find the event again — in an
export sent back to them, in a REST query ``EQ_eventID=<their id>``, or in an
errorDeclaration whose ``correctiveEventIDs`` name it. This side table keeps
the pair (canonical event_id, declares_error) → source eventID.

Written in the same transaction as the events it annotates (an import stays
all or nothing); insert-only and idempotent: the first source id recorded for
an event wins, re-importing adds nothing. Plain portable SQL (``?`` marks,
``ON CONFLICT … DO NOTHING``), so it runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tracer.ledger.schema import Migration
from tracer.ledger.select_in import select_in
from tracer.model import Event

COMPONENT = "epcis_ids"
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "the eventID a document gave an event, where it is not the event's hash",
        """
CREATE TABLE epcis_ids (
    event_id TEXT NOT NULL,
    declares_error INTEGER NOT NULL,
    source_event_id TEXT NOT NULL,
    PRIMARY KEY (event_id, declares_error)
);
CREATE INDEX epcis_ids_source ON epcis_ids(source_event_id);
""",
    ),
)

SourceId = tuple[str, int, str]  # (canonical event_id, declares_error 0/1, source eventID)
Key = tuple[str, int]  # (canonical event_id, declares_error)
_INSERT = (
    "INSERT INTO epcis_ids (event_id, declares_error, source_event_id) VALUES (?, ?, ?) "
    "ON CONFLICT (event_id, declares_error) DO NOTHING"
)


def source_id_of(d: Mapping[str, Any], event: Event) -> SourceId | None:
    """The pair to keep when the document's eventID `d` differs from the event's hash."""
    given = d.get("eventID")
    if not isinstance(given, str) or not given or not event.event_id or given == event.event_id:
        return None
    return (event.event_id, 1 if event.error_declaration is not None else 0, given)


def key_of(event: Event) -> Key:
    return (event.event_id or "", 1 if event.error_declaration is not None else 0)


def ensure(ledger: Any) -> None:
    """Create the table (before a write transaction opens: a migration is its own).

    Not on a read-only ledger: the write that follows says plainly why it cannot.
    """
    if not getattr(ledger, "readonly", False):
        ledger.migrate(COMPONENT, MIGRATIONS)


def record(ledger: Any, rows: Iterable[SourceId]) -> None:
    """Insert the pairs; inside an open transaction (an import's) they join it."""
    todo = list(dict.fromkeys(rows))
    if not todo:
        return
    with ledger._lock:
        conn = ledger.connection
        if conn.in_transaction:
            conn.executemany(_INSERT, todo)
            return
    ensure(ledger)
    with ledger._lock:
        conn = ledger.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(_INSERT, todo)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def present(ledger: Any) -> bool:
    """Whether the ledger has the table (a read-only ledger never got one otherwise)."""
    with ledger._lock:
        row = ledger.connection.execute(
            "SELECT version FROM schema_versions WHERE component = ?", (COMPONENT,)
        ).fetchone()
    return row is not None


def _select(ledger: Any, sql: str, values: Sequence[str]) -> list[tuple[Any, ...]]:
    with ledger._lock:
        return list(select_in(ledger.connection, sql, values))


def source_ids(ledger: Any, keys: Iterable[Key]) -> dict[Key, str]:
    """The source eventID of each of these events that has one."""
    wanted = set(keys)
    if not wanted or not present(ledger):
        return {}
    rows = _select(
        ledger,
        "SELECT event_id, declares_error, source_event_id FROM epcis_ids "
        "WHERE event_id IN ({marks})",
        [k[0] for k in wanted],
    )
    return {(r[0], int(r[1])): r[2] for r in rows if (r[0], int(r[1])) in wanted}


def source_id(ledger: Any, event: Event) -> str | None:
    """The eventID the event came with, when it was not its hash."""
    return source_ids(ledger, [key_of(event)]).get(key_of(event))


def resolve(ledger: Any, ids: Iterable[str]) -> dict[str, str]:
    """Each of these ids that is a source eventID → the ledger's (canonical) eventID.

    Where one source id names both an event and its declaration, the event wins.
    """
    ids = list(ids)
    if not ids or not present(ledger):
        return {}
    rows = _select(
        ledger,
        "SELECT source_event_id, event_id, declares_error FROM epcis_ids "
        "WHERE source_event_id IN ({marks}) ORDER BY declares_error DESC",
        ids,
    )
    return {r[0]: r[1] for r in rows}  # declares_error = 0 read last: it wins


def canonical_ids(ledger: Any, ids: Iterable[str]) -> list[str]:
    """The ledger eventIDs these ids name: a source id resolved, any other id as it is.

    For a `correctiveEventIDs` list written by a partner with their own ids.
    """
    ids = list(ids)
    found = resolve(ledger, ids)
    return [found.get(i, i) for i in ids]
