"""Memory a finished session freed, handed back to the system.

A kiosk runs for weeks in one process. Each session allocates and frees a great deal (an A4 document's
fonts are parsed for every document: about 100 MB that live for a second), and glibc's allocator keeps freed
pages for later rather than returning them, so the process's resident size creeps up with the high-water marks
and the scattered blocks that pin them: the soak (tests/bench/soak.py) measured it. Between customers the
engine calls :func:`give_back`, glibc's ``malloc_trim(0)`` (a few milliseconds), which returns every free
page to the system. Elsewhere (no glibc) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import cache
from typing import Any

log = logging.getLogger(__name__)


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        log.info("no malloc_trim here (not glibc): freed memory stays with the process")
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return libc


def give_back() -> bool:
    """Return free heap pages to the system; True if any were."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
