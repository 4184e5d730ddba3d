"""Build the document camera a configuration names (for the composition root in kiosk/app).

* ``sim``: :class:`~devices.doccamera.sim.SimDocumentCamera`: QA lays a demo company's licence, a picture or a
  code on the platen;
* ``opencv``: :class:`~devices.doccamera.opencv.OpenCvDocumentCamera`: a UVC document camera (or a video file or
  stream) through OpenCV, on ``source`` at ``width`` x ``height``. A missing camera does not stop the kiosk: its
  status says NOT_READY ``no_camera``, and a flow that reads from it offers typing instead.
"""

from __future__ import annotations

from devices.backends import unknown_backend
from devices.doccamera.api import DocumentCamera
from devices.sim_profiles import People
from kiosk.core.clock import Clock


def build_doccamera(backend: str, clock: Clock, people: People, *, source: int | str = 1, width: int = 1280,
                    height: int = 960, fps: float = 10, name: str = "doccamera") -> DocumentCamera:
    if backend == "sim":
        from devices.doccamera.sim import SimDocumentCamera

        return SimDocumentCamera(clock, people, name, size=(width, height))
    if backend == "opencv":
        from devices.doccamera.opencv import OpenCvDocumentCamera

        return OpenCvDocumentCamera(source, clock, width, height, fps, name)
    raise unknown_backend("doccamera", backend)
