"""Quality gates: is this frame's face good enough to compare? Each failure has a guidance code the
screen and the voice turn into a request to the customer (catalog ``face.guide.<code>``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiosk.identity.measures import Box, head_pose
from kiosk.identity.settings import QualitySettings

# Guidance codes, in the order they are checked.
NO_FACE = "no_face"
TWO_FACES = "two_faces"
TOO_FAR = "too_far"
TOO_CLOSE = "too_close"
OFF_CENTRE = "off_centre"
TOO_DARK = "too_dark"
TOO_BRIGHT = "too_bright"
BLURRED = "blurred"
LOOK_STRAIGHT = "look_straight"
CHECKING = "checking"  # a good face: matching runs
CHALLENGE = "challenge"  # the customer is asked to move (the event's "challenge" says how)
SECOND_LOOK = "second_look"  # the first frames were not conclusive: matching looks once more
GUIDANCE_CODES = (NO_FACE, TWO_FACES, TOO_FAR, TOO_CLOSE, OFF_CENTRE, TOO_DARK, TOO_BRIGHT, BLURRED,
                  LOOK_STRAIGHT, CHECKING, SECOND_LOOK, CHALLENGE)


@dataclass(frozen=True)
class FaceObservation:
    """What the worker found in one frame: every face, and for the tracked one its steadied box, the
    68 landmarks and two image measures. Pixel coordinates of the full frame."""

    faces: tuple[Box, ...] = ()
    box: Box | None = None
    landmarks: np.ndarray | None = None  # 68x2 float
    sharpness: float = 0.0
    brightness: float = 0.0

    @property
    def count(self) -> int:
        return len(self.faces)


def quality_problem(seen: FaceObservation, size: tuple[int, int], gates: QualitySettings) -> str | None:
    """The first reason this frame's face cannot be used, as a guidance code; None when it can."""
    if seen.count == 0 or seen.box is None or seen.landmarks is None:
        return NO_FACE
    if seen.count > 1:
        return TWO_FACES
    width, height = size
    x, y, w, h = seen.box
    if w < gates.min_face * width:
        return TOO_FAR
    if w > gates.max_face * width:
        return TOO_CLOSE
    margin = gates.edge_margin * width
    if x < margin or y < margin or x + w > width - margin or y + h > height - margin:
        return OFF_CENTRE
    if seen.brightness < gates.min_brightness:
        return TOO_DARK
    if seen.brightness > gates.max_brightness:
        return TOO_BRIGHT
    if seen.sharpness < gates.min_sharpness:
        return BLURRED
    yaw, pitch = head_pose(seen.landmarks)
    if abs(yaw) > gates.max_yaw or not gates.min_pitch <= pitch <= gates.max_pitch:
        return LOOK_STRAIGHT
    return None


def frontality(seen: FaceObservation) -> float:
    """1 for a face looking straight at the camera, less the more it turns (for choosing frames)."""
    if seen.landmarks is None:
        return 0.0
    yaw, pitch = head_pose(seen.landmarks)
    return max(0.0, 1.0 - 2 * abs(yaw) - 2 * abs(pitch - 0.3))
