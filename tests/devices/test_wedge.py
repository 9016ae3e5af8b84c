"""Keyboard wedge: scans told from typing by key timing; FNC1 stand-ins restored."""

from __future__ import annotations

from tracer.devices.base import DeviceState, Scan
from tracer.devices.registry import open_reader
from tracer.devices.wedge import GS, BurstDetector, WedgeReader


def type_keys(
    detector: BurstDetector, keys: list[str], start: float, gap: float
) -> tuple[list[str], str]:
    scans: list[str] = []
    typed = ""
    t = start
    for key in keys:
        out = detector.feed(key, t)
        scans += out.scans
        typed += out.typed
        t += gap
    out = detector.poll(t + 1.0)
    return scans + out.scans, typed + out.typed


def test_fast_burst_with_enter_is_a_scan() -> None:
    scans, typed = type_keys(BurstDetector(), [*"6923456010017", "Enter"], 0.0, 0.004)
    assert scans == ["6923456010017"] and typed == ""


def test_slow_typing_is_passed_back_as_text() -> None:
    scans, typed = type_keys(BurstDetector(), [*"lot 42", "Enter"], 0.0, 0.15)
    assert scans == [] and typed == "lot 42\r"


def test_typing_then_scan_then_typing() -> None:
    d = BurstDetector()
    scans, typed = type_keys(d, [*"ab"], 0.0, 0.2)
    s2, t2 = type_keys(d, [*"6923456010017", "Tab"], 10.0, 0.003)
    s3, t3 = type_keys(d, [*"ok"], 20.0, 0.3)
    assert (scans + s2 + s3, typed + t2 + t3) == (["6923456010017"], "abok")


def test_short_fast_burst_is_not_a_scan() -> None:
    scans, typed = type_keys(BurstDetector(min_length=4), ["a", "b", "Enter"], 0.0, 0.002)
    assert scans == [] and typed == "ab\r"


def test_pause_inside_a_burst_splits_it() -> None:
    d = BurstDetector()
    out1 = [d.feed(k, i * 0.003) for i, k in enumerate("692345")]
    out2 = [d.feed(k, 1.0 + i * 0.003) for i, k in enumerate([*"6010017", "Enter"])]
    typed = "".join(o.typed for o in out1 + out2)
    scans = [s for o in out1 + out2 for s in o.scans]
    assert typed == "692345" and scans == ["6010017"]


def test_fnc1_stand_in_and_gs_become_gs() -> None:
    code = "]d2010692345601001721L260105000069~10L260105000"
    scans, _ = type_keys(BurstDetector(fnc1="~"), [*code, "Enter"], 0.0, 0.002)
    assert scans == [code.replace("~", GS)]
    scans, _ = type_keys(
        BurstDetector(), [*"]C1010692345601001710L1", GS, "17260105", "Enter"], 0.0, 0.002
    )
    assert GS in scans[0]


def test_scanner_without_terminator_ends_on_silence() -> None:
    scans, typed = type_keys(BurstDetector(terminator=""), [*"6923456010017"], 0.0, 0.003)
    assert scans == ["6923456010017"] and typed == ""


def test_wedge_reader_hands_parsed_scans_to_the_callback() -> None:
    reader = open_reader("wedge:?gap=0.05&fnc1=~")
    assert isinstance(reader, WedgeReader)
    got: list[Scan] = []
    reader.start(got.append)
    assert reader.status().state is DeviceState.CONNECTED
    code = "]d2010692345601001721L260105000069~10L260105000"
    for i, key in enumerate([*code, "Enter"]):
        assert reader.feed_key(key, i * 0.004) == ""
    assert reader.feed_key("x", 5.0) == "" and reader.poll(6.0) == "x"
    reader.stop()
    assert [s.identity for s in got] == ["urn:epc:id:sgtin:69234560.01001.L260105000069"]
    assert got[0].symbology == "GS1 DataMatrix" and got[0].device == "wedge:?gap=0.05&fnc1=~"
