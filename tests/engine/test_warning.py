"""The inactivity warning: at least 20 s (30 s in elderly mode), counted down only after it has been said
(its speech time estimated from its text), in both languages, on the injected clock."""

from __future__ import annotations

import pytest

from kiosk.core import i18n
from kiosk.engine import speech
from kiosk.engine.screens import Input, InputKind
from kiosk.engine.settings import Timeouts


def start(kiosk, driver, lang: str, elderly: bool) -> None:
    kiosk.engine.send(Input(InputKind.LANGUAGE, lang))
    if elderly:
        kiosk.engine.send(Input(InputKind.ELDERLY, "on"))
    kiosk.engine.send(Input(InputKind.START, "si_payment"))
    driver.wait_for_screen("consent")


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
@pytest.mark.parametrize("elderly", [False, True])
def test_the_warning_counts_down_its_time_after_it_has_been_said(kiosk, driver, lang: str, elderly: bool) -> None:
    start(kiosk, driver, lang, elderly)
    engine, clock = kiosk.engine, kiosk.services.clock
    timeouts = kiosk.services.settings.timeouts
    countdown = 30 if elderly else 20
    assert timeouts.warning_for(elderly) == countdown
    said_s = speech.estimate_seconds(i18n.text(lang, "timeout.warning", seconds=countdown), lang, elderly)
    assert engine.warning_timing(engine.session) == (countdown, said_s)
    screen_s = engine.screen.timeout_s
    clock.advance(screen_s - countdown - 0.5)
    engine.tick()
    assert engine.screen.warning_s_left is None
    clock.advance(0.5)
    engine.tick()
    assert engine.screen.warning_s_left == countdown
    clock.advance(said_s - 0.1)  # still being said: the countdown has not started
    engine.tick()
    assert engine.screen.warning_s_left == countdown
    clock.advance(0.1 + countdown - 0.5)  # the whole countdown after the speech, less half a second
    engine.tick()
    assert engine.screen.warning_s_left == 1
    assert engine.session is not None
    assert engine.screen.step == "consent"
    clock.advance(0.6)
    engine.tick()
    driver.finish()
    assert engine.last_report.outcome == "timeout"


def test_the_warning_is_at_least_20_seconds() -> None:
    assert Timeouts().warning_s == 20
    assert Timeouts().elderly_warning_s == 30
    with pytest.raises(ValueError, match="greater than or equal to 20"):
        Timeouts(warning_s=15)
    assert Timeouts(warning_s=25, elderly_warning_s=20).warning_for(True) == 25  # elderly never gets less
