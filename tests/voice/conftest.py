"""Voice tests: a recording fake speaker for guide logic, real pyttsx3 where audio matters, and a
check that no test leaves a thread behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from kiosk.voice import Speaker, VoiceSettings


@dataclass
class FakeSpeaker:
    """Records what the guide asks for: ("say", text, lang, elderly) and ("stop",)."""

    calls: list[tuple] = field(default_factory=list)
    queued: list[bool] = field(default_factory=list)  # per say: after the previous part (another language)

    def say(self, text: str, lang: str, elderly: bool = False, queue: bool = False) -> int | None:
        self.calls.append(("say", text, lang, elderly))
        self.queued.append(queue)
        return len(self.calls)

    def stop(self) -> None:
        self.calls.append(("stop",))

    @property
    def spoken(self) -> list[str]:
        return [c[1] for c in self.calls if c[0] == "say"]

    @property
    def utterances(self) -> list[str]:
        """What was said, the parts of one screen (queued in order) joined."""
        said: list[str] = []
        for text, queued in zip(self.spoken, self.queued, strict=True):
            if queued and said:
                said[-1] += " " + text
            else:
                said.append(text)
        return said

    def clear(self) -> None:
        self.calls.clear()
        self.queued.clear()


@pytest.fixture
def fake_speaker() -> FakeSpeaker:
    return FakeSpeaker()


@pytest.fixture
def speaker() -> Iterator[Speaker]:
    """A real speaker (pyttsx3, espeak-ng) that plays nothing but takes the audio's time."""
    with Speaker(VoiceSettings(player="none")) as s:
        yield s


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 2.0
    while True:
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert not leaked, f"threads left running: {[t.name for t in leaked]}"
