"""The guide on the real engine: a social-insurance payment with a wrong PIN, in elderly mode."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.app.qa import SimulatorControls
from kiosk.app.scenario import load_scenario
from kiosk.app.scenario_driver import Driver
from kiosk.core import i18n
from kiosk.engine.guide import VoiceGuide
from kiosk.engine.screens import Input, InputKind

from .conftest import FakeSpeaker

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "si_payment" / "wrong_pin.toml"


def test_a_payment_in_elderly_mode_is_guided_screen_by_screen(kiosk_factory) -> None:
    # the scenario was written for standard mode: no pause on the fraud warning
    kiosk = kiosk_factory({"timeouts.fraud_dwell_s": 0})
    driver = Driver(kiosk, SimulatorControls(kiosk))
    speaker = FakeSpeaker()
    guide = VoiceGuide(speaker)
    guide.attach(kiosk.engine)
    kiosk.engine.send(Input(InputKind.ELDERLY, "on"))
    scenario = load_scenario(SCENARIO)
    driver.setup(scenario.setup, scenario.flow)
    for number, action in enumerate(scenario.step, 1):
        driver.perform(number, action)
    report = driver.finish()
    assert report.outcome == "completed"

    spoken = speaker.spoken
    feedback = {i18n.text("zh_CN", f"voice.pin_{k}") for k in ("digit", "deleted", "cleared")}
    assert spoken.count(i18n.text("zh_CN", "voice.pin_digit")) == 12  # two PINs of six digits
    wrong = next(t for t in spoken if t.startswith("密码错误"))
    pin_prompt = next(i for i, t in enumerate(spoken) if i18n.text("zh_CN", "step.pin.prompt") in t)
    assert spoken.index(wrong) > pin_prompt
    for text in spoken:  # no typed digit sequence, and digit feedback never holds a digit
        assert "111111" not in text
        assert "147258" not in text
        if text in feedback:
            assert not re.search(r"\d", text)
    screens = [step["step"] for step in report.trail if step["what"] == "screen"]
    new_screens = sum(1 for a, b in zip(["home", *screens], screens, strict=False) if a != b)
    assert len([t for t in speaker.utterances if t not in feedback and t != wrong]) <= new_screens + 1
