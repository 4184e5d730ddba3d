"""Reading a TOML file that people write (the configuration, scenarios, simulator profiles).

``tomllib.load`` lets three things through besides :class:`tomllib.TOMLDecodeError`: bytes that are not
UTF-8 (UnicodeDecodeError), arrays or tables nested a thousand deep (RecursionError), and a path that is a
folder or not readable (OSError). :func:`read_toml` turns each into one :class:`TomlFileError` line that
says what is wrong, so a caller has one error to catch and a one-line message to show.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any


class TomlFileError(ValueError):
    """The file cannot be read as TOML; ``reason`` is "missing", "unreadable", "encoding" or "syntax"."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(detail)


def read_toml(path: Path | str) -> dict[str, Any]:
    """The file's tables; TomlFileError naming the problem (never a traceback for a bad file)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise TomlFileError("missing", "no such file") from None
    except OSError as exc:
        raise TomlFileError("unreadable", f"cannot be read: {os.strerror(exc.errno) if exc.errno else exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TomlFileError("encoding", f"not UTF-8 text (byte {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlFileError("syntax", f"not valid TOML: {exc}") from None
    except RecursionError:
        raise TomlFileError("syntax", "not valid TOML: arrays or tables nested too deep") from None
