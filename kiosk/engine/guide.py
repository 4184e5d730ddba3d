"""Voice guidance: speaks what each screen says, as the engine publishes it. No Qt.

Subscribed to the engine (``engine.subscribe(guide.on_screen)``, on the engine's thread):

- a NEW screen (another session, step, kind or language) stops current speech and speaks the
  model's ``voice`` text;
- a re-render of the same screen speaks only what is new on it: an error, a notice (e.g. "staff
  have been called"), the inactivity warning;
- on PIN entry it speaks only the catalog's "digit entered" / "deleted" / "cleared" as the digit
  count changes, never a digit;
- ``repeat()`` speaks the current screen again (also when guidance is off: the customer asked).

Guidance is on by default in elderly mode, off elsewhere unless ``enabled_by_default``;
``set_enabled`` is the one-touch switch, kept until the session ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from kiosk.core import i18n
from kiosk.engine.screens import ScreenKind, ScreenModel

log = logging.getLogger(__name__)


class SpeechOutput(Protocol):
    """What the guide needs of a speaker (kiosk.voice.Speaker, or a fake in tests)."""

    def say(self, text: str, lang: str, elderly: bool = False) -> int | None: ...

    def stop(self) -> None: ...


class ScreenSource(Protocol):
    screen: ScreenModel

    def subscribe(self, listener: Callable[[ScreenModel], None], /) -> None: ...


class VoiceGuide:
    def __init__(self, speaker: SpeechOutput, enabled_by_default: bool = False) -> None:
        self.speaker = speaker
        self.enabled_by_default = enabled_by_default
        self._lock = threading.RLock()
        self._last: ScreenModel | None = None
        self._was_on = False
        self._choice: bool | None = None  # the customer's touch; None = the mode's default

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
                self._speak(model, i18n.text(model.lang, "voice.enabled"), model.voice)

    def repeat(self) -> None:
        """Speak the current screen again."""
        with self._lock:
            if self._last is not None:
                self._speak(self._last, self._last.voice)

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
                if on:
                    self._speak(model, model.voice, interrupt=False)
            elif on and not was_on:
                self._speak(model, model.voice)  # e.g. elderly mode was just switched on
            elif on:
                self._speak(model, *_news(last, model))
            elif was_on:
                self.speaker.stop()

    def _on(self, model: ScreenModel) -> bool:
        if self._choice is not None:
            return self._choice
        return self.enabled_by_default or model.elderly

    def _speak(self, model: ScreenModel, *parts: str, interrupt: bool = True) -> None:
        text = " ".join(part for part in parts if part)
        if text:
            if interrupt:
                self.speaker.stop()
            self.speaker.say(text, model.lang, model.elderly)


def _new_screen(last: ScreenModel, model: ScreenModel) -> bool:
    return (last.session_id, last.step, last.kind, last.lang) != (model.session_id, model.step, model.kind, model.lang)


def _news(last: ScreenModel, model: ScreenModel) -> list[str]:
    """What appeared on a re-rendered screen that the customer should hear."""
    news: list[str] = []
    if model.error and model.error != last.error:
        news.append(model.error)
    elif model.kind is ScreenKind.PIN_ENTRY:
        news.append(_pin_feedback(last, model))
    if model.notice and model.notice != last.notice:
        news.append(model.notice)
    if model.warning_s_left is not None and last.warning_s_left is None:
        news.append(i18n.text(model.lang, "timeout.warning", seconds=model.warning_s_left))
    return news


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
