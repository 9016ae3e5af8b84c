"""An app over a fresh SQLite ledger, tokens of each scope, and a client for it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tracer.ledger import Ledger
from tracer.server import ServerSettings, create_app
from tracer.server.tokens import add_token


@dataclass
class Served:
    client: TestClient  # no Authorization header: each call says which token
    ledger_path: Path
    read: str
    capture: str

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def serve(path: Path, settings: ServerSettings | None = None) -> Iterator[Served]:
    with Ledger.open(path) as ledger:
        read, _ = add_token(ledger, "read", "test reader")
        capture, _ = add_token(ledger, "capture", "test station")
    app = create_app(str(path), settings)
    with TestClient(app) as client:
        yield Served(client, path, read, capture)


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[Served]:
    yield from serve(
        tmp_path / "server.sqlite", ServerSettings(max_body_bytes=200_000, max_events=50)
    )
