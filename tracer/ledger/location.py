"""Where a ledger lives when the user does not say."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def default_ledger_path() -> Path:
    return Path(platformdirs.user_data_dir("tracer", appauthor=False)) / "ledger.sqlite"
