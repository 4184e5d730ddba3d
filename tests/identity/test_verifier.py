"""The face_recognition verifier end to end on the camera simulator: the holder passes, another person
fails, two people get guidance, a still photo fails liveness, a holder who does not move fails it too;
blink and movement direction on frames the worker analyses; cancellation and device faults."""

from __future__ import annotations

import random
import threading
from dataclasses import replace

import pytest

from devices.api import Cancellation, DeviceError, DeviceEvent, ErrorCode
from devices.camera.sim import SimCamera
from kiosk.core.clock import ManualClock
from kiosk.identity.chip import chip_photo
from kiosk.identity.liveness import PASSED, Baseline, BlinkWatch, MoveWatch
from kiosk.identity.settings import FaceSettings, LivenessSettings
from kiosk.identity.verifier import FaceRecognitionVerifier

from .helpers import face_bytes

pytestmark = pytest.mark.slow

QUICK = FaceSettings(liveness=LivenessSettings(challenge_s=1.5, recheck_s=1.5))


class Customer:
    """The event sink of a test: keeps the guidance and, like a cooperative customer, does what the
    screen asks (or ``instead`` of it)."""

    def __init__(self, camera, cooperative: bool = True, instead: str | None = None) -> None:
        self.camera, self.cooperative, self.instead = camera, cooperative, instead
        self.events: list[DeviceEvent] = []

    def __call__(self, event: DeviceEvent) -> None:
        self.events.append(event)
        challenge = event.data["challenge"]
        if challenge and self.cooperative:
            self.camera.perform(self.instead if self.instead and challenge != "blink" else challenge)

    def codes(self) -> set[tuple[str, str | None]]:
        return {(e.data["code"], e.data["challenge"]) for e in self.events}


class FrameTimedCamera:
    """The simulated camera with a clock that moves one frame interval per frame taken: the verifier
    gets it as its clock, so its time-outs and the tests' "at once" count frames, not the wall time of a
    loaded machine (the simulated person moves by frame index too)."""

    def __init__(self, camera, fps: float = 25.0) -> None:
        self._camera, self._interval, self._seconds = camera, 1.0 / fps, 0.0

    def __getattr__(self, name: str):
        return getattr(self._camera, name)

    def latest_frame(self, timeout: float):
        frame = self._camera.latest_frame(timeout)
        self._seconds += self._interval
        return frame

    def clock(self) -> float:
        return self._seconds


@pytest.fixture
def camera(camera):
    return FrameTimedCamera(camera)


@pytest.fixture
def verifier(face_worker, camera):
    return FaceRecognitionVerifier(QUICK, face_worker, rng=random.Random(7), clock=camera.clock)


@pytest.fixture
def chip(people):
    return lambda key: chip_photo(people.id_cards[key].photo)


def check(verifier, chip_bytes, camera, customer=None, timeout=5.0, cancel=None):
    """The decision and how long it took in camera time (frames taken / 25 fps)."""
    start = camera.clock()
    decision = verifier.verify(chip_bytes, "unused", camera, timeout, cancel or Cancellation(), customer)
    return decision, camera.clock() - start


def test_the_holder_passes_with_blink_and_movement(verifier, camera, chip):
    camera.show("person", "zhang_wei")
    customer = Customer(camera)
    decision, _ = check(verifier, chip("zhang_wei"), camera, customer)
    assert (decision.match, decision.reason, decision.liveness, decision.faces) == (True, "match", "passed", 1)
    assert decision.distance <= decision.threshold == QUICK.threshold
    codes = customer.codes()
    assert ("checking", None) in codes
    assert ("challenge", "blink") in codes
    assert {c for _, c in codes} & {"turn_left", "turn_right", "nod"}
    boxes = [e.data["box"] for e in customer.events if e.data["box"]]
    assert boxes
    assert all(0 <= v <= 1 for box in boxes for v in box)
    assert all(e.device == "camera" and e.kind == "face_guidance" for e in customer.events)


def test_another_person_does_not_match_and_is_not_asked_to_move(verifier, camera, chip):
    camera.show("person", "zhang_wei")
    customer = Customer(camera)
    decision, took = check(verifier, chip("chen_jing"), camera, customer)
    assert (decision.match, decision.reason, decision.liveness) == (False, "no_match", "not_checked")
    assert decision.distance > decision.threshold
    assert not any(e.data["challenge"] for e in customer.events)
    assert took < 1.5  # camera time: decided on the first good frames, nobody was asked to move


def test_a_still_photo_fails_liveness_at_once(verifier, camera, chip):
    camera.show("photo", "chen_jing")
    decision, took = check(verifier, chip("chen_jing"), camera, Customer(camera))
    assert (decision.match, decision.reason, decision.liveness) == (False, "liveness_failed", "failed")
    assert took < QUICK.liveness.challenge_s  # the unchanging frames, not the challenge's time, decide


def test_two_people_are_asked_to_come_one_at_a_time(verifier, camera, chip):
    camera.show("two_people")
    customer = Customer(camera)
    decision, _ = check(verifier, chip("chen_jing"), camera, customer)
    assert (decision.reason, decision.faces, decision.distance) == ("two_faces", 2, None)
    assert ("two_faces", None) in customer.codes()


def test_a_holder_who_does_not_move_fails_liveness(verifier, camera, chip):
    camera.show("person", "chen_jing")
    decision, took = check(verifier, chip("chen_jing"), camera, Customer(camera, cooperative=False))
    assert (decision.match, decision.reason, decision.liveness) == (False, "liveness_failed", "failed")
    assert decision.distance <= decision.threshold  # it was the holder; the face alone is not enough
    assert took >= QUICK.liveness.challenge_s


