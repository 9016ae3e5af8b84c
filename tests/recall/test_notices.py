"""Per-retailer notices: bilingual PDF letter (text + image) and a parseable .eml."""

from __future__ import annotations

import email
import shutil
import subprocess
from email import policy
from pathlib import Path

import pytest

from tracer.ledger import Ledger
from tracer.recall import campaign_progress, open_campaign
from tracer.recall.notices import write_notices

from .scenario import GTIN_P, R1, build_scenario


@pytest.fixture(scope="module")
def notices(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], int]:
    base = tmp_path_factory.mktemp("notices")
    with Ledger.open(build_scenario(base / "s.sqlite")) as ledger:
        open_campaign(
            ledger,
            [(GTIN_P, "P1")],
            reason="小零件易脱落 small parts detach",
            hazard="high",
            action="return",
            instructions="退回华东配送中心 Return to DC D",
            campaign_id="RC-N-1",
        )
        paths = write_notices(ledger, "RC-N-1", base / "out", mark_notified=True)
        notified = campaign_progress(ledger, "RC-N-1").notified
    return base / "out", paths, notified


def test_one_letter_and_one_email_per_target(notices: tuple[Path, list[Path], int]) -> None:
    _out, paths, notified = notices
    assert len(paths) == 8 and notified == 4
    assert {p.suffix for p in paths} == {".pdf", ".eml"}


def test_letter_is_bilingual_with_lots_quantities_and_contact(
    notices: tuple[Path, list[Path], int],
) -> None:
    from pypdf import PdfReader

    out, _, _ = notices
    pdf = out / f"RC-N-1_{R1.gln}.pdf"
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    for expected in (
        "产品召回通知",
        "Product Recall Notice",
        "RC-N-1",
        "玩具P",
        "Toy P",
        "P1",
        "退回",
        "return",
        "0571-88000002",
        "qa2@example.cn",
        "Shop R1",
    ):
        assert expected in text, expected
    # R1 received one case: 8 units of lot P1
    assert "8" in text.split("P1", 1)[1][:40]
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "letter")], check=True)
        assert next(out.glob("letter*.png")).stat().st_size > 5000


def test_eml_is_utf8_with_pdf_attached(notices: tuple[Path, list[Path], int]) -> None:
    out, _, _ = notices
    msg = email.message_from_bytes(
        (out / f"RC-N-1_{R1.gln}.eml").read_bytes(), policy=policy.default
    )
    assert "RC-N-1" in msg["Subject"] and "产品召回通知" in msg["Subject"]
    assert msg["To"] == R1.email
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "玩具P（GTIN" in body and "8 units" in body and "Dear 王伟" in body
    attachments = list(msg.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/pdf"]
    assert attachments[0].get_content().startswith(b"%PDF")
