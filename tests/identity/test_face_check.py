"""The FaceCheck step with a scripted verifier: guidance and the face box reach the screen model, the
prompt (and so the voice) says what to do, attempts are journaled, guidance results are not counted."""

from __future__ import annotations

import queue
from typing import Any

import pytest

from devices.api import DeviceEvent
from kiosk.engine.screens import Input, InputKind
from kiosk.identity.face import FaceDecision

TIMEOUT = 10.0


class ScriptedVerifier:
    """Emits the events the test puts in, then returns the decision the test puts in."""

    threshold = 0.55

    def __init__(self) -> None:
        self.script: queue.Queue[Any] = queue.Queue()

    def verify(self, id_photo, id_number, camera, timeout, cancel, on_event=None) -> FaceDecision:
        while True:
            item = self.script.get(timeout=TIMEOUT)
            if isinstance(item, FaceDecision):
                return item
            on_event(DeviceEvent("camera", "face_guidance", item))

    def guide(self, code: str, box: list[float] | None = None, challenge: str | None = None) -> None:
        self.script.put({"code": code, "box": box, "challenge": challenge})

    def decide(self, reason: str, distance: float | None = 0.4, liveness: str = "passed") -> None:
        self.script.put(FaceDecision(reason == "match", reason, distance, self.threshold, liveness, 1))


@pytest.fixture
def scripted(kiosk, driver):
    verifier = ScriptedVerifier()
    kiosk.services.face = verifier
    driver.qa.show_camera("person:chen_jing")
    driver.qa.place_id_card("chen_jing")
    kiosk.engine.send(Input(InputKind.LANGUAGE, "en_US"))
    kiosk.engine.send(Input(InputKind.START, "account_opening"))
    for step in ("consent", "face_consent"):
        driver.wait_for_screen(step)
        kiosk.engine.send(Input(InputKind.CHOOSE, "agree"))
    driver.wait_for_screen("face")
    return verifier


def shows(driver, **data) -> Any:
    def matches() -> bool:
        screen = driver.engine.screen
        return all(screen.data.get(key) == value for key, value in data.items())

    assert driver.settle(matches, timeout=TIMEOUT), driver.engine.screen.data
    return driver.engine.screen


def test_guidance_and_the_face_box_reach_the_screen(scripted, driver):
    screen = driver.engine.screen
    assert (screen.data["guidance"], screen.data["face_box"], screen.data["challenge"]) == (None, None, None)
    assert screen.prompt == "Please look at the camera, remove hat and mask, and keep still."
    scripted.guide("too_far", [0.4, 0.3, 0.15, 0.2])
    screen = shows(driver, guidance="too_far")
    assert screen.data["face_box"] == [0.4, 0.3, 0.15, 0.2]
    assert screen.data["guidance_text"] == "Please come a little closer to the camera."
    assert screen.prompt == screen.data["guidance_text"]
    assert "Please come a little closer" in screen.voice
    scripted.guide("challenge", [0.35, 0.25, 0.3, 0.4], "turn_left")
    screen = shows(driver, challenge="turn_left")
    assert screen.data["challenge_text"] == "Please turn your head slowly to your left, then back."
    assert screen.prompt == screen.data["challenge_text"]
    scripted.decide("match")
    driver.wait_for_screen("mobile")


@pytest.mark.parametrize("code", ["no_face", "two_faces", "too_far", "too_close", "off_centre", "too_dark",
                                  "too_bright", "blurred", "look_straight", "checking", "challenge"])
@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_every_guidance_code_has_a_text(code, lang):
    from kiosk.core import i18n

    assert i18n.has_text(lang, f"face.guide.{code}")


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_every_challenge_and_decision_has_a_text(lang):
    from kiosk.core import i18n
    from kiosk.identity.face import REASONS

    for challenge in ("blink", "turn_left", "turn_right", "nod"):
        assert i18n.has_text(lang, f"face.challenge.{challenge}")
    for reason in set(REASONS) - {"match"}:
        assert i18n.has_text(lang, f"face.{reason}")


def test_guidance_results_are_not_counted_failures_are(scripted, driver, kiosk):
    scripted.guide("two_faces")
    scripted.decide("two_faces", None, "not_checked")
    screen = shows(driver, attempts=0)
    assert driver.settle(lambda: bool(driver.engine.screen.choices), timeout=TIMEOUT)
    screen = driver.engine.screen
    assert screen.error == "One person at a time, please. Others, please step away from the camera."
    assert screen.data["guidance"] is None  # the attempt is over: no stale advice
    kiosk.engine.send(Input(InputKind.CHOOSE, "retry"))
    scripted.decide("no_match", 0.71, "not_checked")
    assert driver.settle(lambda: driver.engine.screen.data.get("attempts") == 1, timeout=TIMEOUT)
    assert "2 more" in driver.engine.screen.error
    kiosk.engine.send(Input(InputKind.CHOOSE, "retry"))
    scripted.decide("poor_quality", None, "not_checked")
    assert driver.settle(lambda: bool(driver.engine.screen.choices), timeout=TIMEOUT)
    assert driver.engine.screen.data["attempts"] == 1
    attempts = [e.detail for e in kiosk.services.journal.entries(driver.engine.session.id) if e.name == "face.attempt"]
    assert attempts == [{"attempt": 0, "reason": "two_faces", "counted": False},
                        {"attempt": 1, "reason": "no_match", "counted": True},
                        {"attempt": 1, "reason": "poor_quality", "counted": False}]


def test_an_uncertain_face_goes_to_staff_without_counting_a_failure(scripted, driver, kiosk):
    scripted.guide("second_look")
    shows(driver, guidance="second_look")
    assert driver.engine.screen.prompt == "Please keep looking straight at the camera: checking once more."
    scripted.decide("uncertain", 0.93, "not_checked")
    driver.wait_for_screen("staff_identity")
    assert "could not confirm that this is you" in (driver.engine.screen.error or "")
    attempts = [e.detail for e in kiosk.services.journal.entries(driver.engine.session.id) if e.name == "face.attempt"]
    assert attempts == [{"attempt": 0, "reason": "uncertain", "counted": False}]
