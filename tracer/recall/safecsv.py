"""CSV that Excel opens correctly and cannot be turned into a formula attack.

A retailer's name or contact typed as ``=HYPERLINK(...)`` or ``+86 …`` would run
as a formula when the list is opened in a spreadsheet (CSV injection); such
cells get a leading apostrophe. The BOM makes Excel read UTF-8 (Chinese names).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def guard(value: Any) -> Any:
    """Prefix text cells that a spreadsheet would treat as a formula with ``'``."""
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    p = Path(path)
    with p.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([guard(h) for h in header])
        for row in rows:
            writer.writerow([guard("" if v is None else v) for v in row])
    return p
