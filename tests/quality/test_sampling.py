"""GB/T 2828.1 / ISO 2859-1 tables: cells checked against the published master tables."""

from __future__ import annotations

import pytest

from tracer.quality.sampling import (
    DOWN,
    UP,
    SamplingError,
    Severity,
    cell,
    code_letter,
    plan,
)


@pytest.mark.parametrize(
    ("lot", "level", "letter"),
    [
        (2, "II", "A"), (8, "III", "B"), (9, "II", "B"), (51, "S-1", "B"), (100, "II", "F"),
        (150, "I", "D"), (281, "S-4", "E"), (500, "II", "H"), (1000, "II", "J"), (1201, "III", "L"),
        (10000, "S-3", "F"), (35001, "I", "L"), (500000, "II", "P"), (500001, "II", "Q"),
        (10**7, "III", "R"), (10**7, "S-1", "D"),
    ],
)  # fmt: skip
def test_table_1_code_letters(lot: int, level: str, letter: str) -> None:
    assert code_letter(lot, level) == letter


@pytest.mark.parametrize(
    ("letter", "aql", "expected"),
    [
        # Table 2-A, normal: the 0/1 diagonal, the up/down arrows beside it, rows of plans
        ("A", 6.5, (0, 1)), ("A", 10, UP), ("A", 15, DOWN), ("A", 25, (1, 2)), ("A", 1000, (30, 31)),
        ("B", 1000, (44, 45)), ("C", 1000, UP), ("E", 250, (44, 45)), ("F", 100, UP),
        ("F", 0.65, (0, 1)), ("F", 1.0, UP), ("F", 1.5, DOWN), ("F", 2.5, (1, 2)), ("F", 10, (5, 6)),
        ("J", 2.5, (5, 6)), ("J", 15, (21, 22)), ("K", 0.65, (2, 3)), ("K", 10, (21, 22)),
        ("K", 15, UP), ("Q", 0.010, (0, 1)), ("Q", 1.0, (21, 22)), ("Q", 1.5, UP), ("R", 0.010, UP),
        ("R", 0.65, (21, 22)),
    ],
)  # fmt: skip
def test_table_2a_normal_cells(letter: str, aql: float, expected: object) -> None:
    assert cell(Severity.NORMAL, letter, aql) == expected


@pytest.mark.parametrize(
    ("letter", "aql", "expected"),
    [
        # Table 2-B, tightened: shifted one AQL column; 8/9, 12/13, 18/19 instead of 7/8, 10/11, 14/15
        ("F", 1.0, (0, 1)), ("F", 1.5, DOWN), ("F", 2.5, DOWN), ("F", 4.0, (1, 2)), ("F", 15, (5, 6)),
        ("G", 15, (8, 9)), ("H", 15, (12, 13)), ("K", 0.65, (1, 2)), ("K", 6.5, (12, 13)),
        ("K", 10, (18, 19)), ("K", 15, UP), ("R", 0.010, (0, 1)), ("S", 0.010, (1, 2)),
    ],
)  # fmt: skip
def test_table_2b_tightened_cells(letter: str, aql: float, expected: object) -> None:
    assert cell(Severity.TIGHTENED, letter, aql) == expected


@pytest.mark.parametrize(
    ("lot", "aql", "severity", "n", "ac", "re"),
    [
        (1000, 2.5, "normal", 80, 5, 6),  # J: the textbook example
        (100, 4.0, "normal", 20, 2, 3),
        (100, 1.0, "normal", 13, 0, 1),  # F at 1.0: up arrow → E's plan, n = 13
        (100, 1.5, "normal", 32, 1, 2),  # F at 1.5: down arrow → G's plan, n = 32
        (2000, 0.15, "normal", 80, 0, 1),  # K at 0.15: up arrow → J
        (2000, 0.65, "tightened", 125, 1, 2),
        (100, 2.5, "tightened", 32, 1, 2),
        (3000, 1.0, "reduced", 50, 2, 3),  # K reduced (Table 2-C): n = 50, 2/3
    ],
)  # fmt: skip
def test_plans(lot: int, aql: float, severity: str, n: int, ac: int, re: int) -> None:
    p = plan(lot, aql, "II", severity)
    assert (p.sample_size, p.accept, p.reject) == (n, ac, re)
    assert p.decide(ac) is True and p.decide(re) is False


def test_reduced_sample_sizes_are_smaller() -> None:
    for lot in (500, 5000, 50000):
        normal = plan(lot, 1.0, "II", "normal")
        reduced = plan(lot, 1.0, "II", "reduced")
        assert reduced.sample_size < normal.sample_size
    # where the arrows lead to the same plan, reduced is never larger
    assert plan(50, 1.0, "II", "reduced").sample_size <= plan(50, 1.0).sample_size


def test_small_lot_is_inspected_whole() -> None:
    p = plan(5, 10, "II")
    assert p.whole_lot and p.sample_size == 5


def test_bad_inputs_say_what_is_allowed() -> None:
    with pytest.raises(SamplingError, match=r"0\.65"):
        plan(100, 0.7)
    with pytest.raises(SamplingError, match="S-1"):
        plan(100, 1.0, "IV")
    with pytest.raises(SamplingError, match="start at 2"):
        plan(1, 1.0)
