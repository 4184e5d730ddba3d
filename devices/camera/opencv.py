"""The real camera: OpenCV VideoCapture on a device index, a video file or a stream URL.

``start()`` opens the source (asking for the configured width, height and frame rate; a camera may
deliver another size, which :meth:`OpenCvCamera.status` then shows) and starts a capture thread that
keeps only the newest frame. Starts nest as in the simulator: every ``start()`` needs one ``stop()``;
the source is released when the last start is stopped. The capture thread owns the VideoCapture and
releases it when it ends, so a read never races a release.

Sources: an ``int`` (or a string of digits) is a device index (``/dev/videoN`` on Linux); anything
else goes to VideoCapture as it is (``/dev/video2``, ``/srv/demo.avi``, ``rtsp://...``). A video
file is played at the configured frame rate, like a camera would deliver it; at its end it starts
over (``loop=True``, the default) or, with ``loop=False``, ends: ``latest_frame`` then fails at once
with TIMEOUT ``no_frames`` ("the video file ended after N frames").

Errors (DeviceError, device ``camera``): the source cannot be opened -> NOT_READY ``no_camera`` with
one line naming the source; no frame arrives within the call's timeout, or the newest frame is older
than ``stale_after`` seconds (the camera stopped delivering) -> TIMEOUT ``no_frames``; not started ->
NOT_READY ``stopped``; closed -> NOT_READY ``closed``.

:meth:`status` never blocks: it reads what the capture thread last saw (and, before a start, only
checks that a device node or file is there).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

import cv2

from devices.api import DeviceError, DeviceState, DeviceStatus, ErrorCode
from devices.camera.api import Frame
from kiosk.core.clock import Clock
from kiosk.core.digits import ascii_digits

log = logging.getLogger(__name__)

STALE_AFTER = 2.0  # seconds without a new frame before the camera counts as not delivering
READ_RETRY = 0.05  # pause after a failed read of a live source
WAIT_SLICE = 0.01
JOIN_TIMEOUT = 3.0
OPEN_TIMEOUT_MS = 5000  # streams: how long FFmpeg may take to connect, and to deliver one frame
NO_CAMERA = "no_camera"
NO_FRAMES = "no_frames"


def parse_source(source: int | str) -> int | str:
    """A device index as int (``"0"`` -> 0); paths and URLs unchanged."""
    if isinstance(source, str) and ascii_digits(source.strip()):
        return int(source.strip())
    return source


def describe_source(source: int | str) -> str:
    return f"camera {source}" if isinstance(source, int) else str(source)


@dataclass
class _Capture:
    """What one capture thread shares with the camera (guarded by the camera's lock)."""

    frame: Frame | None = None
    started_at: float = 0.0  # time.monotonic() of the start (real time: the hardware's rhythm)
    received_at: float = 0.0  # time.monotonic() of the newest frame
    frames: int = 0
    ended: str | None = None  # why no frame will come any more ("the video file ended after 12 frames")
    size: tuple[int, int] | None = None


class OpenCvCamera:
    def __init__(self, source: int | str, clock: Clock, width: int = 640, height: int = 480, fps: float = 15,
                 name: str = "camera", *, loop: bool = True, stale_after: float = STALE_AFTER) -> None:
        self.name = name
        self.source = parse_source(source)
        self.clock = clock
        self.width, self.height, self.fps = width, height, fps
        self.loop = loop
        self.stale_after = stale_after
        self._lock = threading.Lock()  # held for state changes only, never during I/O
        self._control = threading.Lock()  # one start/stop/reset/close at a time
        self._frame_ready = threading.Condition(self._lock)
        self._starts = 0
        self._closed = False
        self._open_error: str | None = None  # one line: why the last start could not open the source
        self._capture = _Capture()
        self._stop_event = threading.Event()
        self._thread: threading.Thread | None = None

    # -- Camera ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start capturing; the first start opens the source (NOT_READY ``no_camera`` if it cannot)."""
        with self._control:
            with self._lock:
                if self._closed:
                    raise self._error(ErrorCode.NOT_READY, "closed", "the camera was closed")
                if self._starts > 0:
                    self._starts += 1
                    return
            try:
                capture = self._open()
            except DeviceError as exc:
                with self._lock:
                    self._open_error = exc.detail
                raise
            self._launch(capture)

    def stop(self) -> None:
        """Balance one start(); the last one stops the capture thread and releases the source."""
        with self._control:
            with self._lock:
                if self._starts == 0:
                    return
                self._starts -= 1
                if self._starts > 0:
                    return
            self._halt()

    def latest_frame(self, timeout: float) -> Frame:
        """The newest frame; waits up to ``timeout`` (on the injected clock) for a fresh one."""
        deadline = self.clock.monotonic() + max(timeout, 0.0)
        with self._lock:
            while True:
                self._check_started()
                capture = self._capture
                if capture.ended is not None:
                    raise self._error(ErrorCode.TIMEOUT, NO_FRAMES, capture.ended)
                if capture.frame is not None and time.monotonic() - capture.received_at <= self.stale_after:
                    return capture.frame
                if self.clock.monotonic() >= deadline:
                    raise self._error(ErrorCode.TIMEOUT, NO_FRAMES, self._silence(capture, timeout))
                self._frame_ready.wait(WAIT_SLICE)

    # -- Device ------------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        with self._lock:
            capture = self._capture
            counters = {"frames": capture.frames}
            if self._closed:
                return DeviceStatus(self.name, DeviceState.OFFLINE, "closed", "closed", counters)
            if self._starts == 0:
                missing = self._open_error or self._missing()
                if missing:
                    return DeviceStatus(self.name, DeviceState.OFFLINE, NO_CAMERA, missing, counters)
                return DeviceStatus(self.name, DeviceState.OK, None, f"stopped, {describe_source(self.source)}",
                                    counters)
            if capture.ended is not None:
                return DeviceStatus(self.name, DeviceState.FAULT, NO_FRAMES, capture.ended, counters)
            last = capture.received_at if capture.frame is not None else capture.started_at
            if time.monotonic() - last > self.stale_after:
                return DeviceStatus(self.name, DeviceState.FAULT, NO_FRAMES, self._silence(capture, None), counters)
            if capture.frame is None:
                return DeviceStatus(self.name, DeviceState.OK, None, f"starting, {describe_source(self.source)}",
                                    counters)
            width, height = capture.size or (0, 0)
            detail = f"{width}x{height} @ {self.fps:g} fps, {describe_source(self.source)}"
            return DeviceStatus(self.name, DeviceState.OK, None, detail, counters)

    def reset(self) -> None:
        """Staff servicing: stop capturing whatever the starts, forget errors; the next start reopens."""
        with self._control:
            with self._lock:
                self._starts = 0
                self._open_error = None
            self._halt()

    def close(self) -> None:
        with self._control:
            with self._lock:
                self._closed = True
                self._starts = 0
            self._halt()

    # -- opening and the capture thread ------------------------------------------------------
    def _open(self) -> Any:
        where = describe_source(self.source)
        missing = self._missing()
        if missing:
            raise self._error(ErrorCode.NOT_READY, NO_CAMERA, missing)
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, OPEN_TIMEOUT_MS, cv2.CAP_PROP_READ_TIMEOUT_MSEC, OPEN_TIMEOUT_MS]
        capture = cv2.VideoCapture(self.source, cv2.CAP_ANY, params)
        if not capture.isOpened():
            capture.release()
            raise self._error(ErrorCode.NOT_READY, NO_CAMERA, f"cannot open {where}")
        if not self._is_file():
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            capture.set(cv2.CAP_PROP_FPS, self.fps)
        log.info("%s: opened %s (%s)", self.name, where, capture.getBackendName())
        return capture

    def _missing(self) -> str | None:
        """One line when the source cannot be there at all (no device node, no file); None otherwise."""
        if isinstance(self.source, int):
            node = f"/dev/video{self.source}"
            if sys.platform.startswith("linux") and not os.path.exists(node):
                return f"cannot open camera {self.source}: no {node}"
            return None
        if "://" not in self.source and not os.path.exists(self.source):
            return f"cannot open {self.source}: no such file or device"
        return None

    def _is_file(self) -> bool:
        return isinstance(self.source, str) and os.path.isfile(self.source)

    def _launch(self, capture: Any) -> None:
        stop = threading.Event()
        state = _Capture(started_at=time.monotonic())
        thread = threading.Thread(target=self._run, args=(capture, state, stop), name=f"{self.name}-capture",
                                  daemon=True)
        with self._lock:
            self._open_error = None
            self._capture, self._stop_event, self._thread = state, stop, thread
            self._starts = 1
        thread.start()

    def _halt(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            self._stop_event.set()
        if thread is not None:
            thread.join(JOIN_TIMEOUT)
            if thread.is_alive():
                log.warning("%s: the capture thread is still in a read; it releases the source when it returns",
                            self.name)

    def _run(self, capture: Any, state: _Capture, stop: threading.Event) -> None:
        """The capture thread: read, keep the newest frame, pace files, notice the end of a file."""
        is_file = self._is_file()
        period = 1.0 / self.fps if is_file and self.fps > 0 else 0.0
        since_rewind = 0
        try:
            while not stop.is_set():
                ok, image = capture.read()
                if ok:
                    since_rewind += 1
                    self._keep(state, image)
                    if period:
                        stop.wait(period)
                    continue
                if not is_file:
                    stop.wait(READ_RETRY)  # a live source that did not deliver: try again, status shows the gap
                    continue
                if self.loop and since_rewind and capture.set(cv2.CAP_PROP_POS_FRAMES, 0):
                    since_rewind = 0
                    continue
                with self._lock:
                    state.ended = f"the video file {self.source} ended after {state.frames} frames"
                    self._frame_ready.notify_all()
                return
        finally:
            capture.release()

    def _keep(self, state: _Capture, image: Any) -> None:
        with self._lock:
            state.frames += 1
            state.frame = Frame(image=image, timestamp=self.clock.monotonic(), index=state.frames)
            state.received_at = time.monotonic()
            state.size = (int(image.shape[1]), int(image.shape[0]))
            self._frame_ready.notify_all()

    # -- helpers -----------------------------------------------------------------------------
    def _check_started(self) -> None:
        if self._closed:
            raise self._error(ErrorCode.NOT_READY, "closed", "the camera was closed")
        if self._starts == 0:
            raise self._error(ErrorCode.NOT_READY, "stopped", "start() the camera first")

    def _silence(self, capture: _Capture, timeout: float | None) -> str:
        where = describe_source(self.source)
        if capture.frame is None:
            waited = f" within {timeout:g} s" if timeout is not None else " yet"
            return f"no frame from {where}{waited}"
        return f"no new frame from {where} for {time.monotonic() - capture.received_at:.1f} s"

    def _error(self, code: ErrorCode, reason: str, detail: str = "") -> DeviceError:
        return DeviceError(self.name, code, reason, detail)
