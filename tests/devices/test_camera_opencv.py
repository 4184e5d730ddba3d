"""The OpenCV camera: a capture thread on a real VideoCapture (a small MJPG file written here), missing
cameras, a camera that stops delivering, and the factory."""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.api import DeviceError, DeviceState, ErrorCode
from devices.camera import opencv
from devices.camera.factory import build_camera
from devices.camera.opencv import OpenCvCamera, parse_source
from devices.camera.sim import SimCamera
from kiosk.core.clock import ManualClock, SystemClock

SIZE = (64, 48)


def write_video(path: Path, frames: int, fps: float = 30) -> Path:
    """An MJPG AVI whose frame i is a flat grey of 40 * i."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, SIZE)
    assert writer.isOpened()
    for i in range(frames):
        writer.write(np.full((SIZE[1], SIZE[0], 3), 40 * i, np.uint8))
    writer.release()
    return path


def wait_until(predicate, seconds: float = 5.0) -> None:
    give_up = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > give_up:
            pytest.fail("the condition never came true")
        time.sleep(0.01)


def capture_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.endswith("-capture")]


@pytest.fixture
def video(tmp_path) -> Path:
    return write_video(tmp_path / "counter.avi", 5)


@pytest.fixture
def camera_on(video):
    cameras = []

    def build(**kwargs) -> OpenCvCamera:
        clock = kwargs.pop("clock", None) or SystemClock()
        camera = OpenCvCamera(str(video), clock, 640, 480, kwargs.pop("fps", 60), **kwargs)
        cameras.append(camera)
        return camera

    yield build
    for camera in cameras:
        camera.close()
    assert not capture_threads()


def test_frames_from_a_video_file_are_bgr_arrays(camera_on):
    camera = camera_on()
    camera.start()
    frame = camera.latest_frame(5)
    assert frame.image.shape == (SIZE[1], SIZE[0], 3)
    assert frame.image.dtype == np.uint8
    assert frame.scene is None
    assert frame.subject is None
    status = camera.status()
    assert status.state is DeviceState.OK
    assert status.detail.startswith("64x48 @ 60 fps, ")
    wait_until(lambda: camera.latest_frame(5).index > frame.index)  # the thread keeps the newest


def test_a_file_loops_by_default(camera_on):
    camera = camera_on()
    camera.start()
    wait_until(lambda: camera.latest_frame(5).index > 12)  # 5 frames in the file
    assert camera.status().state is DeviceState.OK


def test_a_file_that_does_not_loop_ends_clearly(camera_on):
    camera = camera_on(loop=False, clock=ManualClock())  # its waits follow a clock that never moves
    camera.start()
    wait_until(lambda: camera.status().state is DeviceState.FAULT)
    status = camera.status()
    assert (status.fault, status.counters["frames"]) == ("no_frames", 5)
    assert status.detail.endswith("ended after 5 frames")
    with pytest.raises(DeviceError) as info:
        camera.latest_frame(10)  # no waiting for frames that will never come: waiting would never end
    assert (info.value.code, info.value.reason) == (ErrorCode.TIMEOUT, "no_frames")
    assert "ended after 5 frames" in info.value.detail


def test_starts_nest_and_the_last_stop_releases(camera_on):
    camera = camera_on()
    camera.start()
    camera.start()
    camera.stop()
    assert camera.latest_frame(5).image.shape[:2] == (SIZE[1], SIZE[0])
    assert len(capture_threads()) == 1
    camera.stop()
    assert not capture_threads()
    assert camera.status().detail.startswith("stopped")
    with pytest.raises(DeviceError) as info:
        camera.latest_frame(1)
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "stopped")
    camera.stop()  # one stop too many is harmless
    camera.start()  # and it opens again
    assert camera.latest_frame(5).index >= 1


def test_reset_and_close_stop_the_capture(camera_on):
    camera = camera_on()
    camera.start()
    camera.start()
    camera.reset()
    assert not capture_threads()
    camera.start()
    camera.close()
    assert not capture_threads()
    assert camera.status().state is DeviceState.OFFLINE
    with pytest.raises(DeviceError) as info:
        camera.start()
    assert info.value.reason == "closed"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="device nodes are /dev/videoN on Linux")
def test_a_missing_device_index_is_one_clear_line():
    camera = OpenCvCamera(99, SystemClock())
    try:
        status = camera.status()
        assert (status.state, status.fault) == (DeviceState.OFFLINE, "no_camera")
        assert status.detail == "cannot open camera 99: no /dev/video99"
        with pytest.raises(DeviceError) as info:
            camera.start()
        assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "no_camera")
        assert str(info.value) == "camera: not_ready (no_camera): cannot open camera 99: no /dev/video99"
        assert "\n" not in str(info.value)
        with pytest.raises(DeviceError):
            camera.latest_frame(0.1)
    finally:
        camera.close()


def test_a_missing_file_and_a_file_that_is_no_video(tmp_path):
    missing = OpenCvCamera(str(tmp_path / "nope.avi"), SystemClock())
    with pytest.raises(DeviceError) as info:
        missing.start()
    assert info.value.reason == "no_camera"
    assert info.value.detail == f"cannot open {tmp_path / 'nope.avi'}: no such file or device"
    garbage = tmp_path / "garbage.avi"
    garbage.write_bytes(b"this is not a video" * 100)
    broken = OpenCvCamera(str(garbage), SystemClock())
    with pytest.raises(DeviceError) as info:
        broken.start()
    assert (info.value.reason, info.value.detail) == ("no_camera", f"cannot open {garbage}")
    assert broken.status().fault == "no_camera"  # the failed start shows until it opens
    garbage.unlink()
    write_video(garbage, 2)
    broken.reset()
    broken.start()
    assert broken.latest_frame(5).index >= 1
    broken.close()
    missing.close()


class StallingCapture:
    """A live source that delivers ``frames`` frames, then blocks in read() until released."""

    frames = 2

    def __init__(self, source, api, params) -> None:
        self.source = source
        self.settings: dict[int, float] = {}
        self.delivered = 0
        self.stalled = threading.Event()
        self.unblock = threading.Event()
        StallingCapture.last = self

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return True

    def getBackendName(self) -> str:  # noqa: N802
        return "FAKE"

    def set(self, prop: int, value: float) -> bool:
        self.settings[prop] = value
        return True

    def read(self):
        if self.delivered < self.frames:
            self.delivered += 1
            return True, np.zeros((480, 640, 3), np.uint8)
        self.stalled.set()
        self.unblock.wait(10)
        return False, None

    def release(self) -> None:
        self.unblock.set()


def test_a_camera_that_stops_delivering_times_out_and_status_never_blocks(monkeypatch):
    monkeypatch.setattr(opencv.cv2, "VideoCapture", StallingCapture)
    camera = OpenCvCamera("rtsp://camera.example/live", SystemClock(), 1280, 720, 25, stale_after=0.2)
    try:
        camera.start()
        capture = StallingCapture.last
        assert capture.settings == {cv2.CAP_PROP_FRAME_WIDTH: 1280, cv2.CAP_PROP_FRAME_HEIGHT: 720,
                                    cv2.CAP_PROP_FPS: 25}
        assert camera.latest_frame(5).index in (1, 2)
        assert capture.stalled.wait(5)
        asking = ThreadPoolExecutor(1)  # the capture thread sits in read(): status answers anyway
        status = asking.submit(camera.status).result(timeout=30)  # a generous deadline, against a hang only
        asking.shutdown()
        assert not capture.unblock.is_set()  # answered while the read was still stuck
        wait_until(lambda: camera.status().state is DeviceState.FAULT)
        assert camera.status().fault == "no_frames"
        with pytest.raises(DeviceError) as info:
            camera.latest_frame(0.3)
        assert (info.value.code, info.value.reason) == (ErrorCode.TIMEOUT, "no_frames")
        assert info.value.detail.startswith("no new frame from rtsp://camera.example/live for ")
        assert status.counters["frames"] == 2
    finally:
        StallingCapture.last.unblock.set()
        camera.close()
    assert not capture_threads()


def test_sources_parse():
    assert parse_source("0") == 0
    assert parse_source(" 2 ") == 2
    assert parse_source("/dev/video2") == "/dev/video2"
    assert parse_source("rtsp://cam/1") == "rtsp://cam/1"


def test_factory_builds_each_backend(clock, people, video):
    sim = build_camera("sim", clock, people)
    assert isinstance(sim, SimCamera)
    real = build_camera("opencv", clock, people, source=str(video), width=320, height=240, fps=10)
    assert isinstance(real, OpenCvCamera)
    assert (real.source, real.width, real.height, real.fps) == (str(video), 320, 240, 10)
    assert build_camera("opencv", clock, people, source="1").source == 1
    with pytest.raises(ValueError, match="backends: sim, opencv"):
        build_camera("usb", clock, people)
    sim.close()
    real.close()
