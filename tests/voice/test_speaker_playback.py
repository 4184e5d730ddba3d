"""Speaking: queueing, stop, enable, timing, player failures and a speaker that cannot start."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from kiosk.voice import Speaker, Utterance, VoiceError, VoiceSettings
from kiosk.voice.output import CommandOutput, NullOutput

LONG = "This is a long announcement. " * 8
SHORT = "Thank you."


class Events:
    def __init__(self, speaker: Speaker) -> None:
        self.seen: list[tuple[str, Utterance]] = []
        speaker.subscribe(lambda event, u: self.seen.append((event, u)))

    def started(self) -> list[Utterance]:
        return [u for event, u in self.seen if event == "started"]

    def wait_started(self, count: int = 1, timeout: float = 10.0) -> Utterance:
        deadline = time.monotonic() + timeout
        while len(self.started()) < count:
            assert time.monotonic() < deadline, "speech did not start"
            time.sleep(0.005)
        return self.started()[count - 1]


def test_say_speaks_and_times_the_start_of_audio(speaker: Speaker) -> None:
    events = Events(speaker)
    utterance_id = speaker.say(SHORT, "en_US")
    assert utterance_id is not None
    spoken = speaker.wait(utterance_id, timeout=10)
    assert spoken is not None
    assert spoken.completed
    assert spoken.error is None
    assert spoken.requested_at <= spoken.synth_started_at <= spoken.audio_started_at <= spoken.ended_at  # type: ignore[operator]
    assert spoken.start_latency is not None
    assert spoken.start_latency > 0  # how fast is tests/bench/bench_voice.py's question, not a test's
    assert [e for e, _ in events.seen] == ["started", "ended"]
    # played to its end: audio cannot play faster than its length (a loaded machine only makes it longer)
    assert spoken.ended_at - spoken.audio_started_at >= spoken.seconds - 0.3  # type: ignore[operator]


def test_stop_interrupts_at_once(speaker: Speaker) -> None:
    events = Events(speaker)
    utterance_id = speaker.say(LONG, "en_US")
    assert utterance_id is not None
    playing = events.wait_started()
    assert playing.seconds is not None
    assert playing.seconds > 10
    time.sleep(0.2)
    stop_at = time.perf_counter()
    speaker.stop()
    stopped = speaker.wait(utterance_id, timeout=2)
    assert stopped is not None
    assert stopped.error == "stopped"
    assert not stopped.completed
    assert stopped.ended_at - stop_at < playing.seconds / 2  # type: ignore[operator]  # cut short, not played out


def test_a_new_say_replaces_what_is_still_queued(speaker: Speaker) -> None:
    events = Events(speaker)
    first = speaker.say(LONG, "en_US")
    events.wait_started()
    second = speaker.say("Second.", "en_US")
    third = speaker.say(SHORT, "en_US")
    assert first
    assert second
    assert third
    replaced = speaker.wait(second, timeout=1)
    assert replaced is not None
    assert replaced.error == "replaced"
    speaker.stop()  # ends the long one and drops the queued third
    assert speaker.wait(third, timeout=2).error == "stopped"  # type: ignore[union-attr]
    assert [u.id for u in events.started()] == [first]


def test_disabled_speaker_is_silent(speaker: Speaker) -> None:
    events = Events(speaker)
    speaker.set_enabled(False)
    assert speaker.say(SHORT, "en_US") is None
    speaker.set_enabled(True)
    utterance_id = speaker.say(SHORT, "en_US")
    assert utterance_id is not None
    assert speaker.wait(utterance_id, timeout=10).completed  # type: ignore[union-attr]
    assert len(events.started()) == 1


def test_disabling_stops_what_is_playing(speaker: Speaker) -> None:
    events = Events(speaker)
    utterance_id = speaker.say(LONG, "en_US")
    events.wait_started()
    speaker.set_enabled(False)
    assert speaker.wait(utterance_id, timeout=1).error == "stopped"  # type: ignore[arg-type, union-attr]


def test_volume_is_clamped(speaker: Speaker) -> None:
    speaker.set_volume(1.7)
    assert speaker.volume == 1.0
    speaker.set_volume(-1)
    assert speaker.volume == 0.0


def test_nothing_is_said_for_an_empty_text_or_an_unknown_language(speaker: Speaker) -> None:
    assert speaker.say("   ", "en_US") is None
    assert speaker.say(SHORT, "fr_FR") is None
    with pytest.raises(VoiceError, match="no voice configured for fr_FR"):
        speaker.speak_to_file(SHORT, "fr_FR", "never.wav")


def test_a_missing_voice_is_one_log_line_and_that_language_stays_silent(caplog, tmp_path: Path) -> None:
    caplog.set_level(logging.WARNING, "kiosk.voice")
    with Speaker(VoiceSettings(player="none", voices={"zh_CN": "sit/no-such-voice", "en_US": "gmw/en-us"})) as speaker:
        assert speaker.available
        assert speaker.say("你好", "zh_CN") is None
        with pytest.raises(VoiceError, match="no voice 'sit/no-such-voice' for zh_CN"):
            speaker.speak_to_file("你好", "zh_CN", tmp_path / "x.wav")
        assert speaker.speak_to_file(SHORT, "en_US", tmp_path / "en.wav").voice == "gmw/en-us"
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["voice: espeak-ng has no voice 'sit/no-such-voice' for zh_CN; zh_CN prompts will not be spoken"]


def test_a_speaker_that_cannot_start_is_a_silent_no_op(monkeypatch, caplog, tmp_path: Path) -> None:
    import pyttsx3

    def no_espeak(*_args, **_kwargs):
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    monkeypatch.setattr(pyttsx3, "init", no_espeak)
    caplog.set_level(logging.WARNING, "kiosk.voice")
    speaker = Speaker(VoiceSettings(player="none"))
    try:
        assert not speaker.available
        assert speaker.say(SHORT, "en_US") is None
        speaker.stop()
        speaker.set_volume(0.5)
        with pytest.raises(VoiceError, match="speech is off: text to speech cannot start"):
            speaker.speak_to_file(SHORT, "en_US", tmp_path / "x.wav")
    finally:
        speaker.close()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1
    assert "libespeak-ng.so.1" in lines[0]
    assert "is espeak-ng installed?" in lines[0]
    assert not (tmp_path / "x.wav").exists()


def test_a_player_process_is_terminated_by_stop() -> None:
    player = CommandOutput(["sh", "-c", "sleep 30; true", "player"])  # a wrapper with a child; the WAV is $1
    with Speaker(VoiceSettings(), output=player) as speaker:
        events = Events(speaker)
        utterance_id = speaker.say(SHORT, "en_US")
        events.wait_started()
        stop_at = time.perf_counter()
        speaker.stop()
        stopped = speaker.wait(utterance_id, timeout=2)  # type: ignore[arg-type]
    assert stopped is not None
    assert stopped.error == "stopped"
    assert stopped.ended_at - stop_at < 15  # type: ignore[operator]  # the player would have run 30 s


def test_a_failing_player_is_reported_once(caplog) -> None:
    caplog.set_level(logging.WARNING, "kiosk.voice")
    player = CommandOutput(["sh", "-c", "echo 'audio open error: no such device' >&2; exit 1", "player"])
    with Speaker(VoiceSettings(), output=player) as speaker:
        for _ in range(2):
            spoken = speaker.wait(speaker.say(SHORT, "en_US"), timeout=10)  # type: ignore[arg-type]
            assert spoken is not None
            assert not spoken.completed
            assert spoken.error == "sh exited with 1: audio open error: no such device"
    assert [r.getMessage() for r in caplog.records] == [
        f"voice: audio output {player.name!r} failed: sh exited with 1: audio open error: no such device"]


def test_a_missing_player_is_said_once_and_speech_is_still_timed(caplog) -> None:
    caplog.set_level(logging.WARNING, "kiosk.voice")
    with Speaker(VoiceSettings(player="no-such-player --quiet")) as speaker:
        assert isinstance(speaker.output, NullOutput)
        assert speaker.output_problem == "audio player 'no-such-player' not found; speech is not played"
        assert speaker.wait(speaker.say(SHORT, "en_US"), timeout=10).completed  # type: ignore[arg-type, union-attr]
    assert [r.getMessage() for r in caplog.records] == [f"voice: {speaker.output_problem}"]


def test_close_joins_the_worker_and_later_calls_do_nothing() -> None:
    speaker = Speaker(VoiceSettings(player="none"))
    speaker.say(LONG, "en_US")
    speaker.close()
    assert not speaker.available
    assert speaker.say(SHORT, "en_US") is None
    speaker.stop()
    speaker.close()  # twice is fine
