"""Journal append benchmark: entries per second, one commit each and in batches.

Appends ``--entries`` step entries (a small masked detail each) to a fresh journal file in a temporary
folder, first one commit per entry (each an fsync: synchronous=FULL), then in batches of ``--batch``
(one commit per engine step), and prints entries per second for both, the best of ``--rounds``. Run it
before and after a change to the journal's write path on the same machine, at a quiet time; one commit per
entry measures the disk's fsync more than the code.

    .venv/bin/python tests/bench/bench_journal_append.py [--entries 2000] [--batch 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.journal import EntryKind, Journal  # noqa: E402


def append_rate(path: Path, entries: int, batch: int) -> tuple[float, float]:
    """Entries per second and CPU microseconds per entry appending ``entries`` entries, ``batch`` per commit."""
    with Journal(path) as journal:
        session_id = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
        started, cpu = time.perf_counter(), time.process_time()
        for first in range(0, entries, batch):
            with journal.batch():
                for n in range(first, min(first + batch, entries)):
                    journal.record(session_id, EntryKind.STEP, "confirm", {"n": n, "amount_fen": 112800})
        return entries / (time.perf_counter() - started), (time.process_time() - cpu) / entries * 1e6


def best(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return max(a[0], b[0]), min(a[1], b[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    single, batched = (0.0, float("inf")), (0.0, float("inf"))
    for n in range(args.rounds):
        with tempfile.TemporaryDirectory() as folder:
            single = best(single, append_rate(Path(folder) / f"single{n}.sqlite", args.entries, 1))
            batched = best(batched, append_rate(Path(folder) / f"batched{n}.sqlite", args.entries, args.batch))
    for label, (rate, cpu_us) in (("one commit per entry", single), (f"{args.batch} entries per commit", batched)):
        sys.stdout.write(f"{label}: {rate:,.0f} entries/s, {cpu_us:.0f} µs CPU per entry\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
