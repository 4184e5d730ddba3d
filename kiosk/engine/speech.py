"""What a screen says out loud: built from its model, in the order a person reads it. No Qt.

:func:`screen_speech` turns a :class:`ScreenModel` into :class:`Segment`s: the error, the title, the
prompt, each row as "label, value", the form's fields, a note that a document can be read aloud,
the choices as a numbered list, a receipt's lines, the notice. Values are said as a person says
them (:func:`spoken_value`): amounts as money, masked card, account, ID and phone numbers digit by
digit with the hidden part said once, references character by character, dates as dates.

Every segment has a language: text is split by script (:func:`by_language`), so a member of staff's
English reason on a Chinese screen is spoken by the English voice and a Chinese name on an English
screen by the Mandarin one. All words come from the catalogs (``speech.*``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from kiosk.core import i18n
from kiosk.engine.screens import Choice, ScreenKind, ScreenModel

ZH, EN = "zh_CN", "en_US"


@dataclass(frozen=True)
class Segment:
    text: str
    lang: str


# --- numbers ------------------------------------------------------------------------------------

_ZH_UNITS = ("", "十", "百", "千")  # the Mandarin number reading; its words are not messages
_ZH_GROUPS = ("", "万", "亿")


def zh_number(n: int) -> str:
    """1508 -> 一千五百零八, 10 -> 十, 20050 -> 二万零五十 (Mandarin reading of a whole number)."""
    digits = i18n.text(ZH, "speech.digits").split()
    if n < 0:
        return i18n.text(ZH, "speech.minus") + zh_number(-n)
    if n == 0:
        return digits[0]
    groups: list[int] = []
    while n:
        n, group = divmod(n, 10_000)
        groups.append(group)
    out, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += digits[0]
        out += _zh_group(group, digits) + _ZH_GROUPS[index]
        gap = False
    ten = digits[1] + _ZH_UNITS[1]
    return out[len(digits[1]):] if out.startswith(ten) and 10 <= groups[-1] < 20 else out  # 十五, not 一十五


def _zh_group(n: int, digits: Sequence[str]) -> str:
    out, zero = "", False
    for power in (3, 2, 1, 0):
        d = n // 10**power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += digits[0]
            zero = False
        out += digits[d] + _ZH_UNITS[power]
    return out


def spoken_number(n: int, lang: str) -> str:
    return zh_number(n) if lang == ZH else f"{n:,}"


def spoken_money(amount: str, lang: str) -> str:
    """'1,508.00' -> 一千五百零八元整 / 1,508 yuan; '754.50' -> 七百五十四元五角 / 754 yuan 50 fen."""
    negative = amount.startswith("-")
    whole, _, cents = amount.lstrip("-").partition(".")
    yuan, fen = int(whole.replace(",", "") or 0), int((cents + "00")[:2])
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    if fen == 0:
        said = t("speech.money.whole", yuan=spoken_number(yuan, lang))
    elif lang == ZH:
        jiao, f = divmod(fen, 10)
        small = (t("speech.money.jiao", n=zh_number(jiao)) if jiao else (zh_number(0) if yuan else "")) \
            + (t("speech.money.fen", n=zh_number(f)) if f else "")
        said = (t("speech.money.yuan", yuan=zh_number(yuan)) if yuan else "") + small
    elif yuan == 0:
        said = t("speech.money.fen", n=fen)
    else:
        said = t("speech.money.and_fen", yuan=spoken_number(yuan, lang), fen=fen)
    return t("speech.minus") + said if negative else said


def digit_by_digit(text: str, lang: str) -> str:
    """'6222****1234' -> the digits one by one, each run of stars said once ("星号" / "hidden digits")."""
    names = i18n.text(lang, "speech.digits").split()
    words: list[str] = []
    for run in re.findall(r"\*+|[0-9]|[A-Za-z]", text):
        if run.startswith("*"):
            words.append(i18n.text(lang, "speech.hidden"))
        elif run.isdigit():
            words.append(names[int(run)])
        else:
            words.append(run.upper())
    return " ".join(words)


# --- values -------------------------------------------------------------------------------------

_AMOUNT = r"(-?\d{1,3}(?:,\d{3})*\.\d{2})"
_NUMBER_TOKEN = re.compile(r"(?<![\w*])[0-9*](?:[0-9Xx*]| (?=[0-9*]))*(?![\w*])")
_CODE = re.compile(r"(?<![\w-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9-]{6,}(?![\w-])|(?<![\w.,-])\d{6,}(?![\w.,])")
_MOMENT = re.compile(r"(?<![\d-])(\d{4})-(\d{2})(?:-(\d{2})(?: (\d{2}):(\d{2}))?)?(?![\d-])")
_STARS = re.compile(r"\*+")


@cache
def _money_pattern(lang: str) -> re.Pattern[str]:
    template = re.escape(i18n.text(lang, "money.yuan")).replace(re.escape("{amount}"), _AMOUNT)
    return re.compile(template)


def spoken_value(value: str, lang: str) -> str:
    """A value as it is said: money, masked numbers, codes and dates made speakable; the rest as shown."""
    said = _money_pattern(lang).sub(lambda m: spoken_money(m.group(1), lang), value)
    said = _MOMENT.sub(lambda m: _moment(m, lang), said)
    said = _NUMBER_TOKEN.sub(lambda m: _masked(m.group(0), lang), said)
    said = _CODE.sub(lambda m: digit_by_digit(m.group(0).replace("-", ""), lang), said)
    return _STARS.sub(" " + i18n.text(lang, "speech.hidden_chars") + " ", said).strip()


def _masked(token: str, lang: str) -> str:
    """A masked number (digits and stars) digit by digit; any other number as it is."""
    return digit_by_digit(token, lang) if "*" in token and re.search(r"\d", token) else token


def _moment(m: re.Match[str], lang: str) -> str:
    year, month, day, hour, minute = m.groups()
    key = "speech.month" if day is None else "speech.date" if hour is None else "speech.datetime"
    if lang == ZH:
        names = i18n.text(ZH, "speech.digits").split()
        return i18n.text(ZH, key, year="".join(names[int(d)] for d in year), month=zh_number(int(month)),
                         day=zh_number(int(day or 1)), hour=zh_number(int(hour or 0)), minute=zh_number(int(minute or 0)))
    return i18n.text(lang, key, year=year, month=int(month), day=int(day or 1), hour=int(hour or 0), minute=minute or "00")


# --- a screen -----------------------------------------------------------------------------------


def choice_words(choice: Choice, number: int, lang: str) -> str:
    """'第一项：缴纳全部，养老保险…' / 'Option 1: Pay all, …'."""
    words = i18n.text(lang, "speech.choice", n=spoken_number(number, lang), label=spoken_value(choice.label, lang))
    if choice.detail:
        words += i18n.text(lang, "speech.separator") + spoken_value(choice.detail, lang)
    if not choice.enabled:
        words += i18n.text(lang, "speech.separator") + i18n.text(lang, "speech.unavailable")
    return words


def row_words(label: str, value: str, lang: str) -> str:
    return i18n.text(lang, "speech.row", label=label, value=spoken_value(value, lang))


def screen_text(model: ScreenModel) -> list[str]:
    """The screen's sentences in reading order (each to be split by language)."""
    lang = model.lang
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    parts: list[str] = [model.error or "", model.title]
    if model.prompt and model.prompt != model.title:
        parts.append(spoken_value(model.prompt, lang))
    parts += [row_words(row.label, row.value, lang) for row in model.rows]
    parts += [row_words(f.label, f.hint, lang) if f.hint else f.label for f in model.fields]
    if model.kind is ScreenKind.AGREEMENT and model.data.get("sections"):
        parts.append(t("speech.document.offer"))
    receipt = model.data.get("receipt_lines") or ()
    if receipt:
        parts.append(t("speech.receipt"))
        parts += [row_words(str(label), str(value), lang) for label, value in receipt]
    choices = [c for c in model.choices]
    if len(choices) > 1:
        count = i18n.text(ZH, "speech.two") if lang == ZH and len(choices) == 2 else spoken_number(len(choices), lang)
        parts.append(t("speech.choices", count=count))
    parts += [choice_words(c, n, lang) for n, c in enumerate(choices, 1)]
    if model.notice:
        parts.append(spoken_value(model.notice, lang))
    return [_sentence(p, lang) for p in parts if p]


