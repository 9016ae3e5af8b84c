"""GB/T 2828.1-2012 / ISO 2859-1:1999 attribute sampling: code letters and single sampling plans.

Table 1 maps lot size and inspection level to a sample-size code letter;
Tables 2-A (normal), 2-B (tightened) and 2-C (reduced) give, for a code
letter and an AQL, the sample size n, the acceptance number Ac and the
rejection number Re — or an arrow: "use the first plan below / above", whose
sample size then applies. The master tables are diagonal: along a row each
step up in AQL is one step along a fixed series of (Ac, Re) plans, and each
letter down starts that series one AQL column earlier. So each table is
written as its series and, per letter, the AQL column of its first plan
(Ac 0), instead of 16 × 26 cells typed by hand; tests/quality check cells
against the published tables.

Table 2-C (reduced, 1999 revision: no gap between Ac and Re any more) has
the normal table's diagonal (A's first plan at 6.5) with the reduced sample
sizes, three arrow columns after the Ac 0 plan instead of two, and its own
series 1/2, 2/3, 3/4, 5/6, 6/7, 8/9, 10/11 (14/15, 21/22 in rows A–E).
Checked cell by cell (tests/quality/test_sampling_table_2c_sources.py)
against two published copies: (1) every letter at AQL 0.010–6.5, own-row
cells and where each arrow leads, against a public ISO 2859-1 reference-data
file (TypeScript `AC_REDUCED` / `RESOLVED_REDUCED`, stated as extracted from
the third edition's Table 4; found through a code index that does not name
its repository): 240 of 240 agree; (2) the plan's sample size in all 26 AQL
columns against ANSI/ASQ Z1.4 Table II-C as coded in the AQLSchemes R
package (github.com/fjgonzalezmgt/AQLSchemesCust, R/AAZ14Single.R): 387 of
416 agree, the 29 others being where ISO 1999 replaced Z1.4's "↓, 0/2" by
"↑, ↓" (source 1 confirms them up to AQL 6.5) and A at AQL 10 (an up arrow
with no row above: the nearest plan below is taken). Not confirmed by an ISO source:
the Ac/Re of the cells at AQL 10–1000 — they follow the series confirmed at
6.5 and below, with Z1.4's sample sizes and arrows, but the ten cells
holding 14/15 and 21/22 (A 1000; B 650, 1000; C 400, 650; D 250, 400;
E 150, 250) were seen in no ISO 1999 copy (Z1.4 has 14/17, 21/24 there).

An arrow means "use the first sampling plan below / above" in the same
column: arrow cells on the way are passed over. Where none exists that way
(row A's up arrows, the last row's down arrows) the nearest plan the other
way is taken.
When n is not less than the lot size, the whole lot is inspected (100 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tracer.errors import TracerError


class Severity(StrEnum):
    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")

AQLS = (0.010, 0.015, 0.025, 0.040, 0.065, 0.10, 0.15, 0.25, 0.40, 0.65, 1.0, 1.5, 2.5,
        4.0, 6.5, 10.0, 15.0, 25.0, 40.0, 65.0, 100.0, 150.0, 250.0, 400.0, 650.0, 1000.0)  # fmt: skip

LETTERS = "ABCDEFGHJKLMNPQRS"  # S: tightened inspection only

# Table 1: (largest lot size of the range, letters for S-1 S-2 S-3 S-4 I II III)
_TABLE_1: tuple[tuple[int, str], ...] = (
    (8, "AAAAAAB"),
    (15, "AAAAABC"),
    (25, "AABBBCD"),
    (50, "ABBCCDE"),
    (90, "BBCCCEF"),
    (150, "BBCDDFG"),
    (280, "BCDEEGH"),
    (500, "BCDEFHJ"),
    (1200, "CCEFGJK"),
    (3200, "CDEGHKL"),
    (10000, "CDFGJLM"),
    (35000, "CDFHKMN"),
    (150000, "DEGJLNP"),
    (500000, "DEGJMPQ"),
    (10**18, "DEHKNQR"),
)

SAMPLE_SIZES: dict[Severity, dict[str, int]] = {
    Severity.NORMAL: dict(zip("ABCDEFGHJKLMNPQR", (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000), strict=True)),
    Severity.TIGHTENED: dict(zip("ABCDEFGHJKLMNPQRS", (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000, 3150), strict=True)),
    Severity.REDUCED: dict(zip("ABCDEFGHJKLMNPQR", (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800), strict=True)),
}  # fmt: skip

UP, DOWN = "up", "down"
Cell = tuple[int, int] | str  # (Ac, Re) or an arrow

# Along a row, from the first plan (d = 0) rightwards: the master tables' series.
_SERIES: dict[Severity, tuple[Cell, ...]] = {
    # 2-A: 0/1, up, down, 1/2, 2/3, 3/4, 5/6, 7/8, 10/11, 14/15, 21/22, (30/31, 44/45 rows A–E)
    Severity.NORMAL: ((0, 1), UP, DOWN, (1, 2), (2, 3), (3, 4), (5, 6), (7, 8), (10, 11),
                      (14, 15), (21, 22), (30, 31), (44, 45)),
    # 2-B: 0/1, down, down, 1/2, 2/3, 3/4, 5/6, 8/9, 12/13, 18/19, (27/28, 41/42 rows A–E)
    Severity.TIGHTENED: ((0, 1), DOWN, DOWN, (1, 2), (2, 3), (3, 4), (5, 6), (8, 9), (12, 13),
                         (18, 19), (27, 28), (41, 42)),
    # 2-C: 0/1, up, up, down, 1/2, 2/3, 3/4, 5/6, 6/7, 8/9, 10/11, (14/15, 21/22 rows A–E)
    # checked against two published copies (module docstring); 14/15, 21/22 unconfirmed
    Severity.REDUCED: ((0, 1), UP, UP, DOWN, (1, 2), (2, 3), (3, 4), (5, 6), (6, 7), (8, 9),
                       (10, 11), (14, 15), (21, 22)),
}  # fmt: skip
# Plans past this index exist only in rows A–E (the AQL > 10 nonconformities region).
_LAST_FOR_ALL_ROWS = {Severity.NORMAL: 10, Severity.TIGHTENED: 9, Severity.REDUCED: 10}
# AQL column (index into AQLS) of each letter's first plan: A at 6.5, one column left per letter.
_FIRST_COLUMN = {Severity.NORMAL: 14, Severity.TIGHTENED: 15, Severity.REDUCED: 14}


class SamplingError(TracerError):
    """Lot size, level or AQL outside the standard's tables."""


