"""Voice guidance on screen models, with a recording fake speaker."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from kiosk.core import i18n
from kiosk.engine.guide import VoiceGuide
from kiosk.engine.screens import ScreenKind, ScreenModel

from .conftest import FakeSpeaker


def screen(step: str = "consent", kind: ScreenKind = ScreenKind.AGREEMENT, *, session: str | None = "s1",
           elderly: bool = True, lang: str = "zh_CN", **kw) -> ScreenModel:
    title, prompt = kw.pop("title", f"{step}标题"), kw.pop("prompt", f"{step}提示")
    return ScreenModel(kind, step, title=title, prompt=prompt, voice=kw.pop("voice", f"{step} voice"),
                       session_id=session, elderly=elderly, lang=lang, **kw)


def said(step: str) -> str:
    """What the guide says for ``screen(step)`` (no rows, no choices): its title and its prompt."""
    return f"{step}标题。{step}提示。"


def pin(digits: int, **kw) -> ScreenModel:
    return screen("pin", ScreenKind.PIN_ENTRY, data={"digits": digits, "length": 6}, **kw)


@pytest.fixture
def guide(fake_speaker: FakeSpeaker) -> VoiceGuide:
    return VoiceGuide(fake_speaker)


def test_a_new_screen_stops_speech_and_speaks_its_voice_text(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("consent"))
    guide.on_screen(screen("bill", ScreenKind.CHOICE))
    assert fake_speaker.calls == [("stop",), ("say", said("consent"), "zh_CN", True),
                                  ("stop",), ("say", said("bill"), "zh_CN", True)]


def test_a_re_render_of_the_same_screen_is_not_spoken_again(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("consent"))
    fake_speaker.clear()
    guide.on_screen(replace(screen("consent", busy=True), seq=2))
    guide.on_screen(replace(screen("consent", warning_s_left=None), seq=3))
    assert fake_speaker.calls == []


def test_a_new_error_on_the_same_screen_is_spoken(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("mobile", ScreenKind.FORM))
    fake_speaker.clear()
    guide.on_screen(screen("mobile", ScreenKind.FORM, error="手机号码不正确"))
    guide.on_screen(screen("mobile", ScreenKind.FORM, error="手机号码不正确"))  # still showing: said once
    guide.on_screen(screen("mobile", ScreenKind.FORM))
    assert fake_speaker.calls == [("stop",), ("say", "手机号码不正确", "zh_CN", True)]


def test_pin_entry_speaks_only_digit_entered_never_a_digit(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(pin(0))
    fake_speaker.clear()
    for count in range(1, 7):
        guide.on_screen(pin(count))
    guide.on_screen(pin(5))
    guide.on_screen(pin(0))
    guide.on_screen(pin(0))
    entered, deleted, cleared = (i18n.text("zh_CN", f"voice.pin_{k}") for k in ("digit", "deleted", "cleared"))
    assert fake_speaker.spoken == [entered] * 6 + [deleted, cleared]
    assert not any(re.search(r"\d", text) for text in fake_speaker.spoken)
    assert fake_speaker.calls.count(("stop",)) == 8  # each word cuts the previous one short


def test_pin_feedback_follows_the_language(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(pin(0, lang="en_US"))
    guide.on_screen(pin(1, lang="en_US"))
    assert fake_speaker.spoken[-1] == "Digit entered."


def test_a_wrong_pin_error_is_spoken_instead_of_cleared(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(pin(6))
    fake_speaker.clear()
    guide.on_screen(pin(0, error="密码错误"))
    assert fake_speaker.spoken == ["密码错误"]


def test_standard_mode_is_silent_until_switched_on(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("consent", elderly=False))
    guide.on_screen(screen("consent", elderly=False, error="x"))
    guide.on_screen(pin(0, elderly=False))
    guide.on_screen(pin(1, elderly=False))
    assert fake_speaker.spoken == []
    assert not guide.enabled
    guide.set_enabled(True)  # the one touch
    assert guide.enabled
    assert fake_speaker.spoken == [i18n.text('zh_CN', 'voice.enabled') + said("pin")]
    guide.on_screen(pin(2, elderly=False))
    assert fake_speaker.spoken[-1] == i18n.text("zh_CN", "voice.pin_digit")


def test_switching_off_stops_speech_and_silences_elderly_mode(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("consent"))
    guide.set_enabled(False)
    assert fake_speaker.calls[-1] == ("stop",)
    fake_speaker.clear()
    guide.on_screen(screen("bill", ScreenKind.CHOICE))
    assert fake_speaker.spoken == []


def test_the_switch_lasts_the_session_then_returns_to_the_default(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("home", ScreenKind.HOME, session=None, elderly=False))
    guide.set_enabled(True)  # on the home screen, before the session starts
    guide.on_screen(screen("consent", elderly=False))
    guide.on_screen(screen("bill", ScreenKind.CHOICE, elderly=False))
    assert fake_speaker.spoken[-2:] == [said("consent"), said("bill")]
    guide.on_screen(screen("home", ScreenKind.HOME, session=None, elderly=False))  # the customer left
    assert not guide.enabled
    assert fake_speaker.spoken[-1] == said("bill")


def test_enabled_by_default_speaks_in_standard_mode(fake_speaker: FakeSpeaker) -> None:
    guide = VoiceGuide(fake_speaker, enabled_by_default=True)
    guide.on_screen(screen("consent", elderly=False))
    assert fake_speaker.spoken == [said("consent")]


def test_switching_elderly_mode_on_speaks_the_screen(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("home", ScreenKind.HOME, session=None, elderly=False))
    guide.on_screen(screen("home", ScreenKind.HOME, session=None, elderly=True))
    assert fake_speaker.spoken == [said("home")]


def test_speech_stops_on_a_new_screen_even_when_guidance_is_off(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("consent", elderly=False))
    guide.repeat()  # the customer asked to hear it
    fake_speaker.clear()
    guide.on_screen(screen("bill", ScreenKind.CHOICE, elderly=False))
    assert fake_speaker.calls == [("stop",)]


def test_repeat_speaks_the_current_screen_again(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.repeat()  # nothing shown yet: nothing to repeat
    guide.on_screen(screen("consent"))
    guide.repeat()
    assert fake_speaker.spoken == [said("consent"), said("consent")]
    assert fake_speaker.calls[-2] == ("stop",)


def test_a_language_change_speaks_the_screen_in_the_new_language(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("home", ScreenKind.HOME, session=None, title="请选择业务", prompt=""))
    guide.on_screen(screen("home", ScreenKind.HOME, session=None, lang="en_US", title="Choose a service", prompt=""))
    assert fake_speaker.calls[-1] == ("say", "Choose a service.", "en_US", True)


def test_a_notice_and_the_inactivity_warning_are_spoken(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("consent", lang="en_US"))
    fake_speaker.clear()
    guide.on_screen(screen("consent", lang="en_US", notice="Staff have been called. Please wait."))
    guide.on_screen(screen("consent", lang="en_US", notice="Staff have been called. Please wait.", warning_s_left=15))
    guide.on_screen(screen("consent", lang="en_US", notice="Staff have been called. Please wait.", warning_s_left=14))
    assert fake_speaker.spoken == ["Staff have been called. Please wait.",
                                   i18n.text("en_US", "timeout.warning", seconds=15)]


def test_a_new_session_on_the_same_step_is_a_new_screen(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    guide.on_screen(screen("consent", session="s1"))
    guide.on_screen(screen("consent", session="s2"))
    assert fake_speaker.spoken == [said("consent"), said("consent")]


def test_the_guide_keys_are_in_both_catalogs_without_digits() -> None:
    for lang in i18n.LANGUAGES:
        for key in ("voice.enabled", "voice.pin_digit", "voice.pin_deleted", "voice.pin_cleared"):
            assert i18n.text(lang, key)
            assert not re.search(r"\d", i18n.text(lang, key))
    voice_keys = {lang: sorted(k for k in i18n.catalog(lang) if k.startswith("voice.")) for lang in i18n.LANGUAGES}
    assert voice_keys["zh_CN"] == voice_keys["en_US"]


def test_a_failing_speaker_never_stops_the_engine(caplog) -> None:
    class Broken:
        def say(self, text: str, lang: str, elderly: bool = False) -> int | None:
            raise RuntimeError("audio device gone")

        def stop(self) -> None:
            pass

    guide = VoiceGuide(Broken())
    guide.on_screen(screen("consent"))  # no exception reaches the engine
    assert "voice guide: screen consent not spoken" in caplog.text


def test_enabled_before_any_screen_follows_the_default(fake_speaker: FakeSpeaker) -> None:
    assert not VoiceGuide(fake_speaker).enabled
    assert VoiceGuide(fake_speaker, enabled_by_default=True).enabled
