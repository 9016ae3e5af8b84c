"""Worked values of GB/T 2828.1-2012 / ISO 2859-1:1999 Tables 2-A, 2-B and 2-C.

Each case is a lot size (inspection level II unless said), an AQL and the
plan read off the printed master table by hand: the code letter from
Table 1, then the cell, following any arrow to the first plan below or
above it in the same column, whose sample size then applies.
"""

from __future__ import annotations

import pytest

from tracer.quality.sampling import DOWN, UP, Severity, cell, plan

# (lot, AQL, level, code letter, plan letter, n, Ac, Re)
NORMAL = [
    (300, 1.0, "II", "H", "H", 50, 1, 2),
    (300, 2.5, "II", "H", "H", 50, 3, 4),
    (300, 4.0, "II", "H", "H", 50, 5, 6),
    (300, 6.5, "II", "H", "H", 50, 7, 8),
    (300, 0.65, "II", "H", "J", 80, 1, 2),  # down arrow
    (300, 0.40, "II", "H", "G", 32, 0, 1),  # up arrow
    (200, 2.5, "II", "G", "G", 32, 2, 3),
    (200, 1.5, "II", "G", "G", 32, 1, 2),
    (2000, 1.0, "II", "K", "K", 125, 3, 4),
    (2000, 0.10, "II", "K", "K", 125, 0, 1),
    (5000, 1.5, "II", "L", "L", 200, 7, 8),
    (5000, 2.5, "II", "L", "L", 200, 10, 11),
    (5000, 4.0, "II", "L", "L", 200, 14, 15),
    (20000, 0.65, "II", "M", "M", 315, 5, 6),
    (100000, 0.40, "II", "N", "N", 500, 5, 6),
    (1000, 10, "I", "G", "G", 32, 7, 8),
]

TIGHTENED = [
    (2000, 1.0, "II", "K", "K", 125, 2, 3),
    (2000, 0.65, "II", "K", "K", 125, 1, 2),
    (2000, 0.15, "II", "K", "K", 125, 0, 1),
    (2000, 0.25, "II", "K", "M", 315, 1, 2),  # down, down
    (5000, 2.5, "II", "L", "L", 200, 8, 9),
    (5000, 1.5, "II", "L", "L", 200, 5, 6),
    (1000, 2.5, "II", "J", "J", 80, 3, 4),
    (300, 6.5, "II", "H", "H", 50, 5, 6),
    (300, 4.0, "II", "H", "H", 50, 3, 4),
    (200, 2.5, "II", "G", "G", 32, 1, 2),
    (20000, 0.65, "II", "M", "M", 315, 3, 4),
]

REDUCED = [
    (2000, 0.10, "II", "K", "K", 50, 0, 1),
    (2000, 0.15, "II", "K", "J", 32, 0, 1),  # up arrow
    (2000, 0.25, "II", "K", "H", 20, 0, 1),  # up arrow, then J's up arrow
    (2000, 0.40, "II", "K", "L", 80, 1, 2),  # down arrow
    (2000, 0.65, "II", "K", "K", 50, 1, 2),
    (2000, 1.0, "II", "K", "K", 50, 2, 3),
    (2000, 1.5, "II", "K", "K", 50, 3, 4),
    (2000, 2.5, "II", "K", "K", 50, 5, 6),
    (2000, 4.0, "II", "K", "K", 50, 6, 7),
    (2000, 6.5, "II", "K", "K", 50, 8, 9),
    (2000, 10, "II", "K", "K", 50, 10, 11),
    (1000, 2.5, "II", "J", "J", 32, 3, 4),
    (5000, 1.5, "II", "L", "L", 80, 5, 6),
    (5000, 6.5, "II", "L", "L", 80, 10, 11),
    (20000, 6.5, "II", "M", "L", 80, 10, 11),  # past 10/11: up arrow
    (100000, 0.65, "II", "N", "N", 200, 5, 6),
    (100, 4.0, "II", "F", "F", 8, 1, 2),
    (100, 0.65, "II", "F", "F", 8, 0, 1),
    (100, 1.0, "II", "F", "E", 5, 0, 1),  # up arrow
    (10**6, 0.010, "III", "R", "Q", 500, 0, 1),  # R's up arrow
    (10**6, 0.040, "III", "R", "R", 800, 1, 2),
    (10**6, 0.025, "III", "R", "N", 200, 0, 1),  # down arrow off the table: nearest above
    (8, 10, "II", "A", "D", 3, 1, 2),  # up arrows off the table: nearest below
]


@pytest.mark.parametrize(
    ("severity", "case"),
    [("normal", c) for c in NORMAL]
    + [("tightened", c) for c in TIGHTENED]
    + [("reduced", c) for c in REDUCED],
)
def test_worked_plans(severity: str, case: tuple) -> None:  # type: ignore[type-arg]
    lot, aql, level, letter, plan_letter, n, ac, re = case
    p = plan(lot, aql, level, severity)
    got = (p.letter, p.plan_letter, p.sample_size, p.accept, p.reject)
    assert got == (letter, plan_letter, n, ac, re)


@pytest.mark.parametrize(
    ("letter", "aql", "expected"),
    [
        # the Ac 0 diagonal is the normal table's, at the reduced sample sizes
        ("A", 6.5, (0, 1)), ("B", 4.0, (0, 1)), ("C", 2.5, (0, 1)), ("D", 1.5, (0, 1)),
        ("K", 0.10, (0, 1)), ("Q", 0.010, (0, 1)), ("R", 0.010, UP),
        # three arrow columns after it, then the reduced series
        ("K", 0.15, UP), ("K", 0.25, UP), ("K", 0.40, DOWN), ("K", 0.65, (1, 2)),
        ("K", 4.0, (6, 7)), ("K", 6.5, (8, 9)), ("K", 10, (10, 11)), ("K", 15, UP),
        ("A", 40, (1, 2)), ("A", 650, (10, 11)), ("A", 1000, (14, 15)), ("B", 1000, (21, 22)),
        ("C", 1000, UP), ("E", 250, (21, 22)), ("F", 100, UP), ("M", 6.5, UP),
        ("R", 0.040, (1, 2)), ("R", 0.65, (10, 11)), ("R", 1.0, UP),
    ],
)  # fmt: skip
def test_table_2c_reduced_cells(letter: str, aql: float, expected: object) -> None:
    assert cell(Severity.REDUCED, letter, aql) == expected


def test_reduced_never_gaps_and_never_samples_more_than_normal() -> None:
    from tracer.quality.sampling import AQLS

    for lot in (10, 100, 1000, 5000, 50000, 10**6):
        for aql in AQLS[:19]:
            r, n = plan(lot, aql, "II", "reduced"), plan(lot, aql, "II", "normal")
            assert r.reject == r.accept + 1
            assert r.sample_size <= n.sample_size or r.whole_lot, (lot, aql)
