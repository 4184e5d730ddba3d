"""``kiosk voice say``, on a parser of its own (the lead wires it into kiosk.app.cli)."""

from __future__ import annotations

import argparse
import io
import wave
from pathlib import Path

import pytest

from kiosk.app.cli_voice import add_voice_commands, cmd_voice_say
from kiosk.voice import VoiceSettings


def run(argv: list[str], settings: VoiceSettings | None = None) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="kiosk")
    loader = (lambda _path: settings) if settings is not None else None
    add_voice_commands(parser.add_subparsers(metavar="COMMAND"), load_settings=loader)
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    code = cmd_voice_say(args, out, err, load_settings=loader)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("lang", "text", "voice"), [("zh_CN", "您好，欢迎光临。", "sit/cmn"),
                                                     ("en_US", "Welcome.", "gmw/en-us")])
def test_say_writes_a_wav(tmp_path: Path, lang: str, text: str, voice: str) -> None:
    out_file = tmp_path / "hello.wav"
    code, out, err = run(["voice", "say", text, "--lang", lang, "--out", str(out_file)])
    assert (code, err) == (0, "")
    assert out_file.read_bytes()[:4] == b"RIFF"
    with wave.open(str(out_file)) as wav:
        assert wav.getnframes() > 0
    assert out.startswith(f"{out_file}: ")
    assert out.endswith(f" s, voice {voice}\n")


def test_elderly_writes_a_longer_wav(tmp_path: Path) -> None:
    for name, extra in (("standard", []), ("elderly", ["--elderly"])):
        assert run(["voice", "say", "请取走您的银行卡。", "--out", str(tmp_path / f"{name}.wav"), *extra])[0] == 0
    sizes = {name: (tmp_path / f"{name}.wav").stat().st_size for name in ("standard", "elderly")}
    assert sizes["elderly"] > sizes["standard"] * 1.2


def test_say_through_the_configured_player(tmp_path: Path) -> None:
    settings = VoiceSettings(player=f"cp --target-directory={tmp_path} --no-clobber")
    code, out, err = run(["voice", "say", "Welcome.", "--lang", "en_US"], settings)
    assert (code, err) == (0, "")
    assert out.startswith("spoken: ")
    assert out.endswith(f"through cp --target-directory={tmp_path} --no-clobber\n")
    assert [p.suffix for p in tmp_path.iterdir()] == [".wav"]  # the player got the WAV


def test_no_audio_player_is_one_line_and_a_failure() -> None:
    code, out, err = run(["voice", "say", "Welcome."], VoiceSettings(player="no-such-player"))
    assert (code, out) == (1, "")
    assert err == ("kiosk: voice: audio player 'no-such-player' not found; speech is not played; "
                   "write a file with --out FILE.wav\n")


def test_a_failing_player_is_one_line_and_a_failure() -> None:
    code, _, err = run(["voice", "say", "Welcome."], VoiceSettings(player="false"))
    assert code == 1
    assert err == "kiosk: voice: false exited with 1: no message\n"


def test_no_espeak_is_one_line_and_a_failure(monkeypatch, tmp_path: Path) -> None:
    import pyttsx3

    def broken(*_args, **_kwargs):
        raise RuntimeError("could not initialize espeak")

    monkeypatch.setattr(pyttsx3, "init", broken)
    code, out, err = run(["voice", "say", "Welcome.", "--out", str(tmp_path / "x.wav")])
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith("kiosk: voice: speech is off: text to speech cannot start (pyttsx3 driver 'espeak': "
                          "could not initialize espeak)")


def test_an_unwritable_file_is_one_line_and_a_failure(tmp_path: Path) -> None:
    code, _, err = run(["voice", "say", "Welcome.", "--out", str(tmp_path / "missing" / "x.wav")])
    assert code == 1
    assert err.startswith("kiosk: voice: cannot write ")
    assert err.count("\n") == 1


def test_the_handler_set_on_the_parser_runs_the_command(tmp_path: Path, capsys) -> None:
    parser = argparse.ArgumentParser(prog="kiosk")
    add_voice_commands(parser.add_subparsers())
    args = parser.parse_args(["voice", "say", "Welcome.", "--lang", "en_US", "--out", str(tmp_path / "w.wav")])
    assert args.handler(args) == 0
    assert capsys.readouterr().out.startswith(str(tmp_path / "w.wav"))


def test_the_parser_offers_the_languages_and_a_config_with_a_loader() -> None:
    parser = argparse.ArgumentParser(prog="kiosk")
    add_voice_commands(parser.add_subparsers(), load_settings=lambda _p: VoiceSettings())
    args = parser.parse_args(["voice", "say", "hi", "--lang", "en_US", "--elderly", "--config", "k.toml"])
    assert (args.lang, args.elderly, args.config, args.out) == ("en_US", True, Path("k.toml"), None)
    with pytest.raises(SystemExit):
        parser.parse_args(["voice", "say", "hi", "--lang", "fr_FR"])
