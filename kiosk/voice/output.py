"""Where synthesized speech goes: an audio player process, or nowhere (timed as if played).

A playback can be stopped from any thread and stops at once (the player process is terminated),
which pyttsx3's own espeak playback (``os.system("aplay ...")`` inside its callback) cannot do.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Protocol

from kiosk.voice.synth import wav_seconds

PLAYERS = (("pw-play",), ("paplay",), ("aplay", "-q"))


class Playback(Protocol):
    def wait(self, timeout: float | None = None) -> bool:
        """True once the playback has ended (finished, stopped or failed)."""

    def stop(self) -> None:
        """End the playback now; safe from any thread, more than once."""

    @property
    def error(self) -> str | None:
        """Why the audio was not played, once ended; None when it played or was stopped."""


class AudioOutput(Protocol):
    name: str

    def play(self, wav: Path) -> Playback: ...


class _ProcessPlayback:
    """A player process in its own process group (a wrapper script's children stop with it); its
    stderr goes to a file, so reading it never waits for a straggling child."""

    def __init__(self, argv: list[str]) -> None:
        self._stopped = False
        self._error: str | None = None
        self._stderr = tempfile.TemporaryFile()
        self._process: subprocess.Popen[bytes] | None = None
        try:
            self._process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=self._stderr, start_new_session=True)
        except OSError as exc:
            self._error = f"cannot run {argv[0]}: {exc.strerror or exc}"
            self._stderr.close()

    def wait(self, timeout: float | None = None) -> bool:
        process = self._process
        if process is None:
            return True
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        if not self._stderr.closed:
            self._stderr.seek(0)
            message = self._stderr.read(4096).decode("utf-8", "replace").strip()
            self._stderr.close()
            if process.returncode != 0 and not self._stopped:
                first = message.splitlines()[0] if message else "no message"
                self._error = f"{Path(str(process.args[0])).name} exited with {process.returncode}: {first}"  # type: ignore[index]
        return True

    def stop(self) -> None:
        self._stopped = True
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)

    @property
    def error(self) -> str | None:
        return self._error


class CommandOutput:
    """Plays a WAV file with a player command (the file is its last argument)."""

    def __init__(self, command: list[str]) -> None:
        if not command:
            raise ValueError("empty player command")
        self.command = list(command)
        self.name = " ".join(command)

    def play(self, wav: Path) -> Playback:
        return _ProcessPlayback([*self.command, str(wav)])


class _TimedPlayback:
    def __init__(self, seconds: float) -> None:
        self._ends_at = time.monotonic() + seconds
        self._stopped = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        left = self._ends_at - time.monotonic()
        if left > 0:
            self._stopped.wait(left if timeout is None else min(left, timeout))
        return self._stopped.is_set() or time.monotonic() >= self._ends_at

    def stop(self) -> None:
        self._stopped.set()

    @property
    def error(self) -> str | None:
        return None


class NullOutput:
    """Plays nothing but takes as long as the audio would (or ``speed`` times faster), so timing,
    queueing and stop behave as with a speaker. For tests, benchmarks and a kiosk with no sound."""

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self.name = "none"

    def play(self, wav: Path) -> Playback:
        return _TimedPlayback(wav_seconds(wav) / self.speed)


NO_PLAYER = "no audio player found"
NO_SOUND_CARD = "no sound card"
SOUND_CARDS = Path("/proc/asound/cards")


def sound_card_problem(command: str) -> str | None:
    """aplay plays through ALSA, which needs a sound card; without one every utterance would fail."""
    if Path(command).name != "aplay":
        return None
    cards = SOUND_CARDS.read_text(errors="replace") if SOUND_CARDS.exists() else ""
    if not cards.strip() or "no soundcards" in cards:
        return f"{NO_SOUND_CARD} for aplay (ALSA lists none); speech is not played"
    return None


def find_output(player: str) -> tuple[AudioOutput, str | None]:
    """The output for a ``player`` setting, and a one-line problem when it is not what was asked."""
    if player == "none":
        return NullOutput(), None
    if player != "auto":
        command = shlex.split(player)
        if shutil.which(command[0]) is None:
            return NullOutput(), f"audio player {command[0]!r} not found; speech is not played"
        problem = sound_card_problem(command[0])
        return (NullOutput(), problem) if problem else (CommandOutput(command), None)
    for known in PLAYERS:
        if shutil.which(known[0]) is not None:
            problem = sound_card_problem(known[0])
            return (NullOutput(), problem) if problem else (CommandOutput(list(known)), None)
    tried = ", ".join(c[0] for c in PLAYERS)
    return NullOutput(), f"{NO_PLAYER} (tried {tried}; Debian: apt install alsa-utils); speech is not played"
