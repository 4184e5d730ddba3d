"""Liveness from landmarks: a blink and one movement the kiosk picks at random (turn left, turn right,
nod), each measured against the person's own resting face, not against fixed numbers.

What this stops: a photo held up (it cannot blink or turn on request) and a still or frozen video
frame. What it does not stop: docs/face.md ("What liveness does not stop").
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kiosk.identity.measures import eye_aspect_ratio, head_pose
from kiosk.identity.settings import LivenessSettings

PASSED = "passed"
FAILED = "failed"
BLINK = "blink"
WRONG_MOVE_FACTOR = 1.5  # another movement counts as "wrong" only when this much bigger than a pass


@dataclass(frozen=True)
class Baseline:
    """The person's resting face: open-eye aspect ratio and head pose, medians over good frames."""

    ear: float
    yaw: float
    pitch: float

    @classmethod
    def of(cls, landmarks: Sequence[np.ndarray]) -> Baseline:
        if not landmarks:
            raise ValueError("a baseline needs at least one frame")
        poses = [head_pose(points) for points in landmarks]
        return cls(
            ear=statistics.median(eye_aspect_ratio(points) for points in landmarks),
            yaw=statistics.median(yaw for yaw, _ in poses),
            pitch=statistics.median(pitch for _, pitch in poses),
        )


class BlinkWatch:
    """Passes when the eyes close (eye aspect ratio under ``blink_close`` x the open-eye baseline) and
    open again (over ``blink_open`` x baseline), with the head still facing the camera meanwhile, so a
    bowed head does not count as closed eyes."""

    challenge = BLINK

    def __init__(self, baseline: Baseline, settings: LivenessSettings) -> None:
        self.baseline = baseline
        self.settings = settings
        self.closed = False
        self.lowest = float("inf")  # the smallest eye ratio seen, as a share of the baseline

    def update(self, landmarks: np.ndarray) -> str | None:
        ratio = eye_aspect_ratio(landmarks) / max(self.baseline.ear, 1e-6)
        yaw, pitch = head_pose(landmarks)
        facing = (abs(yaw - self.baseline.yaw) < self.settings.turn
                  and abs(pitch - self.baseline.pitch) < self.settings.nod)
        if facing:
            self.lowest = min(self.lowest, ratio)
        if ratio <= self.settings.blink_close and facing:
            self.closed = True
        elif self.closed and ratio >= self.settings.blink_open:
            return PASSED
        return None


class MoveWatch:
    """Passes when the head turns (yaw) or nods (pitch) far enough from the baseline in the direction
    asked for. In strict mode a clear movement of another kind first fails it: a video that runs
    through every movement does not pass by chance."""

    def __init__(self, challenge: str, baseline: Baseline, settings: LivenessSettings) -> None:
        if challenge not in ("turn_left", "turn_right", "nod"):
            raise ValueError(f"unknown challenge {challenge!r}")
        self.challenge = challenge
        self.baseline = baseline
        self.settings = settings
        self.peak = 0.0  # the largest movement in the asked direction, in pose ratio units

    def movements(self, landmarks: np.ndarray, factor: float = 1.0) -> set[str]:
        """The movements at least ``factor`` times their threshold away from the baseline."""
        yaw, pitch = head_pose(landmarks)
        turned = (yaw - self.baseline.yaw) * (-1 if self.settings.mirrored else 1)
        bowed = pitch - self.baseline.pitch
        found = set()
        if turned >= self.settings.turn * factor:
            found.add("turn_left")  # the nose goes to the image's right: the person's own left
        if turned <= -self.settings.turn * factor:
            found.add("turn_right")
        if abs(bowed) >= self.settings.nod * factor:
            found.add("nod")
        if self.challenge == "nod":
            self.peak = max(self.peak, abs(bowed))
        else:
            self.peak = max(self.peak, turned if self.challenge == "turn_left" else -turned)
        return found

    def update(self, landmarks: np.ndarray) -> str | None:
        if self.challenge in self.movements(landmarks):
            return PASSED
        if self.settings.strict and self.movements(landmarks, WRONG_MOVE_FACTOR) - {self.challenge}:
            return FAILED
        return None


Watch = BlinkWatch | MoveWatch


def watch_for(challenge: str, baseline: Baseline, settings: LivenessSettings) -> Watch:
    if challenge == BLINK:
        return BlinkWatch(baseline, settings)
    return MoveWatch(challenge, baseline, settings)
