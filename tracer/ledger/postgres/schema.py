"""The ledger's tables in PostgreSQL, on the same numbered version tracks.

Columns match the SQLite schema (`tracer.ledger.schema`) one for one and
hold the same values, so a row's digest — and so the hash chain — is
computed the same way on both backends. Times stay ISO 8601 UTC text of one
fixed shape (`2026-03-01T09:00:00.000Z`), which sorts as time does in any
collation; columns keep the database's default collation so the trace's
TEMP tables and recursive queries can join them. `doc` stays text because
the digest covers its exact bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

import psycopg

from tracer.errors import LedgerError, SchemaVersionError
from tracer.ledger.postgres.connect import explain, safe_url
from tracer.ledger.schema import APPLICATION_ID, Migration

# advisory-lock namespace for schema changes (the chain uses its own key)
_MIGRATE_LOCK = "tracer.migrate."

_APPEND_ONLY_FUNCTION = """
CREATE FUNCTION tracer_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tracer ledger is append-only: rows of % cannot be changed or deleted; '
        'record an errorDeclaration and a corrective event instead', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
"""


def _append_only(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION tracer_append_only();
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION tracer_append_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION tracer_append_only();
"""


PG_LEDGER_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "events, identifiers, links, lots of items, master data",
        """
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    declares_error INTEGER NOT NULL DEFAULT 0,
    event_type TEXT NOT NULL,
    action TEXT,
    event_time TEXT NOT NULL,
    tz_offset TEXT NOT NULL,
    record_time TEXT NOT NULL,
    biz_step TEXT,
    disposition TEXT,
    read_point TEXT,
    biz_location TEXT,
    operator TEXT,
    station TEXT,
    device TEXT,
    doc TEXT NOT NULL,
    chain BYTEA NOT NULL
);
CREATE UNIQUE INDEX events_event_id ON events(event_id, declares_error);
CREATE INDEX events_time ON events(event_time);
CREATE INDEX events_biz_location ON events(biz_location, event_time);
CREATE INDEX events_read_point ON events(read_point, event_time);
CREATE INDEX events_biz_step ON events(biz_step, event_time);

CREATE TABLE identifiers (
    seq INTEGER NOT NULL REFERENCES events(seq),
    role TEXT NOT NULL,
    id TEXT NOT NULL,
    quantity DOUBLE PRECISION,
    uom TEXT
);
CREATE INDEX identifiers_id ON identifiers(id, seq);
CREATE INDEX identifiers_seq ON identifiers(seq);

CREATE TABLE links (
    seq INTEGER NOT NULL REFERENCES events(seq),
    kind TEXT NOT NULL,
    type TEXT,
    id TEXT NOT NULL
);
CREATE INDEX links_id ON links(id, kind);
CREATE INDEX links_seq ON links(seq);

CREATE TABLE item_lots (
    epc TEXT NOT NULL,
    lot_class TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX item_lots_epc ON item_lots(epc);
CREATE INDEX item_lots_lot ON item_lots(lot_class);

-- the chain head after each batch, insert-only (SQLite keeps it in tracer_meta):
-- lets verify see that last rows were removed, and keeps stations INSERT/SELECT-only
CREATE TABLE chain_heads (
    seq INTEGER PRIMARY KEY,
    chain BYTEA NOT NULL
);

CREATE TABLE products (
    gtin TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_zh TEXT,
    spec TEXT,
    standard TEXT,
    brand TEXT,
    producer_gln TEXT,
    unit TEXT,
    attributes TEXT
);
CREATE TABLE lots (
    gtin TEXT NOT NULL,
    lot TEXT NOT NULL,
    production_date TEXT,
    expiry_date TEXT,
    quantity DOUBLE PRECISION,
    location_gln TEXT,
    PRIMARY KEY (gtin, lot)
);
CREATE TABLE locations (
    gln TEXT PRIMARY KEY,
    sgln TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_zh TEXT,
    kind TEXT NOT NULL,
    address TEXT,
    region TEXT,
    city TEXT,
    contact TEXT,
    phone TEXT,
    email TEXT,
    party_gln TEXT,
    attributes TEXT
);
CREATE INDEX locations_kind ON locations(kind, region);
CREATE TABLE parties (
    gln TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_zh TEXT,
    role TEXT
);
CREATE TABLE stations (
    name TEXT PRIMARY KEY,
    location_gln TEXT,
    biz_step TEXT,
    disposition TEXT,
    destination_gln TEXT,
    device TEXT
);
CREATE TABLE operators (
    name TEXT PRIMARY KEY,
    pin_hash TEXT,
    role TEXT
);
"""
        + _APPEND_ONLY_FUNCTION
        + _append_only("events")
        + _append_only("identifiers")
        + _append_only("links")
        + _append_only("item_lots")
        + _append_only("chain_heads"),
    ),
)

