"""The face check's separation of different people, East Asian people above all, must not get worse.

``data/face_regression.npz`` holds the embedder's vectors (no images) of chip-like photos and camera
photographs of 30 East Asian people and 30 others from LFW, written by
``tests/bench/bench_face_accuracy.py --write-regression`` (its docstring names the source and commit).
The test measures on them what the benchmark measures on the whole set and fails when the shipped
threshold accepts an impostor, sits closer to the nearest impostor than measured, or when genuine pairs
drift away. A second test runs the pipeline itself on the project's public-domain photos, so a change in
alignment, preprocessing or model that would make the stored vectors stale is caught too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kiosk.identity.settings import DEFAULT_EMBEDDER, DEFAULT_REVIEW_THRESHOLDS, DEFAULT_THRESHOLDS

DATA = Path(__file__).parent / "data" / "face_regression.npz"
THRESHOLD = DEFAULT_THRESHOLDS[DEFAULT_EMBEDDER]
REVIEW = DEFAULT_REVIEW_THRESHOLDS[DEFAULT_EMBEDDER]
# Measured on the stored vectors when they were written (bench_face_accuracy.py, docs/face.md).
# Nearest impostor pair 0.875 (margin 0.075), genuine pairs over the threshold 28.9 %, over the review
# threshold 0.3 %, equal error rate 0.6 %; the bounds leave room for rounding, not for a worse model.
MIN_MARGIN = 0.06  # nearest impostor pair minus the threshold
MAX_FRR_AT_THRESHOLD = 0.31  # genuine pairs over the threshold (they get a second look, then staff)
MAX_REJECTED = 0.01  # genuine pairs over the review threshold: refused outright
MAX_EER = 0.01


@pytest.fixture(scope="module")
def pairs() -> dict[str, np.ndarray]:
    stored = np.load(DATA)
    assert str(stored["embedder"]) == DEFAULT_EMBEDDER, "the stored vectors are of another embedder: rewrite them"
    vectors = stored["vectors"].astype(np.float64)
    chip, person, source, east = stored["is_chip"], stored["person"], stored["source"], stored["east_asian"]
    c, p = np.nonzero(chip)[0], np.nonzero(~chip)[0]
    d = np.linalg.norm(vectors[c][:, None, :] - vectors[p][None, :, :], axis=-1)
    same = person[c][:, None] == person[p][None, :]
    genuine = same & (source[c][:, None] != source[p][None, :])
    east_pairs = east[c][:, None] & east[p][None, :]
    return {"genuine": d[genuine], "impostor": d[~same], "impostor_east_asian": d[~same & east_pairs],
            "people_east_asian": np.unique(person[east]), "people": np.unique(person)}


def test_the_stored_set_is_the_size_the_docs_say(pairs: dict[str, np.ndarray]) -> None:
    assert len(pairs["people_east_asian"]) >= 30
    assert pairs["genuine"].size >= 150
    assert pairs["impostor_east_asian"].size >= 3000


def test_no_impostor_is_accepted_at_the_shipped_threshold(pairs: dict[str, np.ndarray]) -> None:
    assert int((pairs["impostor_east_asian"] <= THRESHOLD).sum()) == 0
    assert int((pairs["impostor"] <= THRESHOLD).sum()) == 0
    assert float(pairs["impostor"].min()) - THRESHOLD >= MIN_MARGIN


def test_genuine_pairs_stay_where_they_were_measured(pairs: dict[str, np.ndarray]) -> None:
    genuine, impostor = pairs["genuine"], pairs["impostor"]
    assert float((genuine > THRESHOLD).mean()) <= MAX_FRR_AT_THRESHOLD
    assert float((genuine > REVIEW).mean()) <= MAX_REJECTED
    candidates = np.unique(np.concatenate([genuine, impostor]))
    eer = min(max((impostor <= t).mean(), (genuine > t).mean()) for t in candidates)
    assert eer <= MAX_EER


def test_the_review_band_sits_above_the_threshold() -> None:
    assert REVIEW > THRESHOLD
