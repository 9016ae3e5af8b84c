"""GS1 EPCIS 2.0 / CBV 2.0 interchange: event hash, JSON-LD and XML documents.

The official schemas and JSON-LD context ship in `tracer/epcis/resources/` so
everything works offline.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(name: str) -> Path:
    """Path of a file shipped in `tracer/epcis/resources/`."""
    return Path(str(resources.files("tracer.epcis").joinpath("resources", name)))
