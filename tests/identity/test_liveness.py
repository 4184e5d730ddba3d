"""Liveness from landmarks, on synthetic landmark sequences (no dlib): blink against the person's own
baseline, movement direction, strictness, mirrored cameras."""

from __future__ import annotations

import pytest

from kiosk.identity.liveness import FAILED, PASSED, Baseline, BlinkWatch, MoveWatch, watch_for
from kiosk.identity.measures import eye_aspect_ratio, head_pose
from kiosk.identity.settings import LivenessSettings

from .helpers import landmarks

SETTINGS = LivenessSettings()


def run(watch, frames) -> list:
    return [watch.update(points) for points in frames]


def test_the_measures_read_the_synthetic_face():
    assert eye_aspect_ratio(landmarks(ear=0.3)) == pytest.approx(0.3)
    yaw, pitch = head_pose(landmarks())
    assert yaw == pytest.approx(0.0)
    assert pitch == pytest.approx(65 / 190)
    assert head_pose(landmarks(yaw=0.1))[0] == pytest.approx(0.1)


def test_the_baseline_is_the_median_so_one_blink_does_not_move_it():
    base = Baseline.of([landmarks(0.3), landmarks(0.31), landmarks(0.1), landmarks(0.29), landmarks(0.3)])
    assert base.ear == pytest.approx(0.3)
    with pytest.raises(ValueError, match="at least one"):
        Baseline.of([])


def test_a_blink_closes_and_opens_again():
    watch = BlinkWatch(Baseline.of([landmarks(0.3)] * 5), SETTINGS)
    seen = run(watch, [landmarks(0.3), landmarks(0.2), landmarks(0.1), landmarks(0.2), landmarks(0.29)])
    assert seen[-1] == PASSED
    assert seen[:-1] == [None] * 4
    assert watch.lowest == pytest.approx(0.1 / 0.3)


def test_eyes_that_stay_open_or_stay_closed_are_no_blink():
    still = BlinkWatch(Baseline.of([landmarks(0.3)] * 5), SETTINGS)
    assert run(still, [landmarks(0.3)] * 30) == [None] * 30
    shut = BlinkWatch(Baseline.of([landmarks(0.3)] * 5), SETTINGS)
    assert run(shut, [landmarks(0.1)] * 30) == [None] * 30


def test_the_threshold_is_the_persons_own_not_a_fixed_number():
    narrow = BlinkWatch(Baseline.of([landmarks(0.2)] * 5), SETTINGS)  # 0.15 is 75 % of 0.2: closed
    assert run(narrow, [landmarks(0.15), landmarks(0.2)])[-1] == PASSED
    wide = BlinkWatch(Baseline.of([landmarks(0.35)] * 5), SETTINGS)  # 0.3 is 86 % of 0.35: still open
    assert run(wide, [landmarks(0.3), landmarks(0.35)]) == [None, None]


def test_a_bowed_head_narrowing_the_eyes_is_not_a_blink():
    watch = BlinkWatch(Baseline.of([landmarks(0.3)] * 5), SETTINGS)
    assert run(watch, [landmarks(0.1, bow=0.2), landmarks(0.3)]) == [None, None]


@pytest.mark.parametrize(("challenge", "moved"), [
    ("turn_left", {"yaw": 0.1}),  # the nose goes to the image's right: the person's own left
    ("turn_right", {"yaw": -0.1}),
    ("nod", {"bow": 0.06}),
    ("nod", {"bow": -0.06}),
])
def test_the_movement_asked_for_passes(challenge, moved):
    watch = watch_for(challenge, Baseline.of([landmarks()] * 5), SETTINGS)
    assert run(watch, [landmarks(), landmarks(**moved)]) == [None, PASSED]


def test_a_small_movement_is_not_enough():
    watch = MoveWatch("turn_left", Baseline.of([landmarks()] * 5), SETTINGS)
    assert run(watch, [landmarks(yaw=0.05)] * 10) == [None] * 10
    assert watch.peak == pytest.approx(0.05)


def test_movement_is_measured_from_the_persons_resting_pose():
    turned_already = Baseline.of([landmarks(yaw=-0.2)] * 5)  # stands a little turned to begin with
    watch = MoveWatch("turn_left", turned_already, SETTINGS)
    assert watch.update(landmarks(yaw=-0.1)) == PASSED


def test_a_clear_movement_the_other_way_fails_in_strict_mode():
    base = Baseline.of([landmarks()] * 5)
    assert MoveWatch("turn_left", base, SETTINGS).update(landmarks(yaw=-0.15)) == FAILED
    assert MoveWatch("nod", base, SETTINGS).update(landmarks(yaw=0.15)) == FAILED
    lenient = LivenessSettings(strict=False)
    assert MoveWatch("turn_left", base, lenient).update(landmarks(yaw=-0.15)) is None


def test_a_mirrored_camera_swaps_left_and_right():
    mirrored = LivenessSettings(mirrored=True)
    watch = MoveWatch("turn_left", Baseline.of([landmarks()] * 5), mirrored)
    assert watch.update(landmarks(yaw=-0.1)) == PASSED


def test_unknown_challenges_are_refused():
    with pytest.raises(ValueError, match="unknown challenge"):
        watch_for("smile", Baseline.of([landmarks()]), SETTINGS)
