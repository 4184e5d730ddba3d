"""Voice benchmark: time from a screen change to the start of its speech.

Runs the three first flows' happy paths in elderly mode (voice guidance on), alternating zh_CN and
en_US, on the simulators, with the real VoiceGuide subscribed to the engine and a real Speaker
(pyttsx3 + espeak-ng). Between the customer's actions it waits until the screen's speech has
started, then "reads" for --read seconds, so the next screen usually interrupts the speech (as a
customer who does not wait does). For every NEW screen the guide speaks it records:

- screen -> started-utterance: the guide receives the model .. pyttsx3's started-utterance callback
- screen -> audio start: the guide receives the model .. the WAV is handed to the audio output
  (synthesis done, player started); this is when sound can begin.

With no sound card here the default output plays nothing but lasts as long as the audio
(``--player none``); ``--player CMD`` adds a real player process's start-up (e.g. ``--player cat``).
Screens replaced before their speech started (automatic steps that last milliseconds) are counted
as superseded, not timed.

    .venv/bin/python tests/bench/bench_voice.py [--screens 50] [--player none] [--read 0.3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.app.compose import build_kiosk  # noqa: E402
from kiosk.app.config import load_config  # noqa: E402
from kiosk.app.qa import SimulatorControls  # noqa: E402
from kiosk.app.scenario import load_scenario  # noqa: E402
from kiosk.app.scenario_driver import Driver  # noqa: E402
from kiosk.core.clock import ManualClock  # noqa: E402
from kiosk.engine.guide import VoiceGuide  # noqa: E402
from kiosk.engine.screens import ScreenModel  # noqa: E402
from kiosk.voice import Speaker, Utterance, VoiceSettings  # noqa: E402

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FLOWS = ("si_payment/happy_path.toml", "loss_report/verbal_happy_path.toml", "account_opening/happy_path.toml")


class Probe:
    """Between the guide and the speaker: which utterance each new screen asked for, and when the
    screen arrived."""

    def __init__(self, speaker: Speaker) -> None:
        self.speaker = speaker
        self.screen: tuple[float, str] | None = None  # (arrived at, step) of a new screen being handled
        self.asked: dict[int, tuple[float, str]] = {}
        self.started: dict[int, Utterance] = {}
        self.last_asked: int | None = None
        self.cond = threading.Condition()
        speaker.subscribe(self._on_speech)

    def say(self, text: str, lang: str, elderly: bool = False) -> int | None:
        utterance_id = self.speaker.say(text, lang, elderly)
        if utterance_id is not None and self.screen is not None:
            self.asked[utterance_id] = self.screen
            self.last_asked = utterance_id
        return utterance_id

    def stop(self) -> None:
        self.speaker.stop()

    def _on_speech(self, event: str, utterance: Utterance) -> None:
        with self.cond:
            if event == "started":
                self.started[utterance.id] = utterance
            self.cond.notify_all()

    def wait_for_speech(self, timeout: float = 3.0) -> None:
        """Until the last new screen's utterance has started (or ended without starting)."""
        wanted = self.last_asked
        if wanted is None:
            return
        with self.cond:
            self.cond.wait_for(lambda: wanted in self.started or self.speaker.wait(wanted, 0) is not None, timeout)


def timed_listener(guide: VoiceGuide, probe: Probe):
    last: list[Any] = [None]

    def on_screen(model: ScreenModel) -> None:
        key = (model.session_id, model.step, model.kind, model.lang)
        probe.screen = (time.perf_counter(), model.step) if key != last[0] else None
        last[0] = key
        try:
            guide.on_screen(model)
        finally:
            probe.screen = None

    return on_screen


def run_session(driver: Driver, probe: Probe, scenario_file: str, lang: str, read_s: float) -> str:
    scenario = load_scenario(SCENARIOS / scenario_file)
    setup = scenario.setup.model_copy(update={"lang": lang, "elderly": True})
    driver.setup(setup, scenario.flow)
    for number, action in enumerate(scenario.step, 1):
        probe.wait_for_speech()
        time.sleep(read_s)
        driver.perform(number, action)
    probe.wait_for_speech()
    return driver.finish().outcome


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(probe: Probe, player: str) -> None:
    rows = [(t0, step, probe.started[uid]) for uid, (t0, step) in probe.asked.items() if uid in probe.started]
    to_synth = [(u.synth_started_at - t0) * 1000 for t0, _, u in rows if u.synth_started_at]
    to_audio = [(u.audio_started_at - t0) * 1000 for t0, _, u in rows if u.audio_started_at]
    synth = [(u.audio_started_at - u.synth_started_at) * 1000 for _, _, u in rows
             if u.audio_started_at and u.synth_started_at]
    audio_s = [u.seconds for _, _, u in rows if u.seconds]
    print(f"new screens spoken: {len(rows)} timed, {len(probe.asked) - len(rows)} superseded before speech started;"
          f" output: {player}")
    for name, samples in (("screen -> started-utterance", to_synth), ("screen -> audio start", to_audio),
                          ("  of which synthesis + output start", synth)):
        print(f"{name:<36} median {statistics.median(samples):7.1f} ms   p95 {percentile(samples, 0.95):7.1f} ms"
              f"   max {max(samples):7.1f} ms")
    print(f"spoken prompt length: median {statistics.median(audio_s):.1f} s, max {max(audio_s):.1f} s")
    slowest = max(rows, key=lambda r: (r[2].audio_started_at or 0) - r[0])
    print(f"slowest: {slowest[1]} ({slowest[2].lang}, {len(slowest[2].text)} characters)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screens", type=int, default=50, help="new screens to time (at least)")
    parser.add_argument("--player", default="none", help='"none" or a player command taking a WAV file')
    parser.add_argument("--read", type=float, default=0.3, help="seconds between speech start and the next action")
    args = parser.parse_args()
    speaker = Speaker(VoiceSettings(player=args.player))
    probe = Probe(speaker)
    guide = VoiceGuide(probe)
    kiosk = build_kiosk(load_config(), clock=ManualClock(), data_dir=Path(tempfile.mkdtemp(prefix="bench-voice-")))
    kiosk.engine.subscribe(timed_listener(guide, probe))
    driver = Driver(kiosk, SimulatorControls(kiosk))
    try:
        n = 0
        while len(probe.started.keys() & probe.asked.keys()) < args.screens:
            requests.post(kiosk.host_url + "/sim/reset", timeout=5)
            outcome = run_session(driver, probe, FLOWS[n % len(FLOWS)], ("zh_CN", "en_US")[n // len(FLOWS) % 2],
                                  args.read)
            assert outcome == "completed", outcome
            n += 1
    finally:
        kiosk.close()
        speaker.close()
    print(f"sessions: {n}")
    report(probe, speaker.output.name)


if __name__ == "__main__":
    main()
