"""The kiosk's audio output as one more row among the devices (``kiosk devices status``, the staff
maintenance screen): ok with the player it uses, or offline with why voice guidance is not heard.

Fault codes: ``no_audio_player`` (none of pw-play, paplay, aplay installed: Debian ``alsa-utils``),
``no_sound_card`` (aplay is there but ALSA has no card), ``no_speech`` (text to speech did not start).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from devices.api import DeviceState, DeviceStatus
from kiosk.voice.output import NO_SOUND_CARD, find_output

AUDIO = "audio"


class SpeakerLike(Protocol):
    output_problem: str | None
    problem: str | None

    @property
    def output(self) -> object: ...


@dataclass(frozen=True)
class AudioProblem:
    fault: str
    detail: str


def output_problem(problem: str | None) -> AudioProblem | None:
    """The fault code of a player problem from :func:`kiosk.voice.output.find_output`."""
    if problem is None:
        return None
    fault = "no_sound_card" if problem.startswith(NO_SOUND_CARD) else "no_audio_player"
    return AudioProblem(fault, problem)


class AudioStatus:
    """A device-like status of the audio output (``status()``, ``close()``, ``reset()``)."""

    name = AUDIO

    def __init__(self, player: str = "auto", speaker: SpeakerLike | None = None) -> None:
        self.player = player
        self.speaker = speaker

    def problem(self) -> AudioProblem | None:
        if self.speaker is None:
            return output_problem(find_output(self.player)[1])
        found = output_problem(self.speaker.output_problem)
        if found is None and self.speaker.problem:
            return AudioProblem("no_speech", self.speaker.problem)
        return found

    def status(self) -> DeviceStatus:
        problem = self.problem()
        if problem is not None:
            return DeviceStatus(AUDIO, DeviceState.OFFLINE, problem.fault, problem.detail, {})
        output = self.speaker.output if self.speaker is not None else find_output(self.player)[0]
        return DeviceStatus(AUDIO, DeviceState.OK, None, f"player {getattr(output, 'name', '?')}", {})

    def reset(self) -> None:
        """Nothing to reset: an audio player is installed, not restarted."""

    def close(self) -> None:
        """Nothing to close."""
