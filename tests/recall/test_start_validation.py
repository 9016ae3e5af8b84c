from __future__ import annotations

import pytest

from tracer.recall.start import TraceError, parse_start


def test_mistyped_gtin_check_digit_is_refused() -> None:
    with pytest.raises(TraceError, match="check digit is 4, expected 5"):
        parse_start("06956789002014/M2601190001")
    assert parse_start("06956789002015/M2601190001").is_lot
