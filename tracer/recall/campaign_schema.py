"""The recall component's own tables: derived from the ledger's recall events.

Every campaign change is an EPCIS event in the ledger (append-only, merged
across laptops like any other event); these tables are a cache of those
events for listing and progress queries, rebuilt at will by
`tracer.recall.campaign_store.rebuild_campaigns`.
"""

from __future__ import annotations

from tracer.ledger.schema import Migration

RECALL_COMPONENT = "recall"

RECALL_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "recall campaigns, their targets and actions (derived from recall events)",
        """
CREATE TABLE recall_campaigns (
    campaign_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,              -- open | closed
    reason TEXT NOT NULL,
    hazard TEXT NOT NULL,              -- high | medium | low
    remedy TEXT NOT NULL,              -- return | destroy | repair
    instructions TEXT,
    opened_at TEXT NOT NULL,           -- UTC, as events.event_time
    opened_by TEXT,
    opened_seq INTEGER NOT NULL,
    closed_at TEXT,
    issuer_sgln TEXT,
    contact TEXT,                      -- JSON: name, phone, email of the recall desk
    lots TEXT NOT NULL,                -- JSON: lots as requested (GTIN/LOT)
    affected_lots TEXT NOT NULL        -- JSON: every affected lot (through transformations)
);
CREATE TABLE recall_targets (
    campaign_id TEXT NOT NULL REFERENCES recall_campaigns(campaign_id),
    sgln TEXT NOT NULL,
    gln TEXT,
    name TEXT,
    name_zh TEXT,
    kind TEXT,
    region TEXT,
    city TEXT,
    address TEXT,
    contact TEXT,
    phone TEXT,
    email TEXT,
    units_shipped REAL NOT NULL DEFAULT 0,  -- received there (shipments + receipts)
    units_forwarded REAL NOT NULL DEFAULT 0,  -- shipped on to other locations
    units_sold REAL NOT NULL DEFAULT 0,
    units_on_hand REAL NOT NULL DEFAULT 0,
    by_lot TEXT,                       -- JSON: lot class -> units received
    notified_at TEXT,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    units_returned REAL NOT NULL DEFAULT 0,
    units_destroyed REAL NOT NULL DEFAULT 0,
    units_repaired REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, sgln)
);
CREATE INDEX recall_targets_region ON recall_targets(campaign_id, region);
CREATE TABLE recall_actions (
    campaign_id TEXT NOT NULL,
    seq INTEGER NOT NULL,              -- the ledger event that recorded it
    action TEXT NOT NULL,              -- open | notified | acknowledged | returned | destroyed | repaired | closed
    sgln TEXT,
    lot_class TEXT NOT NULL DEFAULT '',
    quantity REAL,
    at TEXT NOT NULL,
    by_whom TEXT,
    note TEXT,
    PRIMARY KEY (seq, action, lot_class)
);
CREATE INDEX recall_actions_campaign ON recall_actions(campaign_id, at);
CREATE TABLE recall_sync (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL          -- ledger events up to here are in the tables
);
""",
    ),
)
