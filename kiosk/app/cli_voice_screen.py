"""``kiosk voice screen FLOW STEP``: what the kiosk says on one screen, printed and written as a WAV.

A sample session runs headless on the simulators (the flow's shipped happy-path scenario,
tests/scenarios/<flow>/happy_path.toml, in the language and mode asked for) up to STEP; the screen
model it reaches is turned into speech exactly as the voice guide does (kiosk/engine/speech.py), each
part printed with its language and all parts written one after another to one WAV. So QA can listen
to a screen without the window. Exit status: 0 written, 1 speech failed, 2 unknown flow or step
(the allowed ones listed) or a configuration error.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import wave
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from kiosk.engine.screens import ScreenModel
from kiosk.engine.speech import Segment, merged, screen_speech

EXIT_USAGE = 2
SCENARIOS = Path(__file__).resolve().parents[2] / "tests" / "scenarios"
SAMPLE = "happy_path.toml"
# The sample session runs on the in-process simulators: the bank card reader's, and faces decided
# from the camera simulator's scene (no pcscd, no matcher process).
SAMPLE_OVERRIDES = {"devices.smartcard.backend": "sim", "face.matcher": "sim"}


class UnknownScreen(Exception):
    """The flow or the step is not one the sample session can show (the message lists the allowed)."""


def sample_steps(flow: str) -> list[str]:
    """The steps the flow's sample session shows, in order; UnknownScreen for an unknown flow."""
    from flows import catalogue
    from kiosk.app.scenario import load_scenario

    flows = sorted(catalogue())
    path = sample_path(flow) if flow in flows else None
    if path is None:
        offered = [f for f in flows if sample_path(f) is not None]
        raise UnknownScreen(f"no flow {flow!r}; flows: {', '.join(offered)}")
    return list(load_scenario(path).expect.screens)


def sample_path(flow: str) -> Path | None:
    """The flow's happy-path scenario (``happy_path.toml``, or e.g. ``verbal_happy_path.toml``)."""
    found = sorted((SCENARIOS / flow).glob(f"*{SAMPLE}"), key=lambda p: (p.name != SAMPLE, p.name))
    return found[0] if found else None


def reach_screen(flow: str, step: str, lang: str, elderly: bool, config_path: Path | None) -> ScreenModel:
    """Run the flow's sample session up to ``step`` and return the screen model shown there."""
    from kiosk.app.compose import build_kiosk
    from kiosk.app.qa import SimulatorControls
    from kiosk.app.scenario import load_scenario, scenario_config
    from kiosk.app.scenario_driver import Driver
    from kiosk.core.clock import ManualClock

    steps = sample_steps(flow)
    if step not in steps:
        raise UnknownScreen(f"flow {flow!r} has no step {step!r} in its sample session; steps: {', '.join(steps)}")
    path = sample_path(flow)
    assert path is not None
    scenario = load_scenario(path)
    config = scenario_config(config_path, {**SAMPLE_OVERRIDES, **scenario.config})
    seen: dict[str, ScreenModel] = {}
    with tempfile.TemporaryDirectory(prefix="kiosk-voice-screen-") as data_dir:
        kiosk = build_kiosk(config, clock=ManualClock(), strict=True, data_dir=Path(data_dir))
        try:
            kiosk.engine.subscribe(lambda model: seen.__setitem__(model.step, model))
            driver = Driver(kiosk, SimulatorControls(kiosk))
            driver.setup(scenario.setup.model_copy(update={"lang": lang, "elderly": elderly}), flow)
            for number, action in enumerate(scenario.step, 1):
                if _reached(kiosk.engine.screen, step, seen):
                    break
                _wait_dwell(driver, action.expect)
                driver.perform(number, action)
            driver.settle(lambda: _reached(kiosk.engine.screen, step, seen))
        finally:
            kiosk.close()
    if step not in seen:
        raise UnknownScreen(f"the sample session of {flow!r} did not reach {step!r}")
    return seen[step]


def _wait_dwell(driver: Any, expect: str | None) -> None:
    """Elderly mode's fraud warning enables Continue after its dwell: the sample customer waits it out."""
    if expect:
        driver.wait_for_screen(expect)
        wait = driver.engine.screen.data.get("wait_s")
        if wait:
            driver.advance(float(wait))


def _reached(screen: ScreenModel, step: str, seen: dict[str, ScreenModel]) -> bool:
    return step in seen and (screen.step != step or not screen.busy)


def write_wav(parts: Sequence[Path], out: Path) -> float:
    """The parts' audio one after another in ``out``; returns its length in seconds."""
    frames: list[bytes] = []
    shape: tuple[int, int, int] | None = None
    for part in parts:
        with wave.open(str(part), "rb") as wav:
            this = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
            if shape is not None and this != shape:
                raise ValueError(f"{part.name}: audio format {this} differs from the first part's {shape}")
            shape = this
            frames.append(wav.readframes(wav.getnframes()))
    if shape is None:
        raise ValueError("nothing to say")
    channels, width, rate = shape
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        for chunk in frames:
            wav.writeframes(chunk)
    return sum(len(chunk) for chunk in frames) / (channels * width * rate)


def cmd_voice_screen(args: argparse.Namespace, out: TextIO, err: TextIO,
                     load_settings: Callable[[Path | None], Any] | None = None) -> int:
    from kiosk.app.scenario_driver import ScenarioFailure
    from kiosk.voice import Speaker, VoiceError, VoiceSettings

    try:
        model = reach_screen(args.flow, args.step, args.lang, args.elderly, getattr(args, "config", None))
    except UnknownScreen as exc:
        err.write(f"kiosk: voice screen: {exc}\n")
        return EXIT_USAGE
    except ScenarioFailure as exc:
        err.write(f"kiosk: voice screen: the sample session stopped: {exc}\n")
        return 1
    segments: list[Segment] = merged(screen_speech(model))
    for segment in segments:
        out.write(f"[{segment.lang}] {segment.text}\n")
    settings = load_settings(getattr(args, "config", None)) if load_settings else VoiceSettings()
    speaker = Speaker(dataclasses.replace(settings, player="none"))
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-voice-screen-") as work:
            parts, voices = [], []
            for index, segment in enumerate(segments):
                part = Path(work) / f"part{index}.wav"
                voices.append(speaker.speak_to_file(segment.text, segment.lang, part, elderly=args.elderly).voice)
                parts.append(part)
            seconds = write_wav(parts, args.out)
    except (VoiceError, ValueError, OSError) as exc:
        err.write(f"kiosk: voice: {exc}\n")
        return 1
    finally:
        speaker.close()
    out.write(f"{args.out}: {seconds:.1f} s, voice {', '.join(dict.fromkeys(v or '?' for v in voices))}\n")
    return 0
