"""pyttsx3 (espeak-ng) behind one small class: text in, WAV file out.

What pyttsx3 2.99's espeak driver does, measured here, and how this module copes:

- espeak-ng is initialised once per process; its voice, rate, volume and synthesis callback are
  process-wide, and ``pyttsx3.init()`` hands every caller the same cached engine. Every use of the
  engine goes through :data:`ENGINE_LOCK`, and a strong reference keeps the engine alive (a collected
  driver clears the process-wide synthesis callback).
- The driver's own ``say()`` plays by running ``aplay`` from inside the synthesis callback: it cannot
  be interrupted, and with no ``aplay`` or sound card it fails. We only use ``save_to_file`` and play
  the WAV ourselves (:mod:`kiosk.voice.output`), which stops at once.
- After a ``save_to_file`` the driver keeps the file name, so a later ``say()`` on the same engine
  writes to that file too (checked by a test). Never calling ``say()`` avoids it.
- ``startLoop(False)``/``iterate()`` raise TypeError with this driver (its ``iterate`` is no generator).
- The driver runs espeak-ng in AUDIO_OUTPUT_RETRIEVAL mode, which is asynchronous: the callbacks and
  the WAV writing happen on espeak's own thread, ``runAndWait`` can return before the utterance
  finished, and an utterance started while espeak still reports the previous one as playing is
  cancelled by the driver. We wait for ``finished-utterance`` and for espeak to be idle.
- The driver prints "Audio saved to ..." on stdout for each file: routed to the debug log.
"""

from __future__ import annotations

import logging
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ENGINE_LOCK = threading.Lock()
FINISH_WAIT_S = 30.0
IDLE_WAIT_S = 5.0
_engines: dict[str, Any] = {}  # strong references: see the module docstring


class SynthesisError(Exception):
    """Text to speech failed; the message is one line for the operator."""


class _Interrupted(SynthesisError):
    """The driver reported the utterance as not completed (a stale cancel)."""


@dataclass(frozen=True)
class Rendered:
    """One utterance written to a WAV file."""

    path: Path
    voice: str  # the voice espeak-ng actually used, read back after synthesis
    seconds: float  # length of the audio
    started_at: float  # time.perf_counter() at pyttsx3's started-utterance callback
    finished_at: float  # ... and at its finished-utterance callback


class _Callbacks:
    def __init__(self) -> None:
        self.started_at = 0.0
        self.finished_at = 0.0
        self.error: BaseException | None = None
        self.done = threading.Event()

    def started(self, **_: Any) -> None:
        self.started_at = time.perf_counter()

    def finished(self, completed: bool = True, **_: Any) -> None:
        self.finished_at = time.perf_counter()
        if not completed and self.error is None:
            self.error = _Interrupted("synthesis was interrupted")
        self.done.set()

    def failed(self, exception: BaseException | None = None, **_: Any) -> None:
        self.error = exception or SynthesisError("unknown pyttsx3 error")
        self.done.set()


def _driver_print(*args: Any, **_: Any) -> None:
    log.debug("pyttsx3: %s", " ".join(str(a) for a in args))


def start_engine(driver: str = "espeak") -> Any:
    """The process's pyttsx3 engine for ``driver``; SynthesisError (one line) if it cannot start."""
    with ENGINE_LOCK:
        try:
            import pyttsx3

            engine = pyttsx3.init(driver)
            if driver == "espeak":
                from pyttsx3.drivers import espeak

                setattr(espeak, "print", _driver_print)  # noqa: B010  (shadows the builtin in that module)
        except Exception as exc:  # no pyttsx3, no libespeak-ng, espeak data missing ...
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SynthesisError(f"text to speech cannot start (pyttsx3 driver {driver!r}: {detail}); "
                                 "is espeak-ng installed?") from exc
        _engines[driver] = engine
        return engine


class Synthesizer:
    """Text to WAV through pyttsx3. Thread-safe (one engine per process, used under a lock)."""

    def __init__(self, driver: str = "espeak") -> None:
        self.driver = driver
        self._engine = start_engine(driver)
        self._is_playing: Callable[[], int] | None = None
        if driver == "espeak":
            from pyttsx3.drivers import _espeak

            self._is_playing = _espeak.IsPlaying

    def installed_voices(self) -> set[str]:
        with ENGINE_LOCK:
            return {str(v.id) for v in self._engine.getProperty("voices")}

    def voice_problem(self, voice_id: str) -> str | None:
        """None when espeak-ng has ``voice_id`` and really switches to it; else why not."""
        if voice_id not in self.installed_voices():
            return f"espeak-ng has no voice {voice_id!r}"
        return None

    def render(self, text: str, voice_id: str, rate: int, volume: float, path: Path) -> Rendered:
        if not text.strip():
            raise ValueError("nothing to say")
        with ENGINE_LOCK:
            try:
                return self._render(text, voice_id, rate, volume, path)
            except _Interrupted:  # a cancel left over in the driver: once more, from idle
                return self._render(text, voice_id, rate, volume, path)

    def _render(self, text: str, voice_id: str, rate: int, volume: float, path: Path) -> Rendered:
        engine, callbacks = self._engine, _Callbacks()
        self._wait_idle()
        engine.setProperty("voice", voice_id)
        engine.setProperty("rate", rate)
        engine.setProperty("volume", volume)
        self._wait_idle()  # espeak-ng queues parameter changes on its thread
        tokens = [engine.connect("started-utterance", callbacks.started),
                  engine.connect("finished-utterance", callbacks.finished),
                  engine.connect("error", callbacks.failed)]
        try:
            engine.save_to_file(text, str(path))
            engine.runAndWait()  # may return early: the callbacks come from espeak-ng's own thread
            if not callbacks.done.wait(FINISH_WAIT_S):
                raise SynthesisError(f"no finished-utterance from pyttsx3 after {FINISH_WAIT_S:.0f} s")
            self._wait_idle()
            used = str(engine.getProperty("voice") or "")
        finally:
            for token in tokens:
                engine.disconnect(token)
        if isinstance(callbacks.error, _Interrupted):
            raise callbacks.error
        if callbacks.error is not None:
            raise SynthesisError(f"text to speech failed: {callbacks.error}") from callbacks.error
        return Rendered(path, used, wav_seconds(path), callbacks.started_at, callbacks.finished_at)

    def _wait_idle(self) -> None:
        """Wait until espeak-ng's synthesis thread is idle: the driver cancels the next utterance
        when it starts while espeak still reports the previous one as playing."""
        if self._is_playing is None:
            return
        deadline = time.monotonic() + IDLE_WAIT_S
        while self._is_playing():
            if time.monotonic() > deadline:
                raise SynthesisError(f"espeak-ng still busy after {IDLE_WAIT_S:.0f} s")
            time.sleep(0.001)


def wav_seconds(path: Path) -> float:
    """Length of a WAV file's audio; SynthesisError if it is not a readable WAV."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() / float(wav.getframerate())
    except (OSError, EOFError, wave.Error) as exc:
        raise SynthesisError(f"no WAV written to {path}: {exc}") from exc
