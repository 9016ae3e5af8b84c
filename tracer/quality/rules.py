"""Alert thresholds and linking windows: defaults, stored per ledger, changed by key.

They live in the ledger's `quality_settings` table, so the main ledger and
every report made from it use the same rules, and a change needs no file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from tracer.ledger import Ledger
from tracer.quality.schema import QUALITY_COMPONENT, QUALITY_MIGRATIONS
from tracer.quality.signal_model import SEVERITIES, SignalError


@dataclass(frozen=True, slots=True)
class Rules:
    """When signals raise an alert, and how signals are linked to lots."""

    lot_count: int = 3  # signals on one lot ...
    lot_window_days: int = 30  # ... within this many days
    product_count: int = 5  # signals on one product, over two lots or more
    product_window_days: int = 30
    input_lot_count: int = 3  # signals on lots made from one supplier input lot
    input_lot_window_days: int = 60
    injury_severity: str = "high"  # an injury report at this severity or above
    failed_spot_check: bool = True  # any failed spot check
    link_window_days: int = 180  # plausible lots: reached the place this long before
    ack_days: int = 3  # a retailer's acknowledgement counts as on time within this
    pass_target: float = 0.92  # provincial spot-check pass-rate goal

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def ensure_tables(ledger: Ledger) -> None:
    ledger.migrate(QUALITY_COMPONENT, QUALITY_MIGRATIONS)


def _coerce(name: str, text: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(Rules)}
    if name not in fields:
        raise SignalError(f"unknown rule '{name}'; rules are: {', '.join(fields)}")
    default = getattr(Rules(), name)
    try:
        if isinstance(default, bool):
            if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(text)
            return text.lower() in ("true", "1", "yes")
        if isinstance(default, int):
            value: Any = int(text)
            if value < 1:
                raise ValueError(text)
            return value
        if isinstance(default, float):
            value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
            if not 0 < value <= 1:
                raise ValueError(text)
            return value
    except ValueError:
        raise SignalError(f"rule {name}: {text!r} is not a valid value") from None
    if name == "injury_severity" and text not in SEVERITIES:
        raise SignalError(f"injury_severity must be one of {', '.join(SEVERITIES)}")
    return text


def load_rules(ledger: Ledger) -> Rules:
    if not ledger.readonly:
        ensure_tables(ledger)
    with ledger._lock:
        try:
            rows = ledger.connection.execute("SELECT key, value FROM quality_settings").fetchall()
        except Exception:  # a read-only ledger without the quality tables: defaults
            rows = []
    known = {f.name for f in dataclasses.fields(Rules)}
    return Rules(**{k: _coerce(k, v) for k, v in rows if k in known})


def set_rules(ledger: Ledger, changes: dict[str, str]) -> Rules:
    """Change rules by name (values as text, as typed); returns the rules now in force."""
    values = {k: _coerce(k, v) for k, v in changes.items()}
    ensure_tables(ledger)
    with ledger._lock:
        conn = ledger.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            for k, v in values.items():
                conn.execute(
                    "INSERT INTO quality_settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (k, str(v).lower() if isinstance(v, bool) else str(v)),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return load_rules(ledger)
