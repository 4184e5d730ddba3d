"""Speech for everything shown (kiosk/engine/speech.py): every screen kind, both modes and languages,
generated models with 1, 6, 12 and 30 rows or choices; money, masked numbers, staff text in its own
language. Qt-free."""

from __future__ import annotations

import re

import pytest

from kiosk.core import i18n
from kiosk.core.money import format_fen
from kiosk.engine import speech
from kiosk.engine.screens import Choice, FormField, Outcome, Row, ScreenKind, ScreenModel
from kiosk.engine.speech import Segment

LANGS = ("zh_CN", "en_US")
COUNTS = (1, 6, 12, 30)
PANS = ("6222 **** 1234", "622848*********0018", "138****5678", "110105********002X")


def value(lang: str, n: int) -> str:
    """Row values of every sort the flows show: money, masked numbers, names, dates, references, words."""
    kinds = (
        i18n.text(lang, "money.yuan", amount=format_fen(150_800 + n * 1_001)),
        PANS[n % len(PANS)],
        "张*" if n % 2 else "欧阳**",
        f"2026-11-{1 + n % 28:02d} 10:{n % 60:02d}",
        f"PAY2026112800{n:04d}",
        i18n.text(lang, "flow.loss_report.kind.verbal"),
    )
    return kinds[n % len(kinds)]


def generated(kind: ScreenKind, lang: str, elderly: bool, count: int) -> ScreenModel:
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    rows = tuple(Row(t("row.amount") if n % 6 == 0 else t("row.card"), value(lang, n)) for n in range(count))
    choices = tuple(Choice(f"c{n}", value(lang, n + 1) if n % 3 else t("flow.si_payment.title"),
                           detail=t("money.yuan", amount=format_fen(n * 100 + 5)) if n % 2 else "",
                           enabled=n % 5 != 4) for n in range(count))
    return ScreenModel(kind, f"step_{kind.value}", title=t("step.confirm.title"), prompt=t("step.confirm.prompt"),
                       rows=rows, choices=choices, lang=lang, elderly=elderly, session_id="s1",
                       fields=(FormField("mobile", t("field.mobile.label"), hint=t("field.mobile.hint")),)
                       if kind is ScreenKind.FORM else (),
                       outcome=Outcome.COMPLETED if kind is ScreenKind.RESULT else None)


def spoken(model: ScreenModel) -> str:
    return " ".join(s.text for s in speech.screen_speech(model))


CASES = [(kind, lang, elderly, count) for kind in ScreenKind for lang in LANGS for elderly in (False, True)
         for count in COUNTS]


@pytest.mark.parametrize(("kind", "lang", "elderly", "count"), CASES,
                         ids=[f"{k.value}-{lang}-{'elderly' if e else 'standard'}-{c}" for k, lang, e, c in CASES])
def test_every_visible_value_is_spoken(kind: ScreenKind, lang: str, elderly: bool, count: int) -> None:
    model = generated(kind, lang, elderly, count)
    said = spoken(model)
    assert model.title in said
    assert speech.spoken_value(model.prompt, lang) in said
    for row in model.rows:
        assert speech.row_words(row.label, row.value, lang) in said, row
    for number, choice in enumerate(model.choices, 1):
        assert speech.choice_words(choice, number, lang) in said, choice
    for field in model.fields:
        assert field.label in said
        assert speech.spoken_value(field.hint, lang) in said
    assert "*" not in said, "stars are said as words"
    assert not re.search(r"\d\.\d\d", said), "an amount was left as figures"
    # in reading order: title, prompt, the rows top to bottom, then the choices in order
    position = said.index(model.title)
    in_order = [speech.row_words(r.label, r.value, lang) for r in model.rows]
    in_order += [speech.choice_words(c, n, lang) for n, c in enumerate(model.choices, 1)]
    for words in in_order:
        position = said.index(words, position)  # raises when it comes only earlier


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("count", COUNTS)
def test_choices_are_a_numbered_list(lang: str, count: int) -> None:
    said = spoken(generated(ScreenKind.CHOICE, lang, True, count))
    for n in range(1, count + 1):
        number = speech.zh_number(n) if lang == "zh_CN" else str(n)
        assert i18n.text(lang, "speech.choice", n=number, label="") in said
    if count > 1:
        assert said.count(i18n.text(lang, "speech.choice", n="", label="")[:1]) >= count


