"""The three flows, start to end, in elderly mode with voice: clicked in the real window, the real
VoiceGuide speaking through a fake speaker that records what it was asked to say.

Checked on every flow: each new screen's prompt (``model.voice``) was spoken while that screen was up,
in elderly mode's voice; on PIN entry only the catalog's "digit entered" words, never a digit; the PIN
never in anything said. Every screen's words are also checked against the catalogs (conftest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from flows.account_opening import AccountOpening
from kiosk.core.i18n import text
from kiosk.engine import speech
from kiosk.engine.screens import ScreenKind, ScreenModel

LI_PIN = "258036"  # li_xiuying_1
NEW_PIN = "135792"
PIN_WORDS = {text("zh_CN", key) for key in ("voice.pin_digit", "voice.pin_deleted", "voice.pin_cleared")}


@dataclass
class Said:
    screen: ScreenModel  # the engine's screen when it was said
    text: str
    lang: str
    elderly: bool


@dataclass
class RecordingSpeaker:
    """Stands in for kiosk.voice.Speaker: records, never speaks."""

    engine: Any = None
    said: list[Said] = field(default_factory=list)
    stops: int = 0
    volume: float = 1.0
    volumes: list[float] = field(default_factory=list)

    def say(self, text: str, lang: str, elderly: bool = False, queue: bool = False) -> int:
        self.said.append(Said(self.engine.screen, text, lang, elderly))
        return len(self.said)

    def stop(self) -> None:
        self.stops += 1

    def set_volume(self, volume: float) -> None:
        self.volume = volume
        self.volumes.append(volume)

    def close(self) -> None:
        pass


@pytest.fixture
def voiced(open_ui: Any) -> tuple[Any, RecordingSpeaker, list[ScreenModel]]:
    speaker = RecordingSpeaker()
    ui = open_ui(speaker=speaker)
    speaker.engine = ui.engine
    published: list[ScreenModel] = []
    ui.engine.subscribe(published.append)  # after the guide: it has spoken by the time this hears the model
    return ui, speaker, published


def said_for(model: ScreenModel) -> str:
    """The first part the guide says for ``model`` (the whole screen when it is all in one language)."""
    return speech.merged(speech.screen_speech(model))[0].text


def new_screens(published: list[ScreenModel]) -> list[ScreenModel]:
    out, last = [], None
    for m in published:
        if last is None or (m.session_id, m.step, m.kind, m.lang) != (last.session_id, last.step, last.kind, last.lang):
            out.append(m)
        last = m
    return out


def check_speech(speaker: RecordingSpeaker, published: list[ScreenModel], secrets: tuple[str, ...],
                 digits_typed: int) -> None:
    elderly_screens = [m for m in new_screens(published) if m.elderly and m.session_id is not None]
    assert len(elderly_screens) >= 8
    for m in elderly_screens:
        assert said_for(m), f"{m.step}: nothing to say"
        assert any(s.screen.seq == m.seq and s.text == said_for(m) for s in speaker.said), f"{m.step} was not spoken"
    for s in speaker.said:
        assert not any(secret in s.text for secret in secrets), "a PIN or a mobile number was spoken"
        if s.screen.kind is ScreenKind.PIN_ENTRY and s.text != said_for(s.screen):
            assert s.text in PIN_WORDS, f"PIN entry said {s.text!r}"
            assert not any(ch.isdigit() for ch in s.text)
        if s.screen.session_id is not None and s.screen.elderly:
            assert (s.lang, s.elderly) == ("zh_CN", True)
    pin_words = [s.text for s in speaker.said if s.screen.kind is ScreenKind.PIN_ENTRY and s.text in PIN_WORDS]
    assert pin_words.count(text("zh_CN", "voice.pin_digit")) == digits_typed


def type_pin(ui: Any, pin: str) -> None:
    dots = ui.window.current_screen().dots
    for typed, key in enumerate(pin, 1):
        ui.qa.press_keys(key)
        ui.wait_until(lambda n=typed: dots.digits() == n)
    ui.qa.press_keys("E")


def finish(ui: Any, take_card: bool = False) -> None:
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=take_card) == "completed"


def test_si_payment_accepting_the_offer_at_sixty(voiced: Any) -> None:
    ui, speaker, published = voiced
    ui.wait_step("home")
    ui.click("flow-si_payment")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("li_xiuying")  # born 1950: the kiosk offers elderly mode
    ui.wait_step("bill")
    assert ui.window.offer.isVisible()
    assert not ui.model.elderly
    assert speaker.said == [], "standard mode: voice is off until asked"
    ui.click("btn-offer-elderly-on")
    ui.wait_until(lambda: ui.model.elderly)
    assert not ui.window.offer.isVisible()
    assert speaker.said[-1].text == said_for(ui.model)  # switched on: the screen is read out at once
    assert ui.button("btn-voice").text() == "语音：开"
    ui.click(next(b.objectName() for b in ui.visible_choices() if b.isEnabled()))
    ui.wait_step("card")
    ui.qa.insert_bank_card("li_xiuying_1")
    ui.wait_step("fraud_warning")
    screen = ui.window.current_screen()
    assert screen.icon.kind() == "warning"
    assert text("zh_CN", "step.fraud_warning.prompt") in speaker.said[-1].text
    wait = ui.kiosk.services.settings.timeouts.fraud_dwell_s
    assert not ui.button("choice-continue").isEnabled()
    assert ui.button("choice-continue").text() == text("zh_CN", "button.fraud_wait", seconds=int(wait))
    ui.kiosk.services.clock.advance(wait / 2)
    ui.engine.tick()
    ui.wait_until(lambda: ui.button("choice-continue").text()
                  == text("zh_CN", "button.fraud_wait", seconds=int(wait - wait / 2)))
    ui.kiosk.services.clock.advance(wait / 2)
    ui.engine.tick()
    ui.wait_until(lambda: ui.button("choice-continue").isEnabled())
    ui.choose("continue")
    ui.wait_step("confirm")
    ui.click("btn-repeat")  # the customer did not catch it
    assert [s.text for s in speaker.said[-2:]] == [said_for(ui.model), said_for(ui.model)]
    ui.choose("confirm")
    ui.wait_step("pin")
    type_pin(ui, LI_PIN)
    finish(ui, take_card=True)
    check_speech(speaker, published, (LI_PIN,), len(LI_PIN))


def test_loss_report_in_elderly_mode_from_the_home_screen(voiced: Any) -> None:
    ui, speaker, published = voiced
    ui.wait_step("home")
    ui.click("btn-elderly")
    ui.wait_until(lambda: ui.model.elderly)
    assert speaker.said[-1].text == said_for(ui.model)  # elderly mode speaks the home screen
    ui.qa.show_camera("person:li_xiuying")
    ui.click("flow-loss_report")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("li_xiuying")
    ui.wait_step("face_consent")
    assert not ui.window.offer.isVisible(), "already in elderly mode: no offer"
    ui.choose("agree")
    ui.wait_step("card")
    ui.click(next(b.objectName() for b in ui.visible_choices() if b.isEnabled()))
    ui.wait_step("kind")
    ui.choose("verbal")
    ui.wait_step("confirm")
    ui.click("btn-volume")  # quieter
    assert speaker.volumes == [0.4]
    ui.choose("confirm")
    finish(ui)
    assert speaker.volume == 1.0, "the next customer starts at the set volume"
    check_speech(speaker, published, (), 0)


def test_account_opening_in_elderly_mode_typing_on_a_keypad(voiced: Any) -> None:
    ui, speaker, published = voiced
    ui.wait_step("home")
    ui.click("btn-elderly")
    ui.qa.show_camera("person:chen_jing")
    ui.click("flow-account_opening")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("chen_jing")
    ui.wait_step("face_consent")
    ui.choose("agree")
    ui.wait_step("mobile")
    for digit in "13912345678":  # a physical keypad types into the form
        QTest.keyClick(ui.window, getattr(Qt.Key, f"Key_{digit}"))
    assert ui.button("field-mobile").text() == "139 1234 5678"
    ui.click("btn-submit")
    ui.wait_step("sms_code")
    ui.type_on_keypad(ui.qa.sms_code(ui.engine.session.data_as(AccountOpening).sms.sms_ref))
    ui.click("btn-submit")
    ui.wait_step("agreement")
    ui.choose("agree")
    ui.wait_step("new_pin")
    type_pin(ui, NEW_PIN)
    ui.wait_step("confirm_pin")
    type_pin(ui, NEW_PIN)
    ui.wait_step("confirm")
    ui.choose("confirm")
    ui.wait_until(lambda: ui.model.data.get("device_hint") == "dispenser" and ui.model.step == "deliver_card")
    ui.qa.take_new_card()
    finish(ui)
    check_speech(speaker, published, (NEW_PIN, "13912345678"), 2 * len(NEW_PIN))
