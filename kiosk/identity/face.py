"""Face verification: is the person before the camera the holder of the ID card?

:class:`SimulatedFaceVerifier` decides from what the camera simulator says it shows (scene and
subject), for fast scenarios; :class:`kiosk.identity.verifier.FaceRecognitionVerifier` matches faces
with face_recognition and checks liveness, behind the same interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from devices.api import Cancellation, DeviceError, ErrorCode, EventSink
from devices.camera.api import Camera

# Why a check ended. "two_faces", "no_face" and "poor_quality" are guidance (the customer can try again
# at once); "no_match" and "liveness_failed" are failed attempts; "no_photo" goes to staff, and so does
# "uncertain": the distance stayed between the match threshold and the review threshold after a second look.
REASONS = ("match", "no_match", "uncertain", "no_face", "two_faces", "poor_quality", "liveness_failed", "no_photo")


@dataclass(frozen=True)
class FaceDecision:
    """What the journal may keep of a face check: no image, no encoding."""

    match: bool
    reason: str  # one of REASONS
    distance: float | None
    threshold: float
    liveness: str  # "passed", "failed", "not_checked"
    faces: int


class FaceVerifier(Protocol):
    def verify(
        self, id_photo: bytes | None, id_number: str, camera: Camera, timeout: float, cancel: Cancellation,
        on_event: EventSink | None = None,
    ) -> FaceDecision:
        """Runs on an engine worker thread. ``on_event`` gets guidance while the check runs:
        ``DeviceEvent("camera", "face_guidance", {"code", "box", "challenge"})`` (kiosk/identity/quality.py
        lists the codes; ``box`` is [x, y, w, h] as shares of the frame, or None)."""
        ...


class SimulatedFaceVerifier:
    """Decides from the camera simulator's scene: the holder passes, anyone else fails."""

    def __init__(self, threshold: float = 0.5, frames: int = 3) -> None:
        self.threshold = threshold
        self.frames = frames

    def verify(
        self, id_photo: bytes | None, id_number: str, camera: Camera, timeout: float, cancel: Cancellation,
        on_event: EventSink | None = None,
    ) -> FaceDecision:
        if id_photo is None:
            return FaceDecision(False, "no_photo", None, self.threshold, "not_checked", 0)
        camera.start()
        try:
            frame = None
            for _ in range(self.frames):
                if cancel.cancelled:
                    raise DeviceError("camera", ErrorCode.CANCELLED, "cancelled")
                frame = camera.latest_frame(timeout)
        finally:
            camera.stop()
        assert frame is not None
        scene = frame.scene or "nobody"
        subject = getattr(frame, "subject", None)
        if scene == "nobody":
            return FaceDecision(False, "no_face", None, self.threshold, "not_checked", 0)
        if scene == "two_people":
            return FaceDecision(False, "two_faces", None, self.threshold, "not_checked", 2)
        if scene == "photo":
            return FaceDecision(False, "liveness_failed", None, self.threshold, "failed", 1)
        if subject == id_number:
            return FaceDecision(True, "match", 0.38, self.threshold, "passed", 1)
        return FaceDecision(False, "no_match", 0.74, self.threshold, "passed", 1)
