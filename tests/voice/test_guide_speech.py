"""The guide speaks whole screens, face instructions (rate-limited on the injected clock), focused items,
agreements section by section on request, and each text in its own language."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.core import i18n
from kiosk.core.clock import ManualClock
from kiosk.engine import speech
from kiosk.engine.guide import FACE_GAP_S, FACE_SAME_TEXT_S, VoiceGuide
from kiosk.engine.screens import Choice, Outcome, Row, ScreenKind, ScreenModel

from .conftest import FakeSpeaker


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def guide(fake_speaker: FakeSpeaker, clock: ManualClock) -> VoiceGuide:
    return VoiceGuide(fake_speaker, clock=clock)


def face(lang: str = "zh_CN", guidance: str | None = None, challenge: str | None = None) -> ScreenModel:
    t = lambda key: i18n.text(lang, key)  # noqa: E731
    guidance_text = t(f"face.guide.{guidance}") if guidance else None
    challenge_text = t(f"face.challenge.{challenge}") if challenge else None
    prompt = challenge_text or guidance_text or t("step.face.prompt")
    return ScreenModel(ScreenKind.FACE, "face", t("step.face.title"), prompt=prompt, session_id="s1", elderly=True,
                       lang=lang, data={"guidance_text": guidance_text, "challenge_text": challenge_text})


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_face_guidance_speaks_each_new_instruction_rate_limited(guide: VoiceGuide, fake_speaker: FakeSpeaker,
                                                                clock: ManualClock, lang: str) -> None:
    guide.on_screen(face(lang))
    fake_speaker.clear()
    t = lambda key: i18n.text(lang, key)  # noqa: E731
    guide.on_screen(face(lang, "too_far"))  # 0 s after the screen's own speech: not yet (no chatter)
    clock.advance(FACE_GAP_S)
    guide.on_screen(face(lang, "too_far"))  # the same instruction re-rendered: nothing new
    guide.on_screen(face(lang, "off_centre"))  # a new correction, 2 s after the last instruction: said
    clock.advance(0.5)
    guide.on_screen(face(lang, "too_far"))  # another within 2 s: not said
    guide.on_screen(face(lang, challenge="blink"))  # a challenge: always said
    clock.advance(0.5)
    guide.on_screen(face(lang, challenge="turn_left"))  # a new challenge 0.5 s later: said
    clock.advance(FACE_GAP_S)
    guide.on_screen(face(lang, "off_centre"))  # said 3 s ago: the same text not again within 5 s
    clock.advance(FACE_SAME_TEXT_S)
    guide.on_screen(face(lang, "too_far"))
    assert fake_speaker.spoken == [t("face.guide.off_centre"), t("face.challenge.blink"),
                                   t("face.challenge.turn_left"), t("face.guide.too_far")]


def test_face_first_correction_after_the_gap_is_said(guide: VoiceGuide, fake_speaker: FakeSpeaker,
                                                      clock: ManualClock) -> None:
    guide.on_screen(face())
    clock.advance(FACE_GAP_S)
    fake_speaker.clear()
    guide.on_screen(face(guidance="too_far"))
    clock.advance(FACE_GAP_S)
    guide.on_screen(face(guidance="off_centre"))
    clock.advance(FACE_GAP_S)
    guide.on_screen(face(challenge="blink"))
    assert fake_speaker.spoken == [i18n.text("zh_CN", k) for k in ("face.guide.too_far", "face.guide.off_centre",
                                                                   "face.challenge.blink")]


def test_a_screen_in_two_languages_is_queued_in_order(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    reason = "Customer could not show proof of address"
    model = ScreenModel(ScreenKind.RESULT, "failed", i18n.text("zh_CN", "failed.title"),
                        prompt=i18n.text("zh_CN", "approval.rejected", reason=reason), session_id="s1",
                        elderly=True, outcome=Outcome.FAILED, choices=(Choice("continue", "完成"),))
    guide.on_screen(model)
    says = [c for c in fake_speaker.calls if c[0] == "say"]
    assert [c[2] for c in says] == ["zh_CN", "en_US", "zh_CN"]
    assert says[1][1].startswith(reason)
    assert fake_speaker.queued == [False, True, True]  # one screen: the parts follow each other


def test_speak_item_reads_the_focused_choice_with_its_number(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    model = ScreenModel(ScreenKind.CHOICE, "card", "请选择银行卡", session_id="s1", elderly=True,
                        choices=(Choice("a", "622848*********0018", "借记卡"), Choice("b", "622848*********0026")))
    guide.on_screen(model)
    fake_speaker.clear()
    guide.speak_item("622848*********0026")
    assert fake_speaker.spoken == ["第二项：六 二 二 八 四 八 星号 零 零 二 六"]
    guide.speak_item("重听")
    assert fake_speaker.spoken[-1] == "重听"
    assert fake_speaker.calls.count(("stop",)) == 2  # each focus move cuts the previous item short


def test_speak_item_is_silent_when_guidance_is_off(fake_speaker: FakeSpeaker) -> None:
    guide = VoiceGuide(fake_speaker)
    guide.on_screen(ScreenModel(ScreenKind.HOME, "home", "请选择业务", elderly=False))
    guide.speak_item("社保缴费")
    assert fake_speaker.spoken == []


def agreement(reads: int, sections: tuple[str, ...], elderly: bool = False) -> ScreenModel:
    data = {"document": "\n".join(sections[1:]), "sections": sections, "reads": reads}
    if reads:
        data["reading"] = (reads - 1) % len(sections)
    return ScreenModel(ScreenKind.AGREEMENT, "consent", "请阅读并同意", session_id="s1", elderly=elderly, data=data,
                       choices=(Choice("agree", "同意"), Choice("decline", "不同意"), Choice("read", "朗读协议")))


def test_an_agreement_is_read_section_by_section_on_request_key_terms_first(fake_speaker: FakeSpeaker) -> None:
    guide = VoiceGuide(fake_speaker)  # standard mode, voice off: reading aloud was asked for, so it is said
    sections = ("要点：只用于本次业务。", "个人信息授权书", "为办理您申请的业务，本行将收集……")
    guide.on_screen(agreement(0, sections))
    assert fake_speaker.spoken == []
    for reads in (1, 2, 3, 4):
        guide.on_screen(agreement(reads, sections))
    said = fake_speaker.spoken
    assert len(said) == 4
    assert said[0].startswith("第一部分，共三部分。要点")
    assert said[0].endswith(i18n.text("zh_CN", "speech.document.more"))
    assert "个人信息授权书" in said[1]
    assert "本行将收集" in said[2]
    assert said[2].endswith(i18n.text("zh_CN", "speech.document.end"))
    assert said[3].startswith("第一部分")  # again from the start


def test_the_agreement_screen_says_it_can_be_read_aloud() -> None:
    said = " ".join(s.text for s in speech.screen_speech(agreement(0, ("要点", "正文"), elderly=True)))
    assert i18n.text("zh_CN", "speech.document.offer") in said
    assert "第三项：朗读协议" in said


def test_repeat_reads_the_whole_screen_again(guide: VoiceGuide, fake_speaker: FakeSpeaker) -> None:
    model = ScreenModel(ScreenKind.CONFIRM, "confirm", "请核对办理信息", prompt="请核对以下信息", session_id="s1",
                        elderly=True, rows=(Row("金额", "1,508.00 元"), Row("银行卡", "622848*********0018")),
                        choices=(Choice("confirm", "确认办理"),))
    guide.on_screen(model)
    guide.on_screen(replace(model, seq=2))
    guide.repeat()
    first, again = fake_speaker.spoken
    assert first == again
    assert "金额，一千五百零八元整" in again
    assert "六 二 二 八 四 八 星号 零 零 一 八" in again
