"""What the face check reads from a frame and the 68 face landmarks (iBUG 300-W numbering, as dlib's
predictor gives them): eye aspect ratio, head pose ratios, sharpness, brightness, box overlap.

Pure numpy and OpenCV: used in the worker process and in tests, no face_recognition import.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

Box = tuple[float, float, float, float]  # x, y, width, height in pixels

RIGHT_EYE = slice(36, 42)  # the person's right eye: on the image's left
LEFT_EYE = slice(42, 48)
NOSE_TIP = 30
CHIN = 8
CHEEK_RIGHT, CHEEK_LEFT = 2, 14  # outline points level with the nose
SHARPNESS_WIDTH = 128  # faces are scaled to this width before measuring sharpness


def eye_aspect_ratio(points: np.ndarray) -> float:
    """Mean eye aspect ratio of both eyes (Soukupova and Cech 2016): eyelid opening over eye width.
    Open eyes are around 0.25-0.35, closed ones well under; it differs from person to person."""

    def one(eye: np.ndarray) -> float:
        opening = np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])
        width = max(float(np.linalg.norm(eye[0] - eye[3])), 1e-6)
        return float(opening / (2 * width))

    return (one(points[RIGHT_EYE]) + one(points[LEFT_EYE])) / 2


def head_pose(points: np.ndarray) -> tuple[float, float]:
    """(yaw, pitch) as landmark ratios, not angles.

    yaw: where the nose tip sits between the cheeks, -0.5..0.5; 0 facing the camera, positive when the
    nose points to the image's right (the person's own left, in an unmirrored camera image).
    pitch: how far down the nose tip is between the eyes and the chin, about 0.25-0.35 facing the
    camera; it grows when the head bows.
    """
    right, left = points[CHEEK_RIGHT], points[CHEEK_LEFT]
    width = max(float(left[0] - right[0]), 1e-6)
    yaw = (points[NOSE_TIP][0] - (left[0] + right[0]) / 2) / width
    eyes = (points[RIGHT_EYE].mean(axis=0) + points[LEFT_EYE].mean(axis=0)) / 2
    height = max(float(points[CHIN][1] - eyes[1]), 1e-6)
    pitch = (points[NOSE_TIP][1] - eyes[1]) / height
    return float(yaw), float(pitch)


def clip_box(box: Box, width: int, height: int) -> tuple[int, int, int, int]:
    """``box`` as integer pixel bounds (x0, y0, x1, y1) inside a width x height image."""
    x, y, w, h = box
    x0, y0 = max(int(round(x)), 0), max(int(round(y)), 0)
    x1, y1 = min(int(round(x + w)), width), min(int(round(y + h)), height)
    return x0, y0, max(x1, x0), max(y1, y0)


def face_grey(image: np.ndarray, box: Box) -> np.ndarray:
    """The face region of a BGR frame in grey (empty when the box is outside the frame)."""
    x0, y0, x1, y1 = clip_box(box, image.shape[1], image.shape[0])
    crop = image[y0:y1, x0:x1]
    if crop.size == 0:
        return np.zeros((0, 0), np.uint8)
    return cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)


def sharpness(grey_face: np.ndarray) -> float:
    """Variance of the Laplacian of the face scaled to a fixed width: low means blurred."""
    if grey_face.size == 0:
        return 0.0
    scale = SHARPNESS_WIDTH / grey_face.shape[1]
    sized = cv2.resize(grey_face, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    return float(cv2.Laplacian(sized, cv2.CV_64F).var())


def brightness(grey_face: np.ndarray) -> float:
    """Mean grey level of the middle of the face (0..255)."""
    if grey_face.size == 0:
        return 0.0
    rows, cols = grey_face.shape
    middle = grey_face[rows // 5 : rows - rows // 5, cols // 5 : cols - cols // 5]
    return float(middle.mean()) if middle.size else float(grey_face.mean())


def overlap(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0.0, min(ax1, bx1) - max(a[0], b[0]))
    ih = max(0.0, min(ay1, by1) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def distinct(boxes: Sequence[Box], same: float = 0.4) -> list[Box]:
    """The boxes without duplicates (the detector sometimes finds one face twice), largest first."""
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda b: -b[2] * b[3]):
        if all(overlap(box, other) < same for other in kept):
            kept.append(box)
    return kept


def motion(previous: np.ndarray | None, current: np.ndarray) -> float:
    """Mean absolute grey difference between two face crops (resized to the same size): 0 for a still
    image; a live face in front of a real sensor never gets there (noise alone gives about 1)."""
    if previous is None or previous.size == 0 or current.size == 0:
        return float("inf")
    if previous.shape != current.shape:
        current = cv2.resize(current, (previous.shape[1], previous.shape[0]), interpolation=cv2.INTER_AREA)
    return float(cv2.absdiff(previous, current).mean())
