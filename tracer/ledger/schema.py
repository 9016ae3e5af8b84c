"""Numbered schema migrations, one track per component.

The core ledger owns the "ledger" track; higher layers (recall, quality, ...)
keep their own tables on their own track and apply it with
`Ledger.migrate(component, migrations)`, so no layer needs to know another's
tables and two features never fight over a version number.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICATION_ID = "tracer-ledger"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    sql: str


def _append_only(table: str) -> str:
    msg = (
        f"tracer ledger is append-only: rows of {table} cannot be changed or deleted; "
        "record an errorDeclaration and a corrective event instead"
    )
    return f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{msg}'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{msg}'); END;
"""


LEDGER_MIGRATIONS: tuple[Migration, ...] = (
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
    event_time TEXT NOT NULL,          -- UTC, ISO 8601, sortable
    tz_offset TEXT NOT NULL,
    record_time TEXT NOT NULL,
    biz_step TEXT,
    disposition TEXT,
    read_point TEXT,
    biz_location TEXT,
    operator TEXT,
    station TEXT,
    device TEXT,
    doc TEXT NOT NULL,                 -- the EPCIS 2.0 JSON event, as exported
    chain BLOB NOT NULL                -- sha256(previous chain || row digest)
);
CREATE UNIQUE INDEX events_event_id ON events(event_id, declares_error);
CREATE INDEX events_time ON events(event_time);
CREATE INDEX events_biz_location ON events(biz_location, event_time);
CREATE INDEX events_biz_step ON events(biz_step, event_time);

-- one row per identifier an event names (EPC or class-level id)
CREATE TABLE identifiers (
    seq INTEGER NOT NULL REFERENCES events(seq),
    role TEXT NOT NULL,                -- epc | parent | child | input | output
    id TEXT NOT NULL,
    quantity REAL,
    uom TEXT
);
CREATE INDEX identifiers_id ON identifiers(id, seq);
CREATE INDEX identifiers_seq ON identifiers(seq);

-- sources, destinations and business transactions of an event
CREATE TABLE links (
    seq INTEGER NOT NULL REFERENCES events(seq),
    kind TEXT NOT NULL,                -- source | destination | bizTransaction
    type TEXT,
    id TEXT NOT NULL
);
CREATE INDEX links_id ON links(id, kind);
CREATE INDEX links_seq ON links(seq);

-- which lot an instance-level EPC belongs to, from commissioning ILMD
CREATE TABLE item_lots (
    epc TEXT NOT NULL,
    lot_class TEXT NOT NULL,           -- urn:epc:class:lgtin:...
    seq INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX item_lots_epc ON item_lots(epc);
CREATE INDEX item_lots_lot ON item_lots(lot_class);

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
    quantity REAL,
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
        + _append_only("events")
        + _append_only("identifiers")
        + _append_only("links")
        + _append_only("item_lots"),
    ),
    Migration(
        2,
        "indexes for the ledger browser's read point and operator filters",
        # the browser pages a filter newest first (tracer.ledger.query): an
        # index ordered by (value, seq) finds a page of a rare value at once;
        # without one, a read point or operator seen in few events is a full
        # scan (about 50 s on a 10M-event ledger). Built once: one table scan
        # each (see benchmarks/README.md, Ledger browser filters).
        """
CREATE INDEX events_read_point ON events(read_point);
CREATE INDEX events_operator ON events(operator) WHERE operator IS NOT NULL;
""",
    ),
)