@pytest.mark.parametrize("wrong", ["turn_right", "nod"])
def test_the_wrong_movement_fails(face_worker, camera, chip, wrong):
    settings = replace(QUICK, liveness=replace(QUICK.liveness, challenges=("turn_left",), challenge_s=10.0))
    verifier = FaceRecognitionVerifier(settings, face_worker, clock=camera.clock)
    camera.show("person", "chen_jing")
    decision, took = check(verifier, chip("chen_jing"), camera, Customer(camera, instead=wrong))
    assert (decision.reason, decision.liveness) == ("liveness_failed", "failed")
    assert took < 5  # refused when the wrong movement shows, not when the time is up


def test_nobody_and_a_face_cut_by_the_edge(verifier, camera, chip, people, face_worker):
    decision, _ = check(verifier, chip("zhang_wei"), camera, timeout=1.0)
    assert (decision.reason, decision.faces) == ("no_face", 0)
    cut = face_bytes("obama_2012_partial_face.jpg")  # the portrait cropped through the face
    device = SimCamera(ManualClock(), replace(people, live_photos={**people.live_photos, "wang_xiaoming": cut}))
    cut_camera = FrameTimedCamera(device)
    cut_verifier = FaceRecognitionVerifier(QUICK, face_worker, rng=random.Random(7), clock=cut_camera.clock)
    cut_camera.show("person", "wang_xiaoming")
    customer = Customer(cut_camera)
    try:
        decision, _ = check(cut_verifier, chip("wang_xiaoming"), cut_camera, customer, timeout=1.0)
    finally:
        device.close()
    assert decision.reason == "poor_quality"
    assert ("off_centre", None) in customer.codes()


def analysed(face_worker, camera, count):
    scale = QUICK.track_scale
    box, seen = None, []
    for _ in range(count):
        observation = face_worker.call("analyse", camera.latest_frame(1).image, box, None, scale, timeout=5)
        box = observation.box
        seen.append(observation.landmarks)
    return seen


@pytest.mark.parametrize("person", ["zhang_wei", "chen_jing", "li_xiuying"])
def test_a_synthetic_blink_passes_and_no_blink_does_not(face_worker, camera, person):
    camera.start()
    camera.show("person", person)
    resting = analysed(face_worker, camera, 8)
    watch = BlinkWatch(Baseline.of(resting), LivenessSettings())
    assert [watch.update(points) for points in analysed(face_worker, camera, 10)].count(PASSED) == 0
    camera.perform("blink")
    assert PASSED in [watch.update(points) for points in analysed(face_worker, camera, 8)], watch.lowest


@pytest.mark.parametrize("movement", ["turn_left", "turn_right", "nod"])
def test_movements_are_seen_in_their_direction(face_worker, camera, movement):
    camera.start()
    camera.show("person", "zhang_wei")
    baseline = Baseline.of(analysed(face_worker, camera, 5))
    camera.perform(movement)
    frames = analysed(face_worker, camera, 9)
    for challenge in ("turn_left", "turn_right", "nod"):
        watch = MoveWatch(challenge, baseline, LivenessSettings(strict=False))
        passed = PASSED in [watch.update(points) for points in frames]
        assert passed == (challenge == movement), (challenge, watch.peak)


def test_cancelling_stops_the_check(verifier, camera, chip):
    cancel = Cancellation()
    threading.Timer(0.3, cancel.cancel).start()
    with pytest.raises(DeviceError) as info:
        check(verifier, chip("zhang_wei"), camera, timeout=10, cancel=cancel)
    assert info.value.code is ErrorCode.CANCELLED
    assert camera.scene() == ("nobody", None)
    with pytest.raises(DeviceError):
        camera.latest_frame(1)  # stopped again


def test_no_usable_id_photo_and_a_broken_camera(verifier, camera):
    assert verifier.verify(None, "x", camera, 1, Cancellation()).reason == "no_photo"
    assert verifier.verify(b"garbage", "x", camera, 1, Cancellation()).reason == "no_photo"
    camera.inject("offline")
    with pytest.raises(DeviceError) as info:
        verifier.verify(chip_photo_of("obama_2012_oval_office_portrait.jpg"), "x", camera, 1, Cancellation())
    assert info.value.code is ErrorCode.NOT_READY


def chip_photo_of(name: str) -> bytes:
    from .helpers import face_bytes

    return chip_photo(face_bytes(name))


def test_a_distance_in_the_uncertain_band_gets_a_second_look_then_staff(face_worker, camera, chip):
    # The holder's distance is far above a match threshold of 0.05 and under a review threshold of 1.9:
    # uncertain on the first look and on the mean of both, so the check ends for staff, never as a match.
    verifier = FaceRecognitionVerifier(replace(QUICK, threshold=0.05, review_threshold=1.9), face_worker,
                                       rng=random.Random(7), clock=camera.clock)
    camera.show("person", "zhang_wei")
    customer = Customer(camera)
    decision, _ = check(verifier, chip("zhang_wei"), camera, customer)
    assert (decision.match, decision.reason, decision.liveness) == (False, "uncertain", "not_checked")
    assert 0.05 < decision.distance <= 1.9
    codes = [e.data["code"] for e in customer.events]
    assert "second_look" in codes
    assert codes.index("checking") < codes.index("second_look")


def test_over_the_review_threshold_there_is_no_second_look(face_worker, camera, chip):
    verifier = FaceRecognitionVerifier(replace(QUICK, threshold=0.05, review_threshold=0.05), face_worker,
                                       rng=random.Random(7), clock=camera.clock)
    camera.show("person", "zhang_wei")
    customer = Customer(camera)
    decision, _ = check(verifier, chip("zhang_wei"), camera, customer)
    assert decision.reason == "no_match"
    assert "second_look" not in {e.data["code"] for e in customer.events}
