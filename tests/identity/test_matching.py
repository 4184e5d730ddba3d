"""Genuine and impostor decisions on the test photos at the default threshold: photo against photo, and
a simulated chip photo against a camera frame. (The full tables are in docs/face.md.)"""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.identity.chip import chip_photo
from kiosk.identity.settings import DEFAULT_THRESHOLD, FaceSettings

from .helpers import face_bytes, kiosk_view

pytestmark = pytest.mark.slow

PORTRAIT = "obama_2012_oval_office_portrait.jpg"
SPEECH = "obama_2009_joint_session.jpg"
BIDEN = "biden_2010_blue_room.jpg"
COLLINS = "eileen_collins_nasa.png"


def photo_encoding(worker, data: bytes) -> np.ndarray:
    found = worker.call("photo", data, timeout=10)
    assert found.problem is None
    return found.encoding


def frame_encoding(worker, name: str) -> np.ndarray:
    frame = kiosk_view(name)
    seen = worker.call("analyse", frame, None, None, FaceSettings().track_scale, timeout=10)
    assert seen.box is not None
    return worker.call("encode", frame, seen.box, timeout=10)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))


def test_photo_against_photo(face_worker):
    enc = {name: photo_encoding(face_worker, face_bytes(name)) for name in (PORTRAIT, SPEECH, BIDEN, COLLINS)}
    assert distance(enc[PORTRAIT], enc[SPEECH]) <= DEFAULT_THRESHOLD
    for a, b in ((PORTRAIT, BIDEN), (SPEECH, BIDEN), (PORTRAIT, COLLINS), (BIDEN, COLLINS)):
        assert distance(enc[a], enc[b]) > DEFAULT_THRESHOLD, (a, b)


def test_chip_photo_against_camera_frame(face_worker):
    chips = {name: photo_encoding(face_worker, chip_photo(face_bytes(name))) for name in (PORTRAIT, BIDEN, COLLINS)}
    frames = {name: frame_encoding(face_worker, name) for name in (SPEECH, BIDEN, COLLINS)}
    genuine = {(PORTRAIT, SPEECH), (BIDEN, BIDEN), (COLLINS, COLLINS)}
    for chip_name, chip in chips.items():
        for frame_name, frame in frames.items():
            near = distance(chip, frame) <= DEFAULT_THRESHOLD
            assert near == ((chip_name, frame_name) in genuine), (chip_name, frame_name, distance(chip, frame))


def test_an_image_without_a_face_or_not_an_image(face_worker):
    blank = face_worker.call("photo", chip_photo_of_nothing(), timeout=10)
    assert (blank.encoding, blank.faces, blank.problem) == (None, 0, "no_face")
    assert face_worker.call("photo", b"not an image", timeout=10).problem == "undecodable"


def chip_photo_of_nothing() -> bytes:
    import cv2

    return cv2.imencode(".jpg", np.full((126, 102), 128, np.uint8))[1].tobytes()
