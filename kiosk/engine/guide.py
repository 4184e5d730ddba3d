"""Voice guidance: speaks what each screen shows, as the engine publishes it. No Qt.

Subscribed to the engine (``engine.subscribe(guide.on_screen)``, on the engine's thread):

- a NEW screen (another session, step, kind or language) stops current speech and speaks the whole
  screen (kiosk/engine/speech.py): title, prompt, rows with their values, choices as a numbered
  list, the receipt, each part in the language of its text;
- a re-render of the same screen speaks only what is new on it: an error, a notice (e.g. "staff
  have been called"), the inactivity warning, a new face instruction (rate-limited), the next
  section of a document the customer asked to hear;
- on PIN entry it speaks only the catalog's "digit entered" / "deleted" / "cleared" as the digit
  count changes, never a digit;
- ``repeat()`` speaks the whole screen again and ``speak_item(text)`` the item a key focused
  (also when guidance is off: the customer asked).

Guidance is on by default in elderly mode, off elsewhere unless ``enabled_by_default``;
``set_enabled`` is the one-touch switch, kept until the session ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from kiosk.core import i18n
from kiosk.core.clock import Clock, SystemClock
from kiosk.engine import speech
from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.engine.speech import Segment

log = logging.getLogger(__name__)

FACE_SAME_TEXT_S = 5.0  # the same face instruction is not said again within this
FACE_GAP_S = 2.0  # at most one new correction this often; a new challenge is always said


class SpeechOutput(Protocol):
    """What the guide needs of a speaker (kiosk.voice.Speaker, or a fake in tests). ``queue`` puts
    the text after what is queued (the next segment of one screen) instead of replacing it."""

    def say(self, text: str, lang: str, elderly: bool = False, queue: bool = False) -> int | None: ...

    def stop(self) -> None: ...


class ScreenSource(Protocol):
    screen: ScreenModel

    def subscribe(self, listener: Callable[[ScreenModel], None], /) -> None: ...


class VoiceGuide:
    def __init__(self, speaker: SpeechOutput, enabled_by_default: bool = False, clock: Clock | None = None) -> None:
        self.speaker = speaker
        self.enabled_by_default = enabled_by_default
        self.clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._last: ScreenModel | None = None
        self._was_on = False
        self._choice: bool | None = None  # the customer's touch; None = the mode's default
        self._face: dict[str, float] = {}  # face instruction -> when it was said
        self._face_at = float("-inf")  # when the last face instruction was said

    def attach(self, engine: ScreenSource) -> None:
        """Subscribe to ``engine`` and take its current screen."""
        engine.subscribe(self.on_screen)
        self.on_screen(engine.screen)

    @property
    def enabled(self) -> bool:
        """Whether screens are spoken now."""
        with self._lock:
            if self._last is None:
                return self.enabled_by_default if self._choice is None else self._choice
            return self._on(self._last)

    def set_enabled(self, on: bool) -> None:
        """The customer's switch: on speaks the current screen at once, off stops speech."""
        with self._lock:
            was_on = self.enabled
            self._choice = bool(on)
            model = self._last
            self._was_on = bool(on)
            if not on:
                self.speaker.stop()
            elif model is not None and not was_on:
                enabled = Segment(i18n.text(model.lang, "voice.enabled"), model.lang)
                self._say(model, [enabled, *speech.screen_speech(model)])

    def repeat(self) -> None:
        """Speak the whole current screen again."""
        with self._lock:
            if self._last is not None:
                self._say(self._last, speech.screen_speech(self._last))

    def speak_item(self, text: str) -> None:
        """The item a key focused (a button's words); a choice is said with its number and detail.
        Said when guidance is on; a focus move never turns speech on."""
        with self._lock:
            model = self._last
            if model is None or not self._on(model) or not text.strip():
                return
            words = " ".join(text.split())
            for number, choice in enumerate(model.choices, 1):
                if " ".join(choice.label.split()) in words:
                    words = speech.choice_words(choice, number, model.lang)
                    break
            self._say(model, speech.by_language([words], model.lang))

    def on_screen(self, model: ScreenModel) -> None:
        """The engine's listener: called with every published screen model. Never raises: a voice
        problem must not stop the engine."""
        try:
            self._on_screen(model)
        except Exception:
            log.exception("voice guide: screen %s not spoken", model.step)

    __call__ = on_screen

    def _on_screen(self, model: ScreenModel) -> None:
        with self._lock:
            last, was_on = self._last, self._was_on
            if last is not None and last.session_id is not None and model.session_id != last.session_id:
                self._choice = None  # the customer is done: the next one starts from the default
            self._last = model
            on = self._was_on = self._on(model)
            if last is None or _new_screen(last, model):
                self.speaker.stop()  # speech stops when the screen changes, spoken or not
                self._face.clear()
                if on:
                    self._face_said(model)
                    self._say(model, speech.screen_speech(model), interrupt=False)
            elif on and not was_on:
                self._say(model, speech.screen_speech(model))  # e.g. elderly mode was just switched on
            elif on:
                self._say(model, self._news(last, model))
            elif was_on:
                self.speaker.stop()
            if model.kind is ScreenKind.AGREEMENT and _reads(model) > _reads(last) and not _new_screen(last or model, model):
                self._say(model, document_section(model))  # asked for: spoken also when guidance is off

    def _on(self, model: ScreenModel) -> bool:
        if self._choice is not None:
            return self._choice
        return self.enabled_by_default or model.elderly

    def _say(self, model: ScreenModel, segments: Sequence[Segment], interrupt: bool = True) -> None:
        segments = speech.merged(s for s in segments if s.text.strip())
        if not segments:
            return
        if interrupt:
            self.speaker.stop()
        for index, segment in enumerate(segments):
            if index == 0:
                self.speaker.say(segment.text, segment.lang, model.elderly)
            else:
                self.speaker.say(segment.text, segment.lang, model.elderly, queue=True)

    def _news(self, last: ScreenModel, model: ScreenModel) -> list[Segment]:
        """What appeared on a re-rendered screen that the customer should hear."""
        news: list[str] = []
        if model.error and model.error != last.error:
            news.append(model.error)
        elif model.kind is ScreenKind.PIN_ENTRY:
            news.append(_pin_feedback(last, model))
        elif model.kind is ScreenKind.FACE and model.prompt != last.prompt and self._face_due(model):
            news.append(model.prompt)
        if model.notice and model.notice != last.notice:
            news.append(model.notice)
        if model.warning_s_left is not None and last.warning_s_left is None:
            news.append(warning_text(model))
        return speech.by_language([n for n in news if n], model.lang)

    def _face_due(self, model: ScreenModel) -> bool:
        """A new face instruction: a challenge always; a correction unless one was said under
        ``FACE_GAP_S`` ago or the same one under ``FACE_SAME_TEXT_S`` ago."""
        now, text = self.clock.monotonic(), model.prompt
        challenge = bool(model.data.get("challenge_text")) and text == model.data.get("challenge_text")
        if not challenge and (now - self._face_at < FACE_GAP_S or now - self._face.get(text, float("-inf")) < FACE_SAME_TEXT_S):
            return False
        self._face_said(model)
        return True

    def _face_said(self, model: ScreenModel) -> None:
        if model.kind is ScreenKind.FACE:
            self._face_at = self._face[model.prompt] = self.clock.monotonic()


