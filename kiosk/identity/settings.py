"""The face check's settings: the match threshold, the quality gates and the liveness checks.

The defaults were chosen from measurements on this project's test photos (docs/face.md,
docs/decisions/0006-face-threshold.md). Config sets the threshold; the rest are engineering values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_EMBEDDER = "mobilefacenet"
# Face distance at or under which two faces match, per embedder, and the upper edge of the uncertain
# band above it: a distance in the band gets a second look, and staff when it stays there
# (docs/decisions/0006-face-threshold.md).
DEFAULT_THRESHOLDS = {"mobilefacenet": 0.80, "dlib": 0.55}
DEFAULT_REVIEW_THRESHOLDS = {"mobilefacenet": 1.10, "dlib": 0.55}
DEFAULT_THRESHOLD = DEFAULT_THRESHOLDS[DEFAULT_EMBEDDER]
CHALLENGES = ("turn_left", "turn_right", "nod")


@dataclass(frozen=True)
class QualitySettings:
    """Gates a frame must pass before its face is used. Sizes are shares of the frame width."""

    min_face: float = 0.19  # about 120 px at 640: smaller faces are asked to come closer
    max_face: float = 0.65
    edge_margin: float = 0.01  # a face box this close to the frame's edge is cut off
    min_sharpness: float = 25.0  # Laplacian variance of the face scaled to 128 px
    min_brightness: float = 60.0  # mean grey of the middle of the face
    max_brightness: float = 205.0
    max_yaw: float = 0.3  # head_pose ratios: about 25 degrees to either side
    min_pitch: float = 0.15
    max_pitch: float = 0.45


@dataclass(frozen=True)
class LivenessSettings:
    blink_close: float = 0.8  # eyes count as closed below this share of the person's own open-eye ratio
    blink_open: float = 0.9  # ... and open again above this share
    turn: float = 0.08  # yaw ratio change that counts as a turn
    nod: float = 0.05  # pitch ratio change that counts as a nod
    challenge_s: float = 6.0  # time for each movement, in real seconds
    challenges: tuple[str, ...] = CHALLENGES
    strict: bool = True  # a clear movement other than the one asked for fails the check
    mirrored: bool = False  # the camera delivers mirrored frames: left and right swap
    still_frames: int = 12  # this many frames in a row without any change: a still image, not a person
    still_level: float = 0.25  # mean grey difference under which two frames count as unchanged
    lost_frames: int = 10  # the face may vanish this many frames in a row during the movements
    recheck_s: float = 3.0  # time to find a frontal frame after the movements for the last comparison


@dataclass(frozen=True)
class FaceSettings:
    embedder: str = DEFAULT_EMBEDDER  # embedders.py
    threshold: float = DEFAULT_THRESHOLD  # face distance at or under which the faces match
    review_threshold: float = DEFAULT_REVIEW_THRESHOLDS[DEFAULT_EMBEDDER]  # above it: no match; between: uncertain
    match_frames: int = 5  # good frames gathered before matching
    encode_frames: int = 3  # the best of them encoded; the decision is on their mean distance
    track_scale: float = 0.5  # faces are found on the frame scaled by this (faces >= ~120 px at 640)
    probe_every: int = 3  # every n-th frame, half of it (left, right in turn) is searched at probe_scale
    probe_scale: float = 0.7  # finds faces down to about 85 px at 640: far customers, a second person
    two_faces_frames: int = 8  # two faces in this many frames in a row end the attempt
    event_interval_s: float = 0.1  # the face box on screen is updated at most this often
    quality: QualitySettings = field(default_factory=QualitySettings)
    liveness: LivenessSettings = field(default_factory=LivenessSettings)
