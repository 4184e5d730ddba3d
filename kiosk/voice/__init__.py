"""Speech for the kiosk: pyttsx3 (espeak-ng) in its own worker thread. No Qt.

:class:`Speaker` speaks (``say``/``stop``) and writes WAV files (``speak_to_file``);
:class:`VoiceSettings` is its configuration. Screen-by-screen voice guidance is
``kiosk.engine.guide.VoiceGuide``; see docs/voice.md.
"""

from kiosk.voice.settings import DEFAULT_VOICES, VoiceSettings
from kiosk.voice.speaker import Speaker
from kiosk.voice.utterance import SpeechListener, Utterance, VoiceError

__all__ = ["DEFAULT_VOICES", "Speaker", "SpeechListener", "Utterance", "VoiceError", "VoiceSettings"]
