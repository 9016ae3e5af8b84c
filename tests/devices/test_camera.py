"""Camera driver on generated video: every code found, frames dropped not queued, stalls reported."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from tracer.codes.synthetic import Distortion, frame_with_code
from tracer.devices.base import DeviceError, DeviceState
from tracer.devices.camera import CameraReader
from tracer.devices.registry import open_reader
from tracer.devices.runtime import Backoff
from tracer.devices.sim.collector import Collector

SIZE = (640, 480)
CODES = [
    ("EAN13", "6923456010017", "urn:epc:idpat:sgtin:69234560.01001.*"),
    (
        "GS1-128",
        "(01)06923456010024(10)L260112001",
        "urn:epc:class:lgtin:69234560.01002.L260112001",
    ),
    (
        "GS1 DataMatrix",
        "(01)06934567020017(21)A1001(10)L7",
        "urn:epc:id:sgtin:69345670.02001.A1001",
    ),
]


def blank() -> np.ndarray:
    return np.full((SIZE[1], SIZE[0], 3), 200, np.uint8)


def coded(index: int) -> np.ndarray:
    kind, content, _ = CODES[index]
    frame, _corners = frame_with_code(kind, content, SIZE, Distortion(module_px=2.0))
    return frame


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """blank, code 0 ×2, blank, code 1 ×2, blank, code 2 ×2, blank — 10 frames, MJPG."""
    path = tmp_path_factory.mktemp("video") / "line.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, SIZE)
    for i in range(3):
        writer.write(blank())
        writer.write(coded(i))
        writer.write(coded(i))
    writer.write(blank())
    writer.release()
    return path


def test_video_file_every_code_found_in_order_then_stops(video: Path, collector: Collector) -> None:
    reader = open_reader(str(video))
    assert isinstance(reader, CameraReader) and not reader.realtime
    reader.start(collector.scan, collector.status)
    try:
        collector.wait(lambda: reader.status().state is DeviceState.STOPPED, timeout=20)
    finally:
        reader.stop()
    assert reader.frames_decoded == reader.frames_read == 10 and reader.frames_dropped == 0
    identities = [s.identity for s in collector.scans]
    assert identities == [c[2] for c in CODES for _ in range(2)]
    times = [s.time for s in collector.scans]
    assert times == sorted(times) and all(t.tzinfo for t in times)
    assert collector.scans[1].symbology == "GS1-128" or collector.scans[2].symbology == "GS1-128"
    assert any(m.startswith("end of video") for m in collector.messages())


class FakeCamera:
    """A live camera whose script says, frame by frame, what it delivers."""

    def __init__(self, script: list[Any], opened: bool = True) -> None:
        self.script = script
        self.opened = opened
        self.released = False

    def isOpened(self) -> bool:
        return self.opened

    def read(self) -> tuple[bool, Any]:
        if not self.script:
            return False, None
        step = self.script.pop(0)
        if isinstance(step, float):  # the camera hangs for that long, then gives a blank frame
            time.sleep(step)
            return True, blank()
        if step is None:
            return False, None
        time.sleep(0.01)
        return True, step

    def release(self) -> None:
        self.released = True

    def get(self, prop: int) -> float:
        return 0.0


def test_camera_that_stalls_and_dies_is_reported_and_reopened(collector: Collector) -> None:
    first = FakeCamera([coded(0), 0.6, coded(1), coded(1), None])
    second = FakeCamera([coded(2), coded(2)])
    cameras = iter([first, second, FakeCamera([], opened=False)])
    reader = CameraReader(
        "camera://0", 0, stall=0.2, realtime=False, backoff=Backoff(0.01, limit=0.05),
        capture_factory=lambda: next(cameras),
    )  # fmt: skip
    reader.start(collector.scan, collector.status)
    try:
        collector.wait(lambda: CODES[2][2] in [s.identity for s in collector.scans], timeout=20)
    finally:
        reader.stop()
    found = {s.identity for s in collector.scans}
    assert found == {c[2] for c in CODES}
    messages = collector.messages()
    assert any(m.startswith("no frame from the camera for") for m in messages)
    assert "frames again" in messages
    assert "camera 0 stopped delivering frames" in messages
    assert first.released and reader.status().reconnects == 1


def test_camera_that_cannot_be_opened(collector: Collector) -> None:
    reader = CameraReader(
        "camera://3", 3, backoff=Backoff(0.01), capture_factory=lambda: FakeCamera([], opened=False)
    )
    reader.start(collector.scan, collector.status)
    try:
        collector.wait_state(DeviceState.RECONNECTING)
    finally:
        reader.stop()
    status = next(s for s in collector.statuses if s.state is DeviceState.RECONNECTING)
    assert "camera 3 cannot be opened" in status.message and "'video' group" in status.fix


def test_live_camera_drops_frames_instead_of_queueing(collector: Collector) -> None:
    frames = [coded(0)] * 60
    done = threading.Event()

    class Fast(FakeCamera):
        def read(self) -> tuple[bool, Any]:
            if not self.script:
                done.set()
                time.sleep(0.05)
                return True, blank()
            return True, self.script.pop(0)

    reader = CameraReader("camera://0", 0, capture_factory=lambda: Fast(frames))
    reader.start(collector.scan, collector.status)
    try:
        collector.wait(done.is_set, timeout=20)
    finally:
        reader.stop()
    assert reader.frames_dropped > 0
    assert reader.frames_decoded + reader.frames_dropped <= reader.frames_read
    assert reader.frames_decoded < 60 and collector.scans  # the decoder never fell behind a queue


def test_uri_checks(video: Path) -> None:
    reader = open_reader(f"camera://{video}?backend=zbar&realtime=1")
    assert isinstance(reader, CameraReader) and reader.realtime and reader.source == str(video)
    assert open_reader("camera://1").source == 1  # type: ignore[attr-defined]
    with pytest.raises(DeviceError, match="backend"):
        open_reader("camera://0?backend=opencv")
    missing = open_reader("camera:///nonexistent/video.mp4")
    got = Collector()
    missing.start(got.scan, got.status)
    got.wait_state(DeviceState.UNUSABLE)
    missing.stop()
    assert "cannot read video /nonexistent/video.mp4" in got.messages()


def test_frame_hook_sees_decoded_frames_with_their_symbols(
    video: Path, collector: Collector
) -> None:
    seen: list[tuple[np.ndarray, list[Any], Any]] = []
    reader = CameraReader("camera:///line.avi", str(video), preview_rate=0)  # 0: every frame
    reader.set_frame_hook(lambda frame, symbols, t: seen.append((frame, symbols, t)))
    reader.start(collector.scan, collector.status)
    try:
        collector.wait(lambda: reader.status().state is DeviceState.STOPPED, timeout=20)
    finally:
        reader.stop()
    assert len(seen) == reader.frames_previewed == 10
    assert [len(symbols) for _, symbols, _ in seen] == [0, 1, 1] * 3 + [0]
    frame, symbols, at = seen[1]
    assert frame.shape == (SIZE[1], SIZE[0], 3) and at == collector.scans[0].time
    assert symbols[0].gs1.identity() == CODES[0][2] and len(symbols[0].position) == 4


def test_frame_hook_is_throttled_and_cannot_break_the_camera(collector: Collector) -> None:
    calls: list[float] = []

    def hook(frame: np.ndarray, symbols: list[Any], t: Any) -> None:
        calls.append(time.monotonic())
        raise RuntimeError("preview gone")

    reader = CameraReader(
        "camera://0", 0, realtime=False, preview_rate=10, on_frame=hook,
        capture_factory=lambda: FakeCamera([coded(0)] * 40),
    )  # fmt: skip
    reader.start(collector.scan, collector.status)
    try:
        collector.wait(lambda: reader.frames_decoded >= 40, timeout=20)
    finally:
        reader.stop()
    assert len(collector.scans) == 40  # every frame still decoded and scanned
    assert 1 <= len(calls) < 40 and reader.frames_previewed == len(calls)
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert all(g >= 0.1 for g in gaps)  # ≤ 10 previews a second
    assert any("camera preview failed: preview gone" in m for m in collector.messages())
