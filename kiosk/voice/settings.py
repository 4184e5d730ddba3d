"""What the speaker is configured with: voices per language, speaking rates, volume, audio player."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

# espeak-ng voice identifiers as pyttsx3 lists them. Plain "zh" silently falls back to English.
DEFAULT_VOICES: Mapping[str, str] = {"zh_CN": "sit/cmn", "en_US": "gmw/en-us"}


@dataclass(frozen=True)
class VoiceSettings:
    """The ``[voice]`` part of the kiosk's configuration.

    ``rate`` and ``elderly_rate`` are espeak-ng words per minute (espeak's own default is 175).
    ``volume`` is 0..1. ``player`` is ``"auto"`` (the first of pw-play, paplay, aplay found),
    ``"none"`` (synthesize and time speech but play nothing: tests, benchmarks, a kiosk without a
    sound card) or a command line that plays a WAV file given as its last argument (``"aplay -q"``).
    """

    enabled: bool = True
    voices: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_VOICES))
    rate: int = 170
    elderly_rate: int = 125
    volume: float = 1.0
    player: str = "auto"
    driver: str = "espeak"

    def __post_init__(self) -> None:
        for name in ("rate", "elderly_rate"):
            value = getattr(self, name)
            if not 60 <= value <= 400:
                raise ValueError(f"voice.{name}: {value} words per minute; allowed 60..400")
        if not 0.0 <= self.volume <= 1.0:
            raise ValueError(f"voice.volume: {self.volume}; allowed 0..1")
        if not self.player.strip():
            raise ValueError('voice.player: empty; allowed "auto", "none" or a command line')

    def rate_for(self, elderly: bool) -> int:
        return self.elderly_rate if elderly else self.rate

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> VoiceSettings:
        """Settings from a TOML table; unknown keys are an error that names the key."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"voice.{unknown[0]}: unknown key; allowed: {', '.join(sorted(known))}")
        values = dict(data)
        if "voices" in values:
            values["voices"] = {**DEFAULT_VOICES, **dict(values["voices"])}
        return cls(**values)
