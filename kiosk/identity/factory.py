"""Builds the face verifier the configuration names, for the composition root.

``[face] matcher = "sim"`` decides from the camera simulator's scene (fast scenarios);
``"face_recognition"`` matches real faces in a worker process and checks liveness.
"""

from __future__ import annotations

import dataclasses
import importlib.util

from kiosk.identity.face import FaceVerifier, SimulatedFaceVerifier
from kiosk.identity.settings import DEFAULT_EMBEDDER, FaceSettings
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
        return FaceRecognitionVerifier(dataclasses.replace(settings or FaceSettings(), embedder=embedder,
                                                           threshold=threshold, review_threshold=review))
    raise ValueError(f"unknown face matcher {matcher!r}; allowed: {', '.join(MATCHERS)}")
