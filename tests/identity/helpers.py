"""Helpers for the face check tests: the test photos, camera frames made from them, synthetic landmarks."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

SHARED_FACES = Path(__file__).parents[2].parent / "shared" / "testdata" / "faces"
ASSET_FACES = Path(__file__).parents[2] / "assets" / "sim" / "faces"
SIZE = (640, 480)


def faces_dir() -> Path:
    """../shared/testdata/faces, or the copies in assets/sim/faces."""
    return SHARED_FACES if (SHARED_FACES / "LICENSES.txt").exists() else ASSET_FACES


def read_face(name: str) -> np.ndarray:
    image = cv2.imread(str(faces_dir() / name), cv2.IMREAD_COLOR)
    assert image is not None, name
    return image


def face_bytes(name: str) -> bytes:
    return (faces_dir() / name).read_bytes()


def kiosk_view(name: str, face_px: int = 200) -> np.ndarray:
    """A 640x480 camera frame of a test photo with the face about ``face_px`` wide."""
    from devices.camera.scenes import frame_around, locate_faces

    photo = read_face(name)
    view, _ = frame_around(photo, locate_faces(photo)[0].box, SIZE, face_px)
    return view


def landmarks(ear: float = 0.3, yaw: float = 0.0, bow: float = 0.0) -> np.ndarray:
    """68 points with just what the measures read: cheeks, chin, nose tip and the two eyes."""
    points = np.zeros((68, 2))
    points[2], points[14], points[8] = (100, 150), (300, 150), (200, 300)
    points[30] = (200 + yaw * 200, 175 + bow * 190)
    for start, cx in ((36, 150), (42, 250)):
        half = ear * 40 / 2
        points[start:start + 6] = [(cx - 20, 110), (cx - 7, 110 - half), (cx + 7, 110 - half),
                                   (cx + 20, 110), (cx + 7, 110 + half), (cx - 7, 110 + half)]
    return points
