"""Voice controls in the header: voice on/off, repeat, volume. Shown on every screen when the kiosk
speaks (kiosk/app/gui.py passes the voice guide and the speaker in); one touch turns voice on.

The UI knows the guide and the speaker only through the small protocols below (kiosk/engine/guide.py
``VoiceGuide`` and kiosk/voice/speaker.py ``Speaker`` fit them; tests pass fakes)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.engine.screens import ScreenModel
from kiosk.ui.switch import SwitchButton
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import button, set_flag

VOLUME_LEVELS = (("low", 0.4), ("medium", 0.7), ("high", 1.0))  # one touch goes to the next, high wraps to low


class GuideLike(Protocol):
    @property
    def enabled(self) -> bool: ...

    def set_enabled(self, on: bool) -> None: ...

    def repeat(self) -> None: ...


class VolumeLike(Protocol):
    @property
    def volume(self) -> float: ...

    def set_volume(self, volume: float) -> None: ...


class VoiceControls(Protocol):
    """What the voice bar needs: the guide's switch and repeat, the speaker's volume."""

    @property
    def enabled(self) -> bool: ...

    def set_enabled(self, on: bool) -> None: ...

    def repeat(self) -> None: ...

    @property
    def volume(self) -> float: ...

    def set_volume(self, volume: float) -> None: ...


class GuideVoice:
    """A guide and a speaker as one :class:`VoiceControls`."""

    def __init__(self, guide: GuideLike, speaker: VolumeLike) -> None:
        self.guide, self.speaker = guide, speaker

    @property
    def enabled(self) -> bool:
        return self.guide.enabled

    def set_enabled(self, on: bool) -> None:
        self.guide.set_enabled(on)

    def repeat(self) -> None:
        self.guide.repeat()

    def speak_item(self, text: str) -> None:
        speak = getattr(self.guide, "speak_item", None)
        if speak is not None:
            speak(text)

    @property
    def volume(self) -> float:
        return self.speaker.volume

    def set_volume(self, volume: float) -> None:
        self.speaker.set_volume(volume)

    @property
    def unavailable(self) -> str | None:
        """Why nothing is heard (no audio player, no sound card, no speech engine), or None."""
        return getattr(self.speaker, "output_problem", None) or getattr(self.speaker, "problem", None)


def volume_level(volume: float) -> int:
    """The index of the level nearest to ``volume``."""
    return min(range(len(VOLUME_LEVELS)), key=lambda i: abs(VOLUME_LEVELS[i][1] - volume))


class VoiceBar(QWidget):
    """Three header buttons: ``btn-voice`` (a switch: says on or off, its knob right when on), ``btn-repeat``,
    ``btn-volume``
    (says the level; each touch the next level). Hidden when the kiosk has no voice.

    The volume goes back to the configured one when a session ends, so the next customer starts from it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("VoiceBar")
        self.controls: VoiceControls | None = None
        self._default_volume = 1.0
        self._lang = "zh_CN"
        self._session: str | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.toggle = SwitchButton("btn-voice")
        self.again = button("", "btn-repeat", "bar")
        self.volume = button("", "btn-volume", "bar")
        for b in (self.toggle, self.again, self.volume):
            row.addWidget(b)
        self.toggle.clicked.connect(self._toggle)
        self.again.clicked.connect(self._repeat)
        self.volume.clicked.connect(self._next_volume)
        self.hide()

    def set_controls(self, controls: VoiceControls | None) -> None:
        self.controls = controls
        if controls is not None:
            self._default_volume = controls.volume
        self.setVisible(controls is not None)
        self.refresh()

    def render(self, model: ScreenModel, spacing: int) -> None:
        self._lang = model.lang
        self.layout().setSpacing(spacing)
        if self.controls is not None and self._session is not None and model.session_id is None:
            self.controls.set_volume(self._default_volume)  # the customer is done
        self._session = model.session_id
        self.refresh()

    def refresh(self) -> None:
        """Words and looks from the controls' state (the guide turns itself on in elderly mode)."""
        if self.controls is None:
            return
        unavailable = getattr(self.controls, "unavailable", None)  # the reason is on the staff maintenance screen
        self.toggle.setEnabled(not unavailable)
        for extra in (self.again, self.volume):
            extra.setVisible(not unavailable)
        if unavailable:
            self.toggle.setText(ui_text(self._lang, "ui.voice.unavailable"))
            set_flag(self.toggle, "selected", "false")
            self.toggle.set_state(False)
            return
        on = self.controls.enabled
        self.toggle.setText(ui_text(self._lang, "ui.voice.on" if on else "ui.voice.off"))
        set_flag(self.toggle, "selected", "true" if on else "false")
        self.toggle.set_state(on)
        self.again.setText(ui_text(self._lang, "ui.voice.repeat"))
        name = VOLUME_LEVELS[volume_level(self.controls.volume)][0]
        level = ui_text(self._lang, f"ui.voice.volume.{name}")
        self.volume.setText(ui_text(self._lang, "ui.voice.volume", level=level))

    def _toggle(self) -> None:
        if self.controls is not None:
            self.controls.set_enabled(not self.controls.enabled)
            self.refresh()

    def _repeat(self) -> None:
        if self.controls is not None:
            self.controls.repeat()

    def speak_item(self, text: str) -> None:
        """A key focused a button: its words are said (when the guide is speaking)."""
        speak = getattr(self.controls, "speak_item", None)
        if speak is not None:
            speak(text)

    def _next_volume(self) -> None:
        if self.controls is not None:
            index = (volume_level(self.controls.volume) + 1) % len(VOLUME_LEVELS)
            self.controls.set_volume(VOLUME_LEVELS[index][1])
            self.refresh()
