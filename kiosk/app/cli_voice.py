"""``kiosk voice say TEXT``: speak a text (or write it as a WAV) with the kiosk's voice settings;
``kiosk voice screen FLOW STEP``: a screen's speech (kiosk/app/cli_voice_screen.py).

For staff testing the speaker. Exit status: 0 spoken or written, 1 speech failed (one line on
stderr, e.g. no espeak-ng, no audio player, no sound card), 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from kiosk.app.cli_voice_screen import cmd_voice_screen
from kiosk.core.i18n import LANGUAGES
from kiosk.voice import Speaker, VoiceError, VoiceSettings

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
SettingsLoader = Callable[[Path | None], VoiceSettings]


def add_voice_commands(subparsers: Any, load_settings: SettingsLoader | None = None) -> None:
    """Add ``voice say`` to the ``kiosk`` command (``subparsers`` from add_subparsers()).

    ``load_settings(config_path)`` gives the configured voice settings; with it, ``say`` takes
    ``--config``. Without it the defaults are used (VoiceSettings())."""
    voice = subparsers.add_parser("voice", help="the speaker (text to speech)")
    voice.set_defaults(handler=lambda _args: voice.print_help() or 2)
    actions = voice.add_subparsers(metavar="ACTION")
    say = actions.add_parser("say", help="speak a text, or write it to a WAV file")
    say.add_argument("text", help="what to say")
    say.add_argument("--lang", choices=LANGUAGES, default="zh_CN", help="language and voice (default zh_CN)")
    say.add_argument("--elderly", action="store_true", help="the slower elderly-mode rate")
    say.add_argument("--out", type=Path, metavar="FILE.wav", help="write a WAV file instead of playing")
    if load_settings is not None:
        say.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")
    say.set_defaults(handler=lambda args: cmd_voice_say(args, load_settings=load_settings))
    screen = actions.add_parser("screen", help="what the kiosk says on a flow's screen: printed, and written as a WAV")
    screen.add_argument("flow", help="flow id (kiosk flows list)")
    screen.add_argument("step", help="a step its sample session shows (the flow's happy-path scenario)")
    screen.add_argument("--lang", choices=LANGUAGES, default="zh_CN", help="language (default zh_CN)")
    screen.add_argument("--elderly", action="store_true", help="elderly mode (长辈模式)")
    screen.add_argument("--out", type=Path, metavar="FILE.wav", required=True, help="the WAV to write")
    if load_settings is not None:
        screen.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")
    screen.set_defaults(handler=lambda args: cmd_voice_screen(args, sys.stdout, sys.stderr, load_settings))


def cmd_voice_say(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None,
                  load_settings: SettingsLoader | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    settings = load_settings(getattr(args, "config", None)) if load_settings else VoiceSettings()
    speaker = Speaker(settings)
    try:
        return _say(speaker, args, out)
    except VoiceError as exc:
        err.write(f"kiosk: voice: {exc}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        err.write("kiosk: interrupted\n")
        return EXIT_INTERRUPTED
    finally:
        speaker.close()


def _say(speaker: Speaker, args: argparse.Namespace, out: TextIO) -> int:
    if not speaker.available:
        raise VoiceError(speaker.problem or "the speaker did not start")
    if args.out is not None:
        written = speaker.speak_to_file(args.text, args.lang, args.out, elderly=args.elderly)
        out.write(f"{args.out}: {written.seconds or 0:.1f} s, voice {written.voice}\n")
        return 0
    if speaker.output_problem:
        raise VoiceError(f"{speaker.output_problem}; write a file with --out FILE.wav")
    problem = speaker.voice_problem(args.lang)
    if problem:
        raise VoiceError(problem)
    utterance_id = speaker.say(args.text, args.lang, elderly=args.elderly)
    if utterance_id is None:
        raise VoiceError("nothing to say")
    spoken = speaker.wait(utterance_id, timeout=120)
    if spoken is None:
        raise VoiceError("speech did not finish within 120 s")
    if spoken.error:
        raise VoiceError(spoken.error)
    out.write(f"spoken: {spoken.seconds or 0:.1f} s, voice {spoken.voice}, through {speaker.output.name}\n")
    return 0