def screen_speech(model: ScreenModel) -> list[Segment]:
    """Everything the screen shows, as segments in reading order, each in the language of its text."""
    return by_language(screen_text(model), model.lang)


def _sentence(text: str, lang: str) -> str:
    text = text.strip()
    end = "。！？.!?：:" if lang == ZH else ".!?:。！？"
    return text if not text or text[-1] in end else text + i18n.text(lang, "speech.pause")


# --- languages ----------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LATIN_PHRASE = re.compile(r"[A-Za-z]{2,}[^A-Za-z]+[A-Za-z]{2,}")
_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+|[^\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def by_language(texts: Iterable[str], lang: str) -> list[Segment]:
    """Split texts into segments by script, in order: Chinese characters go to zh_CN; Latin words
    go to en_US (on a Chinese screen only a phrase of two words or more: "PIN" in a Chinese
    sentence stays Chinese); digits and punctuation stay with the text around them. Adjacent
    segments of one language are joined."""
    segments: list[Segment] = []
    for text in texts:
        for index, run in enumerate(_RUN.findall(text)):
            if _CJK.match(run):
                seg_lang = ZH
            elif lang == EN or _LATIN_PHRASE.search(run):
                seg_lang = EN
            else:
                seg_lang = lang
            between = " " if index == 0 and segments and EN in (seg_lang, segments[-1].lang) else ""
            _append(segments, between + run, seg_lang)
    return [Segment(" ".join(s.text.split()), s.lang) for s in segments if s.text.strip()]


def _append(segments: list[Segment], text: str, lang: str) -> None:
    if segments and (segments[-1].lang == lang or not re.search(r"[^\W\d_]", text)):
        segments[-1] = Segment(segments[-1].text + text, segments[-1].lang)
    elif segments and not re.search(r"[^\W\d_]", segments[-1].text):
        segments[-1] = Segment(segments[-1].text + text, lang)
    else:
        segments.append(Segment(text, lang))


def merged(segments: Iterable[Segment]) -> list[Segment]:
    """Adjacent segments of one language as one."""
    out: list[Segment] = []
    for seg in segments:
        if out and out[-1].lang == seg.lang:
            out[-1] = Segment(out[-1].text + ("" if seg.lang == ZH else " ") + seg.text, seg.lang)
        else:
            out.append(seg)
    return out


def joined(segments: Sequence[Segment]) -> str:
    return " ".join(s.text for s in segments)


# --- how long it takes --------------------------------------------------------------------------

# Seconds per unit at espeak-ng's standard rate (170 words a minute; elderly mode 125), measured with
# sit/cmn and gmw/en-us and rounded up (docs/voice.md): a Chinese character, a Latin word, a pause.
_SECONDS = {"char": 0.36, "word": 0.32, "pause": 0.3}
_RATE, _ELDERLY_RATE = 170, 125


def estimate_seconds(text: str, lang: str, elderly: bool = False) -> float:
    """An upper estimate of how long ``text`` takes to say, for the timeout warning's countdown."""
    seconds = 0.0
    for seg in by_language([text], lang):
        chars = len(_CJK.findall(seg.text))
        words = len(re.findall(r"[A-Za-z]+|\d+", seg.text))
        pauses = len(re.findall(r"[，。！？、；：,.!?;:]", seg.text))
        seconds += chars * _SECONDS["char"] + words * _SECONDS["word"] + pauses * _SECONDS["pause"]
    return round(seconds * (_RATE / _ELDERLY_RATE if elderly else 1.0) + 0.5, 1)
