"""Framers are pure: bytes in, frames and faults out, a good frame never lost to a bad one."""

from __future__ import annotations

import pytest

from tracer.devices.base import DeviceError
from tracer.devices.framing import Frame, FrameFault, LineFramer, is_text, suffix_bytes
from tracer.devices.rdm6300 import Rdm6300Framer, checksum, encode_frame


def frames(events: list[Frame | FrameFault]) -> list[bytes]:
    return [e.payload for e in events if isinstance(e, Frame)]


def faults(events: list[Frame | FrameFault]) -> list[str]:
    return [e.message for e in events if isinstance(e, FrameFault)]


def test_line_framer_splits_codes_split_across_reads() -> None:
    f = LineFramer(b"\r")
    out = f.feed(b"]C10106923456010017\r]E069234", 0.0) + f.feed(b"56010017\r", 0.01)
    assert frames(out) == [b"]C10106923456010017", b"]E06923456010017"]
    assert [e.symbology for e in out if isinstance(e, Frame)] == ["GS1-128", "EAN13"]


def test_line_framer_crlf_and_prefix() -> None:
    f = LineFramer(b"\r\n", b"\x02")
    assert frames(f.feed(b"\x026923456010017\r\n\x02ABC\r\n", 0.0)) == [b"6923456010017", b"ABC"]


def test_line_framer_cr_setting_tolerates_crlf_scanner() -> None:
    f = LineFramer(b"\r")
    assert frames(f.feed(b"6923456010017\r\n6923456010024\r\n", 0.0)) == [
        b"6923456010017",
        b"6923456010024",
    ]


def test_gs_inside_data_is_kept() -> None:
    f = LineFramer(b"\r")
    assert frames(f.feed(b"]d20106923456010017211234\x1d10L1\r", 0.0)) == [
        b"]d20106923456010017211234\x1d10L1"
    ]


def test_garbage_line_is_a_fault_and_the_next_code_survives() -> None:
    f = LineFramer(b"\r")
    out = f.feed(b"\xf3\x81\x00\x9a\xfe\r6923456010017\r", 0.0)
    assert frames(out) == [b"6923456010017"]
    assert "garbage" in faults(out)[0]


def test_half_code_then_silence_is_dropped_not_glued() -> None:
    f = LineFramer(b"\r", frame_timeout=0.2)
    assert f.feed(b"]C10106923", 0.0) == []
    assert "half a code" in faults(f.idle(0.5))[0]
    assert frames(f.feed(b"6923456010017\r", 0.6)) == [b"6923456010017"]


def test_bytes_read_late_are_not_a_gap() -> None:
    """A busy machine reads the rest of a code late: that is not silence on the line."""
    f = LineFramer(b"\r", frame_timeout=0.2)
    f.feed(b"69234560", 0.0)
    out = f.feed(b"10017\r", 0.5)  # no idle() in between: no empty read was seen
    assert frames(out) == [b"6923456010017"] and faults(out) == []
    assert f.idle(0.1) == []  # silence shorter than the frame timeout drops nothing


def test_line_without_end_is_bounded() -> None:
    f = LineFramer(b"\r", max_length=64)
    out = f.feed(b"A" * 100, 0.0)
    assert faults(out) and frames(f.feed(b"6923456010017\r", 0.01)) == [b"6923456010017"]


def test_suffix_names() -> None:
    assert suffix_bytes("crlf") == b"\r\n"
    with pytest.raises(DeviceError, match="unknown suffix"):
        suffix_bytes("semicolon")
    with pytest.raises(DeviceError):
        LineFramer(b"")


def test_is_text() -> None:
    assert is_text("]d2010\x1d10 Ünïcode".encode())
    assert not is_text(b"\xff\xfe")
    assert not is_text(b"ab\x00cd")


# -- RDM6300 -------------------------------------------------------------------------


def test_rdm6300_frame_layout() -> None:
    frame = encode_frame("0A1B2C3D4E")
    assert frame[0] == 0x02 and frame[-1] == 0x03 and len(frame) == 14
    assert frame[1:11] == b"0A1B2C3D4E"
    assert (
        int(frame[11:13], 16)
        == 0x0A ^ 0x1B ^ 0x2C ^ 0x3D ^ 0x4E
        == checksum(bytes.fromhex("0A1B2C3D4E"))
    )


def test_rdm6300_good_frames_byte_by_byte() -> None:
    f = Rdm6300Framer()
    data = encode_frame("0A1B2C3D4E") + encode_frame("C37311D8A3")
    out = [e for i, b in enumerate(data) for e in f.feed(bytes([b]), i * 0.001)]
    assert frames(out) == [bytes.fromhex("0A1B2C3D4E"), bytes.fromhex("C37311D8A3")]
    assert faults(out) == []


def test_rdm6300_bad_checksum_dropped_neighbours_kept() -> None:
    f = Rdm6300Framer()
    out = f.feed(
        encode_frame("0A1B2C3D4E")
        + encode_frame("C37311D8A3", bad_checksum=True)
        + encode_frame("A735BF992D"),
        0.0,
    )
    assert frames(out) == [bytes.fromhex("0A1B2C3D4E"), bytes.fromhex("A735BF992D")]
    assert "bad checksum on card C37311D8A3" in faults(out)[0]


def test_rdm6300_garbage_and_half_frames() -> None:
    f = Rdm6300Framer()
    good = encode_frame("0A1B2C3D4E")
    out = f.feed(b"\x81\xff\x10" + good[:6] + good + b"\x99" * 5 + good, 0.0)
    assert frames(out) == [bytes.fromhex("0A1B2C3D4E")] * 2
    messages = faults(out) + faults(f.idle(1.0))
    assert any("garbage" in m for m in messages)
    assert any("half a card frame" in m for m in messages)


def test_rdm6300_frame_with_wrong_end_or_non_hex() -> None:
    f = Rdm6300Framer()
    broken_end = encode_frame("0A1B2C3D4E")[:-1] + b"\x04"
    non_hex = b"\x02" + b"0A1B2C3D4Z" + b"00" + b"\x03"
    out = f.feed(broken_end + non_hex + encode_frame("0A1B2C3D4E"), 0.0)
    assert frames(out) == [bytes.fromhex("0A1B2C3D4E")]
    assert len(faults(out)) == 2
