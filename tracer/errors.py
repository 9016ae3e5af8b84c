"""The one exception family users see: each carries a plain message, never a traceback."""

from __future__ import annotations


class TracerError(Exception):
    """A problem the user can act on; the CLI prints it and exits non-zero."""

    exit_code = 1


class LedgerError(TracerError):
    """The ledger file cannot be used as asked (not a ledger, locked, read-only, full)."""


class SchemaVersionError(LedgerError):
    """The ledger was written by a newer tracer."""


class TamperError(LedgerError):
    """A row was changed, removed or inserted outside tracer."""

    exit_code = 3


class CodeError(TracerError):
    """A scanned or typed item code is not a valid GS1 / EPC code; the message says
    which Application Identifier or which digit is wrong, so the operator can rescan."""
