"""Build the camera a configuration names (for the composition root in kiosk/app).

* ``sim``: :class:`~devices.camera.sim.SimCamera`, QA chooses who stands before the kiosk;
* ``opencv``: :class:`~devices.camera.opencv.OpenCvCamera` on ``source`` (device index, device path,
  video file or stream URL) at ``width`` x ``height``, ``fps``. A missing camera does not stop the
  kiosk: its status says NOT_READY ``no_camera`` in one line, and so does ``start()``.
"""

from __future__ import annotations

from devices.backends import unknown_backend
from devices.camera.api import Camera
from devices.sim_profiles import People
from kiosk.core.clock import Clock


def build_camera(backend: str, clock: Clock, people: People, *, source: int | str = 0, width: int = 640,
                 height: int = 480, fps: float = 15, loop: bool = True, name: str = "camera") -> Camera:
    if backend == "sim":
        from devices.camera.sim import SimCamera

        return SimCamera(clock, people, name)
    if backend == "opencv":
        from devices.camera.opencv import OpenCvCamera

        return OpenCvCamera(source, clock, width, height, fps, name, loop=loop)
    raise unknown_backend("camera", backend)
