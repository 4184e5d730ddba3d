"""Journal append benchmark: entries per second, one commit each and in batches.

Appends ``--entries`` step entries (a small masked detail each) to a fresh journal file in a temporary
folder, first one commit per entry (each an fsync: synchronous=FULL), then in batches of ``--batch``
(one commit per engine step), and prints entries per second for both. Run it before and after a change
to the journal's write path on the same machine; the numbers depend on the disk's fsync.

    .venv/bin/python tests/bench/bench_journal_append.py [--entries 2000] [--batch 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.journal import EntryKind, Journal  # noqa: E402


def append_rate(path: Path, entries: int, batch: int) -> float:
    """Entries per second appending ``entries`` entries, ``batch`` per commit (1: each its own commit)."""
    with Journal(path) as journal:
        session_id = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
        started = time.perf_counter()
        for first in range(0, entries, batch):
            with journal.batch():
                for n in range(first, min(first + batch, entries)):
                    journal.record(session_id, EntryKind.STEP, "confirm", {"n": n, "amount_fen": 112800})
        return entries / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        single = append_rate(Path(folder) / "single.sqlite", args.entries, 1)
        batched = append_rate(Path(folder) / "batched.sqlite", args.entries, args.batch)
    sys.stdout.write(f"one commit per entry: {single:,.0f} entries/s\n"
                     f"{args.batch} entries per commit: {batched:,.0f} entries/s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
