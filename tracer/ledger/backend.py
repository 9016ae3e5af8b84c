"""One ledger interface, two backends: an SQLite file or a PostgreSQL server.

Commands and higher layers that only use `LedgerBackend` work on both;
`open_ledger` picks the backend from what the user typed (`--ledger`,
$TRACER_LEDGER): a `postgresql://` URL or a file path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

from tracer.ledger.ledger import AppendResult, Ledger, StoredEvent
from tracer.ledger.query import EventQuery
from tracer.ledger.schema import Migration
from tracer.ledger.verify import VerifyReport
from tracer.model import Event

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


@runtime_checkable
class LedgerBackend(Protocol):
    """What every ledger offers, whatever stores it."""

    readonly: bool
    _lock: Any  # one connection per ledger, shared by threads: hold it around each use

    @property
    def path(self) -> Any:
        """Where it lives, for messages (a file path, or a URL without password)."""

    @property
    def connection(self) -> Any:
        """DB-API-like access with `?` placeholders, for portable read queries."""

    def close(self) -> None: ...

    def __enter__(self) -> LedgerBackend: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def migrate(self, component: str, migrations: Iterable[Migration]) -> int: ...

    def append(
        self,
        events: Sequence[Event],
        *,
        record_time: datetime | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> AppendResult: ...

    def has_event(self, event_id: str) -> bool: ...

    def count(self) -> int: ...

    def get(self, seq: int) -> StoredEvent | None: ...

    def events(self, query: EventQuery | None = None) -> Iterator[StoredEvent]: ...

    def event_count(self, query: EventQuery | None = None) -> int: ...

    def stats(self) -> dict[str, Any]: ...


def is_server_url(value: str | Path) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(POSTGRES_SCHEMES)


def open_ledger(url_or_path: str | Path, *, readonly: bool = False) -> LedgerBackend:
    """The SQLite `Ledger` for a path, the PostgreSQL `PgLedger` for a URL."""
    if is_server_url(url_or_path):
        from tracer.ledger.postgres import PgLedger  # psycopg only when asked for

        return PgLedger.open(str(url_or_path).strip(), readonly=readonly)
    return Ledger.open(url_or_path, readonly=readonly)


def verify_ledger(
    ledger: LedgerBackend, *, progress: Callable[[int], None] | None = None
) -> VerifyReport:
    """Walk the hash chain of either backend."""
    if isinstance(ledger, Ledger):
        from tracer.ledger.verify import verify

        with ledger._lock:
            return verify(ledger.connection, progress=progress)
    return ledger.verify(progress=progress)  # type: ignore[attr-defined,no-any-return]
