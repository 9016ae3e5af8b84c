"""The quality component's own tables: a cache of the ledger's signal events.

Signals and their follow-ups are events in the ledger; these tables index
them (with the lots each signal is linked to) for listing and alert rules,
and `tracer.quality.store.rebuild` re-derives them from the events at will.
`quality_settings` holds the alert thresholds (configuration, not history).
"""

from __future__ import annotations

from tracer.ledger.schema import Migration

QUALITY_COMPONENT = "quality"

QUALITY_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "quality signals, their lots and follow-ups (derived from events); alert settings",
        """
CREATE TABLE quality_sync (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL
);
CREATE TABLE quality_signals (
    signal_id TEXT PRIMARY KEY,        -- the signal event's eventID
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    event_time TEXT NOT NULL,          -- UTC, as events.event_time
    day TEXT NOT NULL,                 -- the reported date (ISO)
    severity TEXT NOT NULL,            -- current: the last assessment's, else reported
    reported_severity TEXT NOT NULL,
    result TEXT,                       -- spot checks: pass | fail
    gtin TEXT,                         -- GTIN-14
    lot TEXT,
    serial TEXT,
    place TEXT,
    place_sgln TEXT,
    reporter TEXT,
    description TEXT,
    status TEXT NOT NULL,              -- new | assessed | dismissed | escalated
    status_time TEXT,
    campaign TEXT,
    payload TEXT NOT NULL              -- JSON: the tracer:signal member
);
CREATE INDEX quality_signals_time ON quality_signals(event_time);
CREATE INDEX quality_signals_gtin ON quality_signals(gtin, lot);
CREATE TABLE quality_signal_lots (
    signal_id TEXT NOT NULL REFERENCES quality_signals(signal_id),
    gtin TEXT NOT NULL,
    lot TEXT NOT NULL,
    basis TEXT NOT NULL,               -- stated | item | assessed | plausible
    PRIMARY KEY (signal_id, gtin, lot)
);
CREATE INDEX quality_signal_lots_lot ON quality_signal_lots(gtin, lot);
CREATE TABLE quality_followups (
    seq INTEGER PRIMARY KEY,
    signal_id TEXT NOT NULL,
    action TEXT NOT NULL,              -- assessed | dismissed | escalated
    event_time TEXT NOT NULL,
    by_ TEXT,
    note TEXT,
    severity TEXT,
    campaign TEXT,
    payload TEXT NOT NULL
);
CREATE INDEX quality_followups_signal ON quality_followups(signal_id);
CREATE TABLE quality_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
""",
    ),
)
