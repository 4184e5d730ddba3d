"""The face models behind three calls: encode a photo, analyse a camera frame, encode a face.

dlib (through face_recognition's model files) finds faces and their 68 landmarks, which tracking, the
quality gates and liveness use; the vector two faces are compared by comes from the embedder the
configuration names (embedders.py; MobileFaceNet by default, chosen by the accuracy benchmark).

Importing face_recognition costs about 2 s and 150 MB, and dlib holds the GIL while it works, so the
kiosk builds :class:`FaceModels` only inside the face worker process (worker.py). The command line
uses it directly. Nothing here keeps an image or an encoding after a call returns.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from kiosk.identity.embedders import FaceEmbedder, make_embedder
from kiosk.identity.measures import Box, brightness, distinct, face_grey, overlap, sharpness
from kiosk.identity.quality import FaceObservation

MAX_PHOTO_SIDE = 800  # larger photos are scaled down before searching for faces
SMALL_PHOTO_SIDE = 400  # ID chip photos (about 102x126) and other small ones are searched upsampled
CENTRE_SMOOTHING = 0.5  # how much of the newly detected box centre the tracked box takes per frame
SIZE_SMOOTHING = 0.2  # ... and of its size (the detector's box sizes jump in steps of about 20 %)
PROBE_PARTS = ((0.0, 1.0), (0.0, 0.6), (0.4, 1.0))  # whole frame, left, right (they overlap by 20 %)


@dataclass(frozen=True)
class PhotoFaces:
    """A still photo's faces: the encoding of the largest (or the most central), how many, or why none."""

    encoding: np.ndarray | None
    faces: int
    problem: str | None = None  # "undecodable", "no_face"
    box: Box | None = None
    landmarks: np.ndarray | None = None  # the chosen face's 68 landmarks, in the photo's pixels


def load_face_recognition() -> Any:
    """face_recognition's api module (its model package still imports the deprecated pkg_resources)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        import face_recognition.api as api
    return api


def _rgb(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def steady_box(previous: Box | None, found: Box) -> Box:
    """The tracked box: follows the detector smoothly, so the landmarks do not jump with its steps."""
    if previous is None or overlap(previous, found) < 0.3:
        return found
    px, py, pw, ph = previous
    fx, fy, fw, fh = found
    cx = (px + pw / 2) * (1 - CENTRE_SMOOTHING) + (fx + fw / 2) * CENTRE_SMOOTHING
    cy = (py + ph / 2) * (1 - CENTRE_SMOOTHING) + (fy + fh / 2) * CENTRE_SMOOTHING
    w = pw * (1 - SIZE_SMOOTHING) + fw * SIZE_SMOOTHING
    h = ph * (1 - SIZE_SMOOTHING) + fh * SIZE_SMOOTHING
    return (cx - w / 2, cy - h / 2, w, h)


class FaceModels:
    def __init__(self, embedder: str = "mobilefacenet") -> None:
        api = load_face_recognition()
        import dlib

        self._dlib = dlib
        self._detector = api.face_detector
        self._predictor = api.pose_predictor_68_point
        self.embedder: FaceEmbedder = make_embedder(embedder)

    # -- still photos ------------------------------------------------------------------------
    def photo(self, data: bytes, prefer_centre: bool = False) -> PhotoFaces:
        """Encode the largest face of a JPEG/PNG (an ID chip photo: small, compressed); with
        ``prefer_centre``, the face nearest the middle of the picture instead."""
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            return PhotoFaces(None, 0, "undecodable")
        scale = min(1.0, MAX_PHOTO_SIDE / max(image.shape[:2]))
        if scale < 1:
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        rgb = _rgb(image)
        boxes = self._photo_boxes(rgb)
        if not boxes:
            return PhotoFaces(None, 0, "no_face")
        chosen = boxes[0]
        if prefer_centre:
            h, w = rgb.shape[:2]
            chosen = min(boxes, key=lambda b: (b[0] + b[2] / 2 - w / 2) ** 2 + (b[1] + b[3] / 2 - h / 2) ** 2)
        landmarks = self._landmarks(rgb, chosen)
        encoding = self.embedder.embed(rgb, landmarks)
        x, y, w, h = chosen
        return PhotoFaces(encoding, len(boxes), box=(x / scale, y / scale, w / scale, h / scale),
                          landmarks=landmarks / scale)

    def face_boxes(self, image: np.ndarray) -> list[Box]:
        """The distinct faces of a still picture (BGR), largest first."""
        return self._photo_boxes(_rgb(image))

    def _photo_boxes(self, rgb: np.ndarray) -> list[Box]:
        upsample = 1 if max(rgb.shape[:2]) <= SMALL_PHOTO_SIDE else 0
        rects = list(self._detector(rgb, upsample)) or list(self._detector(rgb, upsample + 1))
        return distinct([self._box(r) for r in rects])

    # -- camera frames -----------------------------------------------------------------------
    def analyse(self, image: np.ndarray, previous: Box | None, probe: float | None, scale: float,
                part: int = 0) -> FaceObservation:
        """Find the faces on the frame scaled by ``scale``, steady the tracked one's box and read its
        landmarks, sharpness and brightness (on the full resolution frame).

        ``probe``: also search at this larger scale, for faces too small for ``scale``; on the whole
        frame (``part`` 0), or on its left (1) or right (2) 60 %, so a probe costs less."""
        rgb = _rgb(image)
        faces = distinct(self._detect(rgb, scale))
        if probe:  # a face found on both keeps the box from ``scale``
            faces += [b for b in distinct(self._detect(rgb, probe, part)) if all(overlap(b, f) < 0.3 for f in faces)]
        if not faces:
            return FaceObservation()
        tracked = faces[0]  # the largest, unless the one followed so far is still there
        if previous is not None:
            nearest = max(faces, key=lambda b: overlap(previous, b))
            tracked = nearest if overlap(previous, nearest) >= 0.3 else tracked
        box = steady_box(previous, tracked)
        landmarks = self._landmarks(rgb, box)
        grey = face_grey(image, box)
        return FaceObservation(tuple(faces), box, landmarks, sharpness(grey), brightness(grey))

    def encode(self, crop: np.ndarray, box: Box) -> np.ndarray:
        """The encoding of the face at ``box`` in a (full resolution) crop of a frame."""
        return self._encode(_rgb(crop), box)

    # -- dlib --------------------------------------------------------------------------------
    @staticmethod
    def _box(rect: Any) -> Box:
        return (float(rect.left()), float(rect.top()), float(rect.width()), float(rect.height()))

    def _detect(self, rgb: np.ndarray, scale: float, part: int = 0) -> list[Box]:
        width = rgb.shape[1]
        left = int(width * PROBE_PARTS[part][0])
        region = rgb[:, left : int(width * PROBE_PARTS[part][1])]
        small = region if scale == 1 else cv2.resize(region, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        return [(left + r.left() / scale, r.top() / scale, r.width() / scale, r.height() / scale)
                for r in self._detector(small, 0)]

    def _rect(self, box: Box) -> Any:
        x, y, w, h = (int(round(v)) for v in box)
        return self._dlib.rectangle(x, y, x + w, y + h)

    def _landmarks(self, rgb: np.ndarray, box: Box) -> np.ndarray:
        shape = self._predictor(rgb, self._rect(box))
        return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)

    def _encode(self, rgb: np.ndarray, box: Box) -> np.ndarray:
        return self.embedder.embed(rgb, self._landmarks(rgb, box))
