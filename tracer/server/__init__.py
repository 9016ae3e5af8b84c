"""`tracer serve`: the EPCIS 2.0 REST binding over a ledger (SQLite or PostgreSQL).

Starlette for routing, uvicorn to serve; bearer tokens scoped read or
capture, stored hashed in the ledger itself.
"""

from tracer.server.app import ServerSettings, create_app

__all__ = ["ServerSettings", "create_app"]
