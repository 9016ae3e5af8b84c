"""Table 2-C (reduced inspection) cell by cell against two independent published copies.

Source 1 — ISO 2859-1 reduced single sampling, AQL 0.010–6.5, every letter A–R:
a public TypeScript reference-data file found through the code index (its
`AC_REDUCED` and `RESOLVED_REDUCED` tables, stated as extracted cell by cell
from the PDF of ISO 2859-1, third edition, Table 4 — the 1999 edition's
Table 2-C; Re = Ac + 1). Transcribed below: each letter's own-row Ac ("."
an arrow) and the plan every cell leads to ("K1": letter K's plan, Ac 1).

Source 2 — ANSI/ASQ Z1.4 (= MIL-STD-105E) Table II-C sample sizes, all 26
AQL columns, arrows already followed: github.com/fjgonzalezmgt/AQLSchemesCust
R/AAZ14Single.R (`ANSIASQSingleReducedss`, from the AQLSchemes R package).
Z1.4 keeps the 1989 reduced plans with a gap (0/2, 1/3, …), so its Ac/Re
are not the ISO 1999 ones; its sample sizes and arrows are, except in the two
columns where ISO 1999 replaced Z1.4's "↓, 0/2" by "↑, ↓" (listed below).
"""

from __future__ import annotations

import pytest

from tracer.quality.sampling import AQLS, LETTERS, SAMPLE_SIZES, Severity, _follow, cell

ROWS = [x for x in LETTERS if x in SAMPLE_SIZES[Severity.REDUCED]]

# Source 1, AQL 0.010 … 6.5 (15 columns): own-row Ac, "." = arrow
OWN_AC = {
    "A": ". . . . . . . . . . . . . . 0",
    "B": ". . . . . . . . . . . . . 0 .",
    "C": ". . . . . . . . . . . . 0 . .",
    "D": ". . . . . . . . . . . 0 . . .",
    "E": ". . . . . . . . . . 0 . . . 1",
    "F": ". . . . . . . . . 0 . . . 1 2",
    "G": ". . . . . . . . 0 . . . 1 2 3",
    "H": ". . . . . . . 0 . . . 1 2 3 5",
    "J": ". . . . . . 0 . . . 1 2 3 5 6",
    "K": ". . . . . 0 . . . 1 2 3 5 6 8",
    "L": ". . . . 0 . . . 1 2 3 5 6 8 10",
    "M": ". . . 0 . . . 1 2 3 5 6 8 10 .",
    "N": ". . 0 . . . 1 2 3 5 6 8 10 . .",
    "P": ". 0 . . . 1 2 3 5 6 8 10 . . .",
    "Q": "0 . . . 1 2 3 5 6 8 10 . . . .",
    "R": ". . . 1 2 3 5 6 8 10 . . . . .",
}
# Source 1: the plan each cell leads to, arrows followed
RESOLVED = {
    "A": "Q0 P0 N0 M0 L0 K0 J0 H0 G0 F0 E0 D0 C0 B0 A0",
    "B": "Q0 P0 N0 M0 L0 K0 J0 H0 G0 F0 E0 D0 C0 B0 A0",
    "C": "Q0 P0 N0 M0 L0 K0 J0 H0 G0 F0 E0 D0 C0 B0 A0",
    "D": "Q0 P0 N0 M0 L0 K0 J0 H0 G0 F0 E0 D0 C0 B0 E1",
    "E": "Q0 P0 N0 M0 L0 K0 J0 H0 G0 F0 E0 D0 C0 F1 E1",
    "F": "Q0 P0 N0 M0 L0 K0 J0 H0 G0 F0 E0 D0 G1 F1 F2",
    "G": "Q0 P0 N0 M0 L0 K0 J0 H0 G0 F0 E0 H1 G1 G2 G3",
    "H": "Q0 P0 N0 M0 L0 K0 J0 H0 G0 F0 J1 H1 H2 H3 H5",
    "J": "Q0 P0 N0 M0 L0 K0 J0 H0 G0 K1 J1 J2 J3 J5 J6",
    "K": "Q0 P0 N0 M0 L0 K0 J0 H0 L1 K1 K2 K3 K5 K6 K8",
    "L": "Q0 P0 N0 M0 L0 K0 J0 M1 L1 L2 L3 L5 L6 L8 L10",
    "M": "Q0 P0 N0 M0 L0 K0 N1 M1 M2 M3 M5 M6 M8 M10 L10",
    "N": "Q0 P0 N0 M0 L0 P1 N1 N2 N3 N5 N6 N8 N10 M10 L10",
    "P": "Q0 P0 N0 M0 Q1 P1 P2 P3 P5 P6 P8 P10 N10 M10 L10",
    "Q": "Q0 P0 N0 R1 Q1 Q2 Q3 Q5 Q6 Q8 Q10 P10 N10 M10 L10",
    "R": "Q0 P0 N0 R1 R2 R3 R5 R6 R8 R10 Q10 P10 N10 M10 L10",
}

