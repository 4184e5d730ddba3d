"""One thing said (or to be said) by the speaker, with its timing, and the speaker's error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class VoiceError(Exception):
    """Speech could not be produced; one line for staff (``kiosk voice say``)."""


@dataclass(frozen=True)
class Utterance:
    id: int
    text: str
    lang: str
    elderly: bool
    requested_at: float
    synth_started_at: float | None = None
    audio_started_at: float | None = None
    ended_at: float | None = None
    completed: bool = False  # played to its end
    voice: str | None = None  # the espeak-ng voice used
    seconds: float | None = None  # length of the audio
    error: str | None = None  # why it was not (fully) played: "replaced", "stopped", a player error ...

    @property
    def start_latency(self) -> float | None:
        """Seconds from say() to the audio reaching the output."""
        return None if self.audio_started_at is None else self.audio_started_at - self.requested_at


SpeechListener = Callable[[str, Utterance], None]  # ("started" | "ended", utterance)
