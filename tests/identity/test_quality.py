"""Quality gates: the measures on synthetic images, the gate order on made-up observations, and the
gates on real frames analysed by the face worker (two faces, a face cut by the edge, dark, bright,
blurred, too far)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.scenes import letterbox
from kiosk.identity.measures import brightness, distinct, motion, overlap, sharpness
from kiosk.identity.quality import (
    BLURRED,
    LOOK_STRAIGHT,
    NO_FACE,
    OFF_CENTRE,
    TOO_BRIGHT,
    TOO_CLOSE,
    TOO_DARK,
    TOO_FAR,
    TWO_FACES,
    FaceObservation,
    quality_problem,
)
from kiosk.identity.settings import FaceSettings, QualitySettings

from .helpers import SIZE, kiosk_view, landmarks, read_face

GATES = QualitySettings()
SCALE, PROBE = FaceSettings().track_scale, FaceSettings().probe_scale


def seen(**changes) -> FaceObservation:
    fields = {"faces": ((220.0, 120.0, 200.0, 200.0),), "box": (220.0, 120.0, 200.0, 200.0),
              "landmarks": landmarks(), "sharpness": 300.0, "brightness": 120.0, **changes}
    return FaceObservation(**fields)


def test_box_overlap_and_duplicates():
    a, b = (0.0, 0.0, 10.0, 10.0), (5.0, 0.0, 10.0, 10.0)
    assert overlap(a, a) == 1.0
    assert overlap(a, b) == pytest.approx(50 / 150)
    assert overlap(a, (20.0, 20.0, 5.0, 5.0)) == 0.0
    assert distinct([a, (0.0, 0.0, 11.0, 11.0), (30.0, 30.0, 5.0, 5.0)]) == [(0.0, 0.0, 11.0, 11.0), (30.0, 30.0, 5.0, 5.0)]


def test_sharpness_brightness_and_motion_on_synthetic_images():
    squares = np.kron((np.indices((8, 8)).sum(axis=0) % 2 * 255).astype(np.uint8), np.ones((16, 16), np.uint8))
    blurred = cv2.GaussianBlur(squares, (0, 0), 4)
    assert sharpness(squares) > 10 * sharpness(blurred)
    assert brightness(np.full((50, 50), 40, np.uint8)) == 40
    assert motion(squares, squares.copy()) == 0
    assert motion(squares, blurred) > 10
    assert motion(None, squares) == float("inf")


@pytest.mark.parametrize(("changes", "code"), [
    ({"faces": (), "box": None, "landmarks": None}, NO_FACE),
    ({"faces": ((220.0, 120.0, 200.0, 200.0), (10.0, 10.0, 150.0, 150.0))}, TWO_FACES),
    ({"box": (300.0, 200.0, 100.0, 100.0)}, TOO_FAR),
    ({"box": (100.0, 20.0, 440.0, 440.0)}, TOO_CLOSE),
    ({"box": (-20.0, 120.0, 200.0, 200.0)}, OFF_CENTRE),
    ({"box": (220.0, 300.0, 200.0, 200.0)}, OFF_CENTRE),
    ({"brightness": 30.0}, TOO_DARK),
    ({"brightness": 240.0}, TOO_BRIGHT),
    ({"sharpness": 5.0}, BLURRED),
    ({"landmarks": landmarks(yaw=0.4)}, LOOK_STRAIGHT),
    ({"landmarks": landmarks(bow=0.3)}, LOOK_STRAIGHT),
    ({}, None),
])
def test_each_gate_has_its_guidance(changes, code):
    assert quality_problem(seen(**changes), SIZE, GATES) == code


def analyse(worker, image, probe=True):
    return worker.call("analyse", image, None, PROBE if probe else None, SCALE, timeout=10)


@pytest.mark.slow
def test_gates_on_real_frames(face_worker):
    good = kiosk_view("obama_2012_oval_office_portrait.jpg")
    cases = {
        None: good,
        TWO_FACES: letterbox(read_face("obama_biden_2010_two_faces.jpg"), SIZE),
        OFF_CENTRE: kiosk_view("obama_2012_partial_face.jpg"),  # cut by the photo's edge, kept at the frame's
        TOO_DARK: (good * 0.3).astype(np.uint8),
        TOO_BRIGHT: np.clip(good.astype(np.int16) + 130, 0, 255).astype(np.uint8),
        BLURRED: cv2.GaussianBlur(good, (0, 0), 3),
        TOO_FAR: kiosk_view("obama_2012_oval_office_portrait.jpg", face_px=95),
        NO_FACE: np.full((480, 640, 3), 180, np.uint8),
    }
    found = {code: quality_problem(analyse(face_worker, image), (image.shape[1], image.shape[0]), GATES)
             for code, image in cases.items()}
    assert found == {code: code for code in cases}


@pytest.mark.slow
def test_a_small_face_is_only_found_by_the_full_size_probe(face_worker):
    far = kiosk_view("obama_2012_oval_office_portrait.jpg", face_px=95)
    assert analyse(face_worker, far, probe=False).count == 0
    assert analyse(face_worker, far, probe=True).count == 1