@dataclass(frozen=True, slots=True)
class SamplingPlan:
    """A single sampling plan: inspect n items; accept with ≤ Ac nonconforming, reject with ≥ Re."""

    lot_size: int
    level: str
    aql: float
    severity: Severity
    letter: str  # the code letter Table 1 gives for the lot
    plan_letter: str  # the letter whose plan applies after following arrows
    sample_size: int
    accept: int  # Ac
    reject: int  # Re
    whole_lot: bool = False  # n ≥ lot size: inspect every item

    def decide(self, nonconforming: int) -> bool | None:
        """True accept, False reject, None while the count is between (cannot happen for single plans)."""
        if nonconforming <= self.accept:
            return True
        if nonconforming >= self.reject:
            return False
        return None

    def to_json(self) -> dict[str, object]:
        return {
            "lotSize": self.lot_size,
            "level": self.level,
            "aql": self.aql,
            "severity": self.severity.value,
            "codeLetter": self.letter,
            "planLetter": self.plan_letter,
            "sampleSize": self.sample_size,
            "ac": self.accept,
            "re": self.reject,
            "wholeLot": self.whole_lot,
        }


def code_letter(lot_size: int, level: str = "II") -> str:
    """Table 1: the sample-size code letter for a lot of `lot_size` at `level`."""
    if lot_size < 2:
        raise SamplingError(f"lot size {lot_size}: the tables start at 2 items")
    level = _level(level)
    column = LEVELS.index(level)
    for top, letters in _TABLE_1:
        if lot_size <= top:
            return letters[column]
    raise AssertionError("unreachable")


def aql_value(aql: float | str) -> float:
    """One of the standard's AQL values (0.010 … 1000), or an error naming them."""
    value = float(aql)
    for a in AQLS:
        if abs(a - value) < 1e-9:
            return a
    raise SamplingError(
        f"AQL {aql} is not in the tables; use one of {', '.join(f'{a:g}' for a in AQLS)}"
    )


def cell(severity: Severity, letter: str, aql: float) -> Cell | None:
    """The master-table cell for a letter and AQL: (Ac, Re), an arrow, or None (no row)."""
    sizes = SAMPLE_SIZES[severity]
    if letter not in sizes:
        return None
    row = LETTERS.index(letter)
    column = AQLS.index(aql_value(aql))
    if severity is Severity.TIGHTENED and letter == "S":
        return (1, 2) if column == 0 else UP  # row S exists only for AQL 0.010
    d = column - (_FIRST_COLUMN[severity] - row)
    series = _SERIES[severity]
    if d < 0:
        return DOWN
    if d >= len(series):
        return UP
    if d > _LAST_FOR_ALL_ROWS[severity] and row > LETTERS.index("E"):
        return UP
    return series[d]


def plan(
    lot_size: int,
    aql: float | str,
    level: str = "II",
    severity: Severity | str = Severity.NORMAL,
) -> SamplingPlan:
    """The single sampling plan for a lot: code letter, then the master table's plan."""
    sev = Severity(severity)
    value = aql_value(aql)
    letter = code_letter(lot_size, level)
    rows = [x for x in LETTERS if x in SAMPLE_SIZES[sev]]
    start = rows.index(letter)
    found = _follow(sev, rows, start, value)
    if found is None:
        raise SamplingError(f"no plan for letter {letter} at AQL {value:g} ({sev.value})")
    plan_letter, (ac, re) = found
    n = SAMPLE_SIZES[sev][plan_letter]
    whole = n >= lot_size
    return SamplingPlan(
        lot_size=lot_size,
        level=_level(level),
        aql=value,
        severity=sev,
        letter=letter,
        plan_letter=plan_letter,
        sample_size=min(n, lot_size),
        accept=ac,
        reject=re,
        whole_lot=whole,
    )


def _follow(
    sev: Severity, rows: list[str], start: int, aql: float
) -> tuple[str, tuple[int, int]] | None:
    """The first plan the arrow points to, arrows on the way passed over; off the
    table, the nearest plan the other way."""
    first = cell(sev, rows[start], aql)
    if isinstance(first, tuple):
        return rows[start], first
    for direction in (1, -1) if first == DOWN else (-1, 1):
        i = start + direction
        while 0 <= i < len(rows):
            c = cell(sev, rows[i], aql)
            if isinstance(c, tuple):
                return rows[i], c
            i += direction
    return None


def _level(level: str) -> str:
    text = level.strip().upper().replace(" ", "")
    text = {
        "S1": "S-1",
        "S2": "S-2",
        "S3": "S-3",
        "S4": "S-4",
        "1": "I",
        "2": "II",
        "3": "III",
    }.get(text, text)
    if text not in LEVELS:
        raise SamplingError(f"inspection level {level!r}: use one of {', '.join(LEVELS)}")
    return text