def warning_text(model: ScreenModel) -> str:
    """What the inactivity warning says (the engine times its countdown from this text)."""
    return i18n.text(model.lang, "timeout.warning", seconds=model.warning_s_left)


def document_section(model: ScreenModel) -> list[Segment]:
    """The section of the agreement the customer asked for ("read aloud"): key terms first, then the
    document's paragraphs, each announced as part n of m, and what to press for the next."""
    sections: Sequence[str] = model.data.get("sections") or ()
    index = _reading(model)
    if index is None or not sections:
        return []
    t = lambda key, **kw: i18n.text(model.lang, key, **kw)  # noqa: E731
    number = lambda n: speech.spoken_number(n, model.lang)  # noqa: E731
    last = index >= len(sections) - 1
    parts = [t("speech.document.section", n=number(index + 1), count=number(len(sections))),
             speech.spoken_value(sections[min(index, len(sections) - 1)], model.lang),
             t("speech.document.end" if last else "speech.document.more")]
    return speech.by_language(parts, model.lang)


def _reading(model: ScreenModel | None) -> int | None:
    if model is None:
        return None
    reading = model.data.get("reading")
    return reading if isinstance(reading, int) else None


def _reads(model: ScreenModel | None) -> int:
    return int(model.data.get("reads") or 0) if model is not None else 0


def _new_screen(last: ScreenModel, model: ScreenModel) -> bool:
    return (last.session_id, last.step, last.kind, last.lang) != (model.session_id, model.step, model.kind, model.lang)


def _pin_feedback(last: ScreenModel, model: ScreenModel) -> str:
    """The catalog's words for a change in the digit count; never the digits, never the count."""
    before, now = _digits(last), _digits(model)
    if now > before:
        key = "voice.pin_digit"
    elif now == 0 and before > 0:
        key = "voice.pin_cleared"
    elif now < before:
        key = "voice.pin_deleted"
    else:
        return ""
    return i18n.text(model.lang, key)


def _digits(model: ScreenModel) -> int:
    try:
        return int(model.data.get("digits") or 0)
    except (TypeError, ValueError):
        return 0
