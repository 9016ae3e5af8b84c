"""Setting up and upgrading a ledger database: what `tracer db` calls.

These run as the ledger's owner; stations connect with a role that may only
read and insert (docs/server.md), so they never change the schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

from tracer.ledger.postgres.connect import connect, explain
from tracer.ledger.postgres.schema import (
    PG_LEDGER_MIGRATIONS,
    current_version,
    is_tracer_ledger,
    migrate,
)
from tracer.ledger.schema import Migration


@dataclass(frozen=True, slots=True)
class SchemaChange:
    before: int  # 0: there was no ledger
    after: int

    @property
    def changed(self) -> bool:
        return self.after != self.before


def init_database(url: str) -> SchemaChange:
    """Create the ledger's tables in an empty database (a no-op on a ledger)."""
    conn = connect(url)
    try:
        if is_tracer_ledger(conn, url):
            have = current_version(conn, "ledger")
            return SchemaChange(have, have)
        return SchemaChange(0, migrate(conn, url, "ledger", PG_LEDGER_MIGRATIONS))
    except psycopg.Error as exc:
        raise explain(exc, url) from exc
    finally:
        conn.close()


def upgrade_database(
    url: str, migrations: Sequence[Migration] = PG_LEDGER_MIGRATIONS
) -> SchemaChange:
    """Apply the ledger migrations the database lacks (creating it if empty)."""
    conn = connect(url)
    try:
        before = current_version(conn, "ledger") if is_tracer_ledger(conn, url) else 0
        return SchemaChange(before, migrate(conn, url, "ledger", migrations))
    except psycopg.Error as exc:
        raise explain(exc, url) from exc
    finally:
        conn.close()


def schema_versions(url: str) -> dict[str, int]:
    """Each component's schema version (empty when there is no ledger)."""
    conn = connect(url, readonly=True)
    try:
        if not is_tracer_ledger(conn, url):
            return {}
        rows = conn.execute("SELECT component, version FROM schema_versions ORDER BY 1")
        return {str(c): int(v) for c, v in rows}
    except psycopg.Error as exc:
        raise explain(exc, url) from exc
    finally:
        conn.close()
