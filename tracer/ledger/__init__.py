"""The ledger: an append-only, hash-chained store of EPCIS 2.0 events.

SQLite-only SQL stays inside this package, so a PostgreSQL backend can sit
behind the same interface.
"""

from tracer.ledger.ledger import AppendResult, Ledger, StoredEvent
from tracer.ledger.query import EventQuery
from tracer.ledger.verify import VerifyReport, verify

__all__ = ["AppendResult", "EventQuery", "Ledger", "StoredEvent", "VerifyReport", "verify"]