@pytest.mark.parametrize(("amount", "zh", "en"), [
    ("1,508.00", "一千五百零八元整", "1,508 yuan"),
    ("754.50", "七百五十四元五角", "754 yuan 50 fen"),
    ("10.05", "十元零五分", "10 yuan 5 fen"),
    ("0.30", "三角", "30 fen"),
    ("20,000.00", "二万元整", "20,000 yuan"),
    ("100,010.00", "十万零一十元整", "100,010 yuan"),
])
def test_amounts_are_read_as_money(amount: str, zh: str, en: str) -> None:
    assert speech.spoken_value(i18n.text("zh_CN", "money.yuan", amount=amount), "zh_CN") == zh
    assert speech.spoken_value(i18n.text("en_US", "money.yuan", amount=amount), "en_US") == en


@pytest.mark.parametrize(("masked", "zh", "en"), [
    ("6222 **** 1234", "六 二 二 二 星号 一 二 三 四", "six two two two hidden digits one two three four"),
    ("138****5678", "一 三 八 星号 五 六 七 八", "one three eight hidden digits five six seven eight"),
    ("110105********002X", "一 一 零 一 零 五 星号 零 零 二 X", "one one zero one zero five hidden digits zero zero two X"),
])
def test_masked_numbers_are_read_digit_by_digit_and_the_stars_once(masked: str, zh: str, en: str) -> None:
    assert speech.spoken_value(masked, "zh_CN") == zh
    assert speech.spoken_value(masked, "en_US") == en


def test_the_reference_on_a_result_is_read_character_by_character() -> None:
    model = ScreenModel(ScreenKind.RESULT, "result", "办理成功", rows=(Row("交易流水号", "PAY20261128000001"),),
                        lang="zh_CN")
    assert "P A Y 二 零 二 六 一 一 二 八 零 零 零 零 零 一" in spoken(model)


def test_a_staff_reason_in_english_is_spoken_by_the_english_voice() -> None:
    reason = "The customer could not show proof of address"
    prompt = i18n.text("zh_CN", "approval.rejected", reason=reason)
    model = ScreenModel(ScreenKind.RESULT, "failed", i18n.text("zh_CN", "failed.title"), prompt=prompt,
                        lang="zh_CN", outcome=Outcome.FAILED)
    segments = speech.merged(speech.screen_speech(model))
    assert [s.lang for s in segments] == ["zh_CN", "en_US"]
    assert segments[1].text.startswith(reason)
    assert "工作人员未批准办理" in segments[0].text


def test_chinese_on_an_english_screen_is_spoken_by_the_mandarin_voice() -> None:
    segments = speech.by_language(["Name, 张* . Reason: 客户要求"], "en_US")
    assert [s.lang for s in segments] == ["en_US", "zh_CN", "en_US", "zh_CN"]
    assert segments[1] == Segment("张", "zh_CN")


def test_a_latin_word_inside_chinese_stays_chinese() -> None:
    assert speech.by_language(["请在PIN键盘上输入密码"], "zh_CN") == [Segment("请在PIN键盘上输入密码", "zh_CN")]


def test_the_receipt_is_read_out_on_the_receipt_screen() -> None:
    model = ScreenModel(ScreenKind.RECEIPT, "receipt", "请取走凭条", lang="zh_CN",
                        data={"receipt_lines": (("金额", "1,508.00 元"), ("银行卡", "622848*********0018"))})
    said = spoken(model)
    assert i18n.text("zh_CN", "speech.receipt") in said
    assert "金额，一千五百零八元整" in said
    assert "银行卡，六 二 二 八 四 八 星号 零 零 一 八" in said


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("elderly", [False, True])
def test_the_warning_speech_estimate_is_an_upper_bound_of_espeak(lang: str, elderly: bool, tmp_path) -> None:
    """Measured against the real espeak-ng voices: the countdown never starts before the warning has
    been said."""
    from kiosk.voice import Speaker, VoiceSettings

    text = i18n.text(lang, "timeout.warning", seconds=30 if elderly else 20)
    with Speaker(VoiceSettings(player="none")) as speaker:
        if not speaker.available:
            pytest.skip(speaker.problem or "no espeak-ng")
        real = speaker.speak_to_file(text, lang, tmp_path / "w.wav", elderly=elderly).seconds or 0
    estimate = speech.estimate_seconds(text, lang, elderly)
    assert real <= estimate <= real * 1.5 + 1