_BOOTSTRAP = f"""
CREATE TABLE IF NOT EXISTS tracer_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
INSERT INTO tracer_meta VALUES ('application', '{APPLICATION_ID}') ON CONFLICT DO NOTHING;
"""


def tables(conn: psycopg.Connection) -> set[str]:
    """Tables visible in the connection's current schema."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchall()
    return {r[0] for r in rows}


def is_tracer_ledger(conn: psycopg.Connection, url: str) -> bool:
    """True for a tracer ledger, False for an empty schema; refuse anything else."""
    found = tables(conn)
    if not found:
        return False
    if "tracer_meta" not in found:
        raise LedgerError(
            f"the database {safe_url(url)} holds other tables "
            f"({', '.join(sorted(found)[:5])}) but no tracer ledger; use an empty database"
        )
    row = conn.execute("SELECT value FROM tracer_meta WHERE key = 'application'").fetchone()
    if not row or row[0] != APPLICATION_ID:
        raise LedgerError(f"the database {safe_url(url)} is not a tracer ledger")
    return True


def current_version(conn: psycopg.Connection, component: str) -> int:
    row = conn.execute(
        "SELECT version FROM schema_versions WHERE component = %s", (component,)
    ).fetchone()
    return int(row[0]) if row else 0


def check_version(
    conn: psycopg.Connection, url: str, component: str, migrations: Iterable[Migration]
) -> int:
    """The schema version, or a plain error when it is not the one this tracer knows."""
    known = max((m.version for m in migrations), default=0)
    have = current_version(conn, component)
    if have > known:
        raise SchemaVersionError(
            f"{safe_url(url)} was written by a newer tracer: its '{component}' schema is "
            f"version {have}, this tracer knows up to version {known}; upgrade tracer"
        )
    if have < known:
        raise SchemaVersionError(
            f"{safe_url(url)} has the '{component}' schema at version {have}, this tracer "
            f"needs version {known}: run `tracer db upgrade URL` as the ledger's owner"
        )
    return have


def migrate(
    conn: psycopg.Connection, url: str, component: str, migrations: Iterable[Migration]
) -> int:
    """Apply the migrations the database lacks, one transaction each.

    An advisory lock keeps two stations starting at once from racing to
    create the same tables.
    """
    steps = sorted(migrations, key=lambda m: m.version)
    known = steps[-1].version if steps else 0
    try:
        with conn.transaction():
            conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s || current_schema(), 0))",
                (_MIGRATE_LOCK,),
            )
            conn.execute(_BOOTSTRAP)
        have = current_version(conn, component)
        if have > known:
            raise SchemaVersionError(
                f"{safe_url(url)} was written by a newer tracer: its '{component}' schema is "
                f"version {have}, this tracer knows up to version {known}; upgrade tracer"
            )
        for m in steps:
            with conn.transaction():
                conn.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%s || current_schema(), 0))",
                    (_MIGRATE_LOCK,),
                )
                if current_version(conn, component) >= m.version:
                    continue  # another process applied it meanwhile
                conn.execute(m.sql.encode())  # bytes: '%' in SQL is not a placeholder
                conn.execute(
                    "INSERT INTO schema_versions VALUES (%s, %s) ON CONFLICT (component) "
                    "DO UPDATE SET version = excluded.version",
                    (component, m.version),
                )
    except psycopg.Error as exc:
        raise explain(exc, url) from exc
    return max(have, known)
