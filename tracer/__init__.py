"""tracer: product traceability and recall."""

__version__ = "0.1.0"
