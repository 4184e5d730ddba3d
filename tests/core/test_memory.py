"""Freed memory goes back to the system between customers (kiosk/core/memory.py)."""

from __future__ import annotations

from pathlib import Path

from kiosk.core import memory


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_freed_heap_is_returned_to_the_system() -> None:
    memory.give_back()
    blocks = [bytearray(2048) for _ in range(40_000)]  # 80 MB from malloc's heap (above pymalloc, below mmap)
    keep = blocks[::100]  # a few survivors scattered through it, as a session leaves: free() cannot shrink it
    grown = rss_kib()
    del blocks
    assert rss_kib() > grown - 10_000  # free() alone kept the pages (this is why)
    assert memory.give_back()
    assert rss_kib() < grown - 10_000  # tens of MiB back, although the survivors pin some pages
    assert len(keep) == 400

