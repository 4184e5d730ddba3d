"""The kiosk's speaker: one worker thread owns text to speech; callers only queue and stop.

``say`` queues one utterance (a newer ``say`` replaces one that has not started); ``stop`` ends the
one playing at once (its player process is terminated) and drops the queued one. Each utterance
is synthesized to a WAV by pyttsx3 (espeak-ng) and handed to an audio output. Timing is kept per
utterance: ``requested_at`` (say), ``synth_started_at`` (pyttsx3's started-utterance callback) and
``audio_started_at`` (the audio handed to the player), all ``time.perf_counter()``.

A speaker that cannot start (no espeak-ng, no pyttsx3) logs one line and does nothing.
"""

from __future__ import annotations

import itertools
import logging
import shutil
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.voice.output import AudioOutput, Playback, find_output
from kiosk.voice.settings import VoiceSettings
from kiosk.voice.synth import SynthesisError, Synthesizer
from kiosk.voice.utterance import SpeechListener, Utterance, VoiceError

log = logging.getLogger(__name__)

START_WAIT_S = 5.0
FILE_WAIT_S = 60.0


@dataclass
class _FileJob:
    utterance: Utterance
    path: Path
    done: threading.Event
    result: Utterance | None = None
    error: str | None = None


class Speaker:
    def __init__(self, settings: VoiceSettings | None = None, *, output: AudioOutput | None = None,
                 start: bool = True) -> None:
        """Text to speech starts on the speaker's own thread and this returns once it has started (or
        failed). ``start=False``: it starts with :meth:`warm` (the window's, after its first paint); what
        is said meanwhile waits in the queue."""
        self.settings = settings or VoiceSettings()
        self.output_problem: str | None = None  # why speech is not played (logged once the speaker started)
        if output is None:
            output, self.output_problem = find_output(self.settings.player)
        self.output = output
        self.problem: str | None = None  # why the speaker is silent, once known
        self._cond = threading.Condition()
        self._state = "starting"  # -> "ready" | "off"; "closed"
        self._enabled = self.settings.enabled
        self._volume = self.settings.volume
        self._pending: deque[Utterance] = deque()  # what is still to be said, in order
        self._file_jobs: deque[_FileJob] = deque()
        self._playback: Playback | None = None
        self._generation = 0
        self._ids = itertools.count(1)
        self._missing: dict[str, str] = {}
        self._logged: set[str] = set()
        self._history: deque[Utterance] = deque(maxlen=200)
        self._listeners: list[SpeechListener] = []
        self._thread = threading.Thread(target=self._run, name="kiosk-voice", daemon=True)
        if start:
            self._thread.start()
            with self._cond:
                self._cond.wait_for(lambda: self._state != "starting", START_WAIT_S)

    def warm(self) -> None:
        """Start text to speech now, when it was made with ``start=False`` (loading it takes ~40 ms)."""
        with self._cond:
            if self._thread.ident is None and self._state == "starting":
                self._thread.start()

    # --- public ----------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """Text to speech started and the speaker is not closed."""
        return self._state == "ready"

    @property
    def enabled(self) -> bool:
        return self._enabled

    @property
    def volume(self) -> float:
        return self._volume

    def voice_problem(self, lang: str) -> str | None:
        """Why ``lang`` is not spoken (no voice configured or installed), or None."""
        if lang not in self.settings.voices:
            return f"no voice configured for {lang}"
        return self._missing.get(lang)

    def subscribe(self, listener: SpeechListener) -> None:
        """``listener(event, utterance)``, event "started" or "ended"; called on the speaker's worker
        (or on the thread that dropped a queued utterance): keep it short."""
        self._listeners.append(listener)

    def say(self, text: str, lang: str, elderly: bool = False, queue: bool = False) -> int | None:
        """Queue ``text``; returns the utterance id, or None when nothing will be spoken. It replaces
        what has not started yet, or with ``queue`` is said after it (the next part of one screen,
        e.g. in another language)."""
        text = " ".join(text.split())
        if not text or not self._enabled or not self._speaks(lang):
            return None
        utterance = Utterance(next(self._ids), text, lang, elderly, time.perf_counter())
        with self._cond:
            if self._state not in ("starting", "ready"):
                return None
            replaced = [] if queue else list(self._pending)
            if not queue:
                self._pending.clear()
            self._pending.append(utterance)
            self._cond.notify_all()
        for old in replaced:
            self._end(old, error="replaced")
        return utterance.id

    def stop(self) -> None:
        """Stop what is playing now and drop what is queued."""
        with self._cond:
            self._generation += 1
            dropped = list(self._pending)
            self._pending.clear()
            playback = self._playback
        if playback is not None:
            playback.stop()
        for old in dropped:
            self._end(old, error="stopped")

    def set_volume(self, volume: float) -> None:
        """0..1, from the next utterance on."""
        self._volume = min(1.0, max(0.0, float(volume)))

    def set_enabled(self, enabled: bool) -> None:
        self._enabled = bool(enabled)
        if not enabled:
            self.stop()

    def wait(self, utterance_id: int, timeout: float | None = None) -> Utterance | None:
        """The utterance once it has ended (played, stopped, replaced or failed); None on timeout."""
        with self._cond:
            self._cond.wait_for(lambda: self._ended(utterance_id) is not None, timeout)
            return self._ended(utterance_id)

    def history(self) -> list[Utterance]:
        """The last ended utterances, oldest first."""
        with self._cond:
            return list(self._history)

    def speak_to_file(self, text: str, lang: str, path: Path | str, elderly: bool = False) -> Utterance:
        """Write ``text`` as a WAV file (for tests and ``kiosk voice say --out``); VoiceError if not."""
        if self._state != "ready":
            raise VoiceError(self.problem or "the speaker is not running")
        problem = self.voice_problem(lang)
        if problem:
            raise VoiceError(problem)
        text = " ".join(text.split())
        if not text:
            raise VoiceError("nothing to say")
        job = _FileJob(Utterance(next(self._ids), text, lang, elderly, time.perf_counter()), Path(path),
                       threading.Event())
        with self._cond:
            self._file_jobs.append(job)
            self._cond.notify_all()
        if not job.done.wait(FILE_WAIT_S):
            raise VoiceError(f"no WAV after {FILE_WAIT_S:.0f} s")
        if job.result is None:
            raise VoiceError(job.error or "speech failed")
        return job.result

    def close(self, timeout: float = 5.0) -> None:
        """Stop speaking and end the worker thread (joined)."""
        with self._cond:
            if self._state != "off":
                self._state = "closed"
            self._cond.notify_all()
        self.stop()
        if self._thread.ident is None:  # never started
            return
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("voice: the speech worker did not end within %.0f s", timeout)

    def __enter__(self) -> Speaker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- worker ----------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            synth = Synthesizer(self.settings.driver)
        except SynthesisError as exc:
            self.problem = f"speech is off: {exc}"
            log.warning("voice: %s", self.problem)
            with self._cond:
                self._state = "off"
                dropped = list(self._pending)
                self._pending.clear()
                self._cond.notify_all()
            for old in dropped:
                self._end(old, error=self.problem)
            return
        if self.output_problem:
            log.warning("voice: %s", self.output_problem)
        self._check_voices(synth)
        workdir = Path(tempfile.mkdtemp(prefix="kiosk-voice-"))
        try:
            self._set_state("ready", only_from="starting")
            self._serve(synth, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def _serve(self, synth: Synthesizer, workdir: Path) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._state == "closed" or bool(self._pending)
                                    or bool(self._file_jobs))
                if self._state == "closed":
                    self._fail_file_jobs()
                    return
                job = self._file_jobs.popleft() if self._file_jobs else None
                utterance = None
                if job is None:
                    utterance = self._pending.popleft() if self._pending else None
                generation = self._generation
            if job is not None:
                self._write_file(synth, job, workdir)
            elif utterance is not None:
                self._speak(synth, utterance, generation, workdir)

    def _speak(self, synth: Synthesizer, utterance: Utterance, generation: int, workdir: Path) -> None:
        path = workdir / f"u{utterance.id}.wav"
        try:
            utterance = self._render(synth, utterance, path)
            if not self._still_wanted(generation):
                self._end(utterance, error="stopped")
                return
            playback = self.output.play(path)
            with self._cond:
                self._playback = playback
            if not self._still_wanted(generation):  # stopped while the player was starting
                playback.stop()
            utterance = replace(utterance, audio_started_at=time.perf_counter())
            self._emit("started", utterance)
            playback.wait()
            with self._cond:
                self._playback = None
                stopped = generation != self._generation
            if playback.error:
                self._log_once(f"audio output {self.output.name!r} failed: {playback.error}")
            self._end(utterance, error="stopped" if stopped else playback.error)
        except SynthesisError as exc:
            self._log_once(str(exc))
            self._end(utterance, error=str(exc))
        except Exception as exc:  # a bug must not silence the kiosk for the rest of the day
            log.exception("voice: utterance %d failed", utterance.id)
            self._end(utterance, error=f"{type(exc).__name__}: {exc}")
        finally:
            path.unlink(missing_ok=True)

    def _still_wanted(self, generation: int) -> bool:
        with self._cond:
            return generation == self._generation and self._state == "ready" and self._enabled

    def _write_file(self, synth: Synthesizer, job: _FileJob, workdir: Path) -> None:
        path = workdir / f"f{job.utterance.id}.wav"
        try:
            written = self._render(synth, job.utterance, path)
            shutil.move(path, job.path)
            job.result = replace(written, ended_at=time.perf_counter(), completed=True)
        except SynthesisError as exc:
            job.error = str(exc)
        except OSError as exc:
            job.error = f"cannot write {job.path}: {exc.strerror or exc}"
        except Exception as exc:  # a bug: reported to the caller, and the worker goes on
            log.exception("voice: WAV %s failed", job.path)
            job.error = f"{type(exc).__name__}: {exc}"
        finally:
            path.unlink(missing_ok=True)
            job.done.set()

    def _render(self, synth: Synthesizer, utterance: Utterance, path: Path) -> Utterance:
        voice = self.settings.voices[utterance.lang]
        rendered = synth.render(utterance.text, voice, self.settings.rate_for(utterance.elderly), self._volume, path)
        if rendered.voice != voice:
            self._log_once(f"asked espeak-ng for voice {voice!r} ({utterance.lang}) but it used {rendered.voice!r}")
        return replace(utterance, synth_started_at=rendered.started_at, voice=rendered.voice, seconds=rendered.seconds)

    # --- helpers ---------------------------------------------------------------------------
    def _check_voices(self, synth: Synthesizer) -> None:
        for lang, voice in self.settings.voices.items():
            problem = synth.voice_problem(voice)
            if problem:
                self._missing[lang] = f"{problem} for {lang}; {lang} prompts will not be spoken"
                log.warning("voice: %s", self._missing[lang])

    def _speaks(self, lang: str) -> bool:
        return self.voice_problem(lang) is None

    def _set_state(self, state: str, only_from: str | None = None) -> None:
        with self._cond:
            if only_from is None or self._state == only_from:
                self._state = state
            self._cond.notify_all()

    def _fail_file_jobs(self) -> None:
        while self._file_jobs:
            job = self._file_jobs.popleft()
            job.error = "the speaker was closed"
            job.done.set()

    def _ended(self, utterance_id: int) -> Utterance | None:
        return next((u for u in self._history if u.id == utterance_id), None)

    def _end(self, utterance: Utterance, error: str | None = None) -> None:
        ended = replace(utterance, ended_at=time.perf_counter(), completed=error is None, error=error)
        with self._cond:
            self._history.append(ended)
            self._cond.notify_all()
        self._emit("ended", ended)

    def _emit(self, event: str, utterance: Utterance) -> None:
        for listener in list(self._listeners):
            try:
                listener(event, utterance)
            except Exception:
                log.exception("voice: a speech listener failed")

    def _log_once(self, message: str) -> None:
        if message not in self._logged:
            self._logged.add(message)
            log.warning("voice: %s", message)
