"""Speech written to WAV files through real pyttsx3 + espeak-ng: the only way to hear it with no sound card."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from kiosk.voice import Speaker, VoiceError, VoiceSettings

ZH = "请插入您的身份证，然后按确认。"
EN = "Please insert your ID card, then press confirm."


def wav_info(path: Path) -> tuple[float, bytes]:
    data = path.read_bytes()
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WAVE"
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        return wav.getnframes() / wav.getframerate(), wav.readframes(wav.getnframes())


@pytest.mark.parametrize(("lang", "text", "voice"), [("zh_CN", ZH, "sit/cmn"), ("en_US", EN, "gmw/en-us")])
def test_a_wav_is_written_in_each_language(speaker: Speaker, tmp_path: Path, lang: str, text: str, voice: str) -> None:
    out = tmp_path / f"{lang}.wav"
    written = speaker.speak_to_file(text, lang, out)
    seconds, frames = wav_info(out)
    assert seconds > 0.5
    assert any(frames)  # not silence
    assert written.voice == voice
    assert written.seconds == pytest.approx(seconds)
    assert written.completed


def test_the_mandarin_wav_is_not_the_english_voice(speaker: Speaker, tmp_path: Path) -> None:
    zh, en = tmp_path / "zh.wav", tmp_path / "en.wav"
    assert speaker.speak_to_file(ZH, "zh_CN", zh).voice == "sit/cmn"
    english = Speaker(VoiceSettings(player="none", voices={"zh_CN": "gmw/en-us"}))
    try:  # the same Chinese text through the English voice: what a fallback would sound like
        assert english.speak_to_file(ZH, "zh_CN", en).voice == "gmw/en-us"
    finally:
        english.close()
    zh_seconds, zh_frames = wav_info(zh)
    en_seconds, en_frames = wav_info(en)
    assert zh_frames != en_frames
    assert abs(zh_seconds - en_seconds) > 0.3


def test_elderly_mode_speaks_slower(speaker: Speaker, tmp_path: Path) -> None:
    standard = speaker.speak_to_file(ZH, "zh_CN", tmp_path / "standard.wav")
    elderly = speaker.speak_to_file(ZH, "zh_CN", tmp_path / "elderly.wav", elderly=True)
    assert elderly.seconds is not None
    assert standard.seconds is not None
    assert elderly.seconds > standard.seconds * 1.2
    assert speaker.settings.elderly_rate < speaker.settings.rate


def test_the_elderly_rate_is_configurable(tmp_path: Path) -> None:
    with Speaker(VoiceSettings(player="none", elderly_rate=90)) as slow:
        very_slow = slow.speak_to_file(EN, "en_US", tmp_path / "slow.wav", elderly=True)
    with Speaker(VoiceSettings(player="none")) as normal:
        elderly = normal.speak_to_file(EN, "en_US", tmp_path / "elderly.wav", elderly=True)
    assert very_slow.seconds
    assert elderly.seconds
    assert very_slow.seconds > elderly.seconds * 1.1


def test_volume_scales_the_audio(speaker: Speaker, tmp_path: Path) -> None:
    speaker.speak_to_file(EN, "en_US", tmp_path / "loud.wav")
    speaker.set_volume(0.3)
    speaker.speak_to_file(EN, "en_US", tmp_path / "quiet.wav")

    def peak(path: Path) -> int:
        frames = wav_info(path)[1]
        return max(abs(int.from_bytes(frames[i:i + 2], "little", signed=True)) for i in range(0, len(frames), 2))

    assert peak(tmp_path / "quiet.wav") < peak(tmp_path / "loud.wav") * 0.6


def test_an_unwritable_path_is_one_clear_error(speaker: Speaker, tmp_path: Path) -> None:
    with pytest.raises(VoiceError, match="cannot write"):
        speaker.speak_to_file(EN, "en_US", tmp_path / "no-such-dir" / "x.wav")


def test_speech_after_a_file_does_not_go_to_the_file(speaker: Speaker, tmp_path: Path) -> None:
    """pyttsx3 2.99 keeps the last save_to_file name, so a later say() on the engine overwrites it
    (first half); the speaker never uses the driver's say(), so its speech leaves the file alone."""
    import pyttsx3

    engine = pyttsx3.init("espeak")
    from kiosk.voice.synth import ENGINE_LOCK

    with ENGINE_LOCK:
        engine.save_to_file("one", str(tmp_path / "quirk.wav"))
        engine.runAndWait()
        first = (tmp_path / "quirk.wav").read_bytes()
        engine.say("a much longer sentence than the first one")
        engine.runAndWait()
    assert (tmp_path / "quirk.wav").read_bytes() != first  # the quirk is real

    out = tmp_path / "prompt.wav"
    speaker.speak_to_file(EN, "en_US", out)
    before = out.read_bytes()
    utterance_id = speaker.say("Something else.", "en_US")
    assert utterance_id is not None
    spoken = speaker.wait(utterance_id, timeout=20)
    assert spoken is not None
    assert spoken.completed
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prompt.wav", "quirk.wav"]
