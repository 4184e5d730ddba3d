"""python-escpos, imported in one place with two of its import-time side effects contained.

``escpos.capabilities`` (imported by every printer class) does two things at import that a kiosk
does not want: it calls ``logging.basicConfig()`` (so the kiosk's own logging set-up later becomes a
no-op), and it creates a ``mkdtemp()`` folder for its pickled printer database that nobody removes
(one leaked folder in /tmp per process; it is created even when ``ESCPOS_CAPABILITIES_PICKLE_DIR``
is set, as the default argument of ``environ.get``). Here the pickle goes to one folder in the
user's cache: ``ESCPOS_CAPABILITIES_PICKLE_DIR`` (unless already set), and while that module is
imported, its own ``mkdtemp()`` call (only its own) returns that folder. A root handler the import
added is removed again. Import python-escpos through this module only.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "smart-teller-kiosk" / "python-escpos"


def _import_escpos() -> None:
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
        folder = _cache_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(folder)
    pickle_dir = os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*args: Any, **kwargs: Any) -> Any:
        if sys._getframe(1).f_globals.get("__name__") == "escpos.capabilities":
            return pickle_dir
        return real_mkdtemp(*args, **kwargs)

    root = logging.getLogger()
    before = list(root.handlers)
    tempfile.mkdtemp = mkdtemp
    try:
        import escpos.capabilities  # noqa: F401 - the module with the side effects
    finally:
        tempfile.mkdtemp = real_mkdtemp
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)


_import_escpos()

from escpos import printer as transports  # noqa: E402 - after the side effects are contained
from escpos.constants import QR_ECLEVEL_M  # noqa: E402
from escpos.escpos import Escpos  # noqa: E402
from escpos.exceptions import DeviceNotFoundError  # noqa: E402
from escpos.exceptions import Error as EscposError  # noqa: E402

__all__ = ["QR_ECLEVEL_M", "DeviceNotFoundError", "Escpos", "EscposError", "transports"]
