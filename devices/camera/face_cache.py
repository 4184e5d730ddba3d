"""Face locations in the demo photos, cached by content: dlib's detector over the seeded people's
photos took about 1.4 s of every start (the chip photos, the camera simulator's framing).

The key is a hash of the image's pixels and shape, the upsampling and :data:`VERSION` (bump it when the
detector or the landmark model changes), so an edited photo is a new entry and a stale one is never
used. Entries live in memory for the process and as small JSON files in the user's cache directory
(``$KIOSK_CACHE_DIR``, else ``$XDG_CACHE_HOME/smart-teller-kiosk``, else ``~/.cache/smart-teller-kiosk``),
never in the repository. A cache that cannot be read or written is only slower.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

VERSION = "dlib-hog+5pt-1"
Location = tuple[tuple[float, float, float, float], list[list[float]]]  # box (x, y, w, h), 5 points

_memory: dict[str, list[Location]] = {}
_lock = threading.Lock()


def cache_dir() -> Path:
    base = os.environ.get("KIOSK_CACHE_DIR")
    if base:
        return Path(base) / "face-locations"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "smart-teller-kiosk" / "face-locations"


def content_key(image: np.ndarray, upsample: int) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{VERSION}|{image.shape}|{image.dtype}|{upsample}|".encode())
    digest.update(np.ascontiguousarray(image).data)
    return digest.hexdigest()


def lookup(key: str) -> list[Location] | None:
    with _lock:
        if key in _memory:
            return _memory[key]
    path = cache_dir() / f"{key}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        found = [(tuple(entry["box"]), entry["points"]) for entry in raw]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    with _lock:
        _memory[key] = found
    return found


def store(key: str, found: list[Location]) -> None:
    with _lock:
        _memory[key] = found
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump([{"box": list(box), "points": points} for box, points in found], fh)
        os.replace(tmp, folder / f"{key}.json")  # readers see the whole entry or none
    except OSError as exc:
        log.debug("face location cache %s not written: %s", folder, exc)


def forget_memory() -> None:
    """Drop the in-process entries (tests: the next lookup reads the files)."""
    with _lock:
        _memory.clear()