# Source 2: Z1.4 reduced sample size of the plan each cell leads to, AQL 0.010 … 1000
Z14_N = {
    "A": "500 315 200 125 80 50 32 20 13 8 5 3 2 2 2 2 2 2 2 2 2 2 2 2 2 2",
    "B": "500 315 200 125 80 50 32 20 13 8 5 3 2 2 2 2 2 2 2 2 2 2 2 2 2 2",
    "C": "500 315 200 125 80 50 32 20 13 8 5 3 2 2 3 2 2 2 2 2 2 2 2 2 2 2",
    "D": "500 315 200 125 80 50 32 20 13 8 5 3 2 5 3 3 3 3 3 3 3 3 3 3 2 2",
    "E": "500 315 200 125 80 50 32 20 13 8 5 3 8 5 5 5 5 5 5 5 5 5 5 3 2 2",
    "F": "500 315 200 125 80 50 32 20 13 8 5 13 8 8 8 8 8 8 8 8 5 5 5 3 2 2",
    "G": "500 315 200 125 80 50 32 20 13 8 20 13 13 13 13 13 13 13 13 8 5 5 5 3 2 2",
    "H": "500 315 200 125 80 50 32 20 13 32 20 20 20 20 20 20 20 20 13 8 5 5 5 3 2 2",
    "J": "500 315 200 125 80 50 32 20 50 32 32 32 32 32 32 32 32 20 13 8 5 5 5 3 2 2",
    "K": "500 315 200 125 80 50 32 80 50 50 50 50 50 50 50 50 32 20 13 8 5 5 5 3 2 2",
    "L": "500 315 200 125 80 50 125 80 80 80 80 80 80 80 80 50 32 20 13 8 5 5 5 3 2 2",
    "M": "500 315 200 125 80 200 125 125 125 125 125 125 125 125 80 50 32 20 13 8 5 5 5 3 2 2",
    "N": "500 315 200 125 315 200 200 200 200 200 200 200 200 125 80 50 32 20 13 8 5 5 5 3 2 2",
    "P": "500 315 200 500 315 315 315 315 315 315 315 315 200 125 80 50 32 20 13 8 5 5 5 3 2 2",
    "Q": "500 315 800 500 500 500 500 500 500 500 500 315 200 125 80 50 32 20 13 8 5 5 5 3 2 2",
    "R": "500 315 800 800 800 800 800 800 800 800 500 315 200 125 80 50 32 20 13 8 5 5 5 3 2 2",
}


def _resolved(letter: str, aql: float) -> tuple[str, tuple[int, int]]:
    found = _follow(Severity.REDUCED, ROWS, ROWS.index(letter), aql)
    assert found is not None
    return found


@pytest.mark.parametrize("letter", ROWS)
def test_own_cells_match_source_1(letter: str) -> None:
    for aql, own in zip(AQLS[:15], OWN_AC[letter].split(), strict=True):
        got = cell(Severity.REDUCED, letter, aql)
        if own == ".":
            assert isinstance(got, str), (letter, aql, got)
        else:
            assert got == (int(own), int(own) + 1), (letter, aql)


@pytest.mark.parametrize("letter", ROWS)
def test_arrows_lead_where_source_1_says(letter: str) -> None:
    for aql, target in zip(AQLS[:15], RESOLVED[letter].split(), strict=True):
        plan_letter, (ac, re) = _resolved(letter, aql)
        assert (plan_letter, ac, re) == (target[0], int(target[1:]), int(target[1:]) + 1)


def _first_plan_column(letter: str) -> int:
    return next(i for i, a in enumerate(AQLS) if cell(Severity.REDUCED, letter, a) == (0, 1))


def test_sample_sizes_match_z14_outside_the_1999_change() -> None:
    """Everywhere but the 2nd and 3rd column after a row's Ac 0 plan, where Z1.4 has
    "↓, 0/2" and ISO 1999 "↑, ↓": there the plan comes from the row above / below.
    One more: A at AQL 10, an up arrow with no row above, which tracer resolves to
    the nearest plan below (D, n = 3) where Z1.4 has its own-row 0/2 (n = 2)."""
    changed = []
    for letter in ROWS:
        first = _first_plan_column(letter) if letter != "R" else -1  # R's is off the edge
        for j, (aql, z_n) in enumerate(zip(AQLS, Z14_N[letter].split(), strict=True)):
            plan_letter, _ = _resolved(letter, aql)
            if SAMPLE_SIZES[Severity.REDUCED][plan_letter] != int(z_n):
                changed.append((letter, j - first))
    expected = {(x, d) for x in ROWS for d in (2, 3)} - {("A", 2), ("A", 3), ("B", 3), ("R", 2)}
    assert set(changed) == expected | {("A", 1)}
    assert len(changed) == 29  # of 416 cells
