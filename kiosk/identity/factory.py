"""Builds the face verifier the configuration names, for the composition root.

``[face] matcher = "sim"`` decides from the camera simulator's scene (fast scenarios);
``"face_recognition"`` matches real faces in a worker process and checks liveness; its module (numpy,
OpenCV, the face measures) is imported when the verifier is first used, not while the kiosk starts.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import threading
from typing import TYPE_CHECKING

from devices.api import Cancellation, EventSink
from devices.camera.api import Camera
from kiosk.identity.face import FaceDecision, FaceVerifier, SimulatedFaceVerifier
from kiosk.identity.settings import DEFAULT_EMBEDDER, FaceSettings

if TYPE_CHECKING:
    from kiosk.identity.verifier import FaceRecognitionVerifier

MATCHERS = ("sim", "face_recognition")
NEEDS = ("face_recognition", "face_recognition_models", "dlib", "ai_edge_litert")


def face_recognition_missing() -> str | None:
    """One line naming what the face_recognition matcher lacks, or None when it can run."""
    missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return f"face matcher 'face_recognition' needs {', '.join(missing)} (see scripts/setup.sh)"


def make_face_verifier(matcher: str, threshold: float, review_threshold: float | None = None, *,
                       embedder: str = DEFAULT_EMBEDDER, settings: FaceSettings | None = None) -> FaceVerifier:
    """The verifier for ``matcher``. The face_recognition one starts no process here: call its
    ``start()`` once the first screen is up, and ``close()`` when the kiosk stops."""
    if matcher == "sim":
        return SimulatedFaceVerifier(threshold)
    if matcher == "face_recognition":
        problem = face_recognition_missing()
        if problem is not None:
            raise RuntimeError(problem)
        review = threshold if review_threshold is None else review_threshold
        return DeferredFaceVerifier(dataclasses.replace(settings or FaceSettings(), embedder=embedder,
                                                        threshold=threshold, review_threshold=review))
    raise ValueError(f"unknown face matcher {matcher!r}; allowed: {', '.join(MATCHERS)}")


class DeferredFaceVerifier:
    """A :class:`~kiosk.identity.verifier.FaceRecognitionVerifier` made on first use: by ``start()``,
    which the window calls once the first screen is up, or by the first ``verify()``."""

    def __init__(self, settings: FaceSettings) -> None:
        self.settings = settings
        self._verifier: FaceRecognitionVerifier | None = None
        self._lock = threading.Lock()

    def verifier(self) -> FaceRecognitionVerifier:
        with self._lock:
            if self._verifier is None:
                from kiosk.identity.verifier import FaceRecognitionVerifier

                self._verifier = FaceRecognitionVerifier(self.settings)
            return self._verifier

    def start(self) -> None:
        """Start the worker process in the background (it takes 2-3 s to load its models)."""
        self.verifier().start()

    def close(self) -> None:
        with self._lock:
            verifier = self._verifier
        if verifier is not None:
            verifier.close()

    def verify(self, id_photo: bytes | None, id_number: str, camera: Camera, timeout: float,
               cancel: Cancellation, on_event: EventSink | None = None) -> FaceDecision:
        return self.verifier().verify(id_photo, id_number, camera, timeout, cancel, on_event)
