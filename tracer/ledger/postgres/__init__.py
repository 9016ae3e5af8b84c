"""The ledger on a PostgreSQL server: many stations, one hash chain.

PostgreSQL-only SQL stays inside this package; the shared interface is
`tracer.ledger.backend.LedgerBackend`.
"""

from tracer.ledger.postgres.connect import is_postgres_url, safe_url
from tracer.ledger.postgres.ledger import PgLedger

__all__ = ["PgLedger", "is_postgres_url", "safe_url"]
