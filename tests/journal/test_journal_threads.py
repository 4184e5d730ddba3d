"""The engine thread writes while staff screens read: nothing is lost, nothing interleaves badly."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.core.clock import SystemClock
from kiosk.journal import EntryKind, Journal

WRITERS = 4
PER_WRITER = 200


def test_four_threads_writing_lose_nothing(journal_path: Path) -> None:
    with Journal(journal_path, SystemClock()) as journal:
        sessions = [journal.open_session("f", "K001", "B0101", "zh_CN", False) for _ in range(WRITERS)]
        start, errors = threading.Barrier(WRITERS + 1), []
        stop_reading = threading.Event()

        def write(n: int) -> None:
            try:
                start.wait()
                for i in range(PER_WRITER):
                    journal.record(sessions[n], EntryKind.STEP, f"step {i}", {"writer": n, "i": i})
                    if i % 50 == 0:
                        journal.host_request_started(f"{n}-{i}", sessions[n], "op", posting=False)
                        journal.host_request_finished(f"{n}-{i}", "committed")
            except Exception as exc:  # surfaced by the assertion below
                errors.append(exc)

        def read() -> None:
            start.wait()
            while not stop_reading.is_set():
                for session_id in sessions:
                    journal.entries(session_id)
                journal.unfinished_host_requests()

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        reader = threading.Thread(target=read)
        for thread in [*threads, reader]:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        stop_reading.set()
        reader.join(timeout=60)

        assert errors == []
        for n, session_id in enumerate(sessions):
            entries = journal.entries(session_id)
            assert [e.detail for e in entries] == [{"writer": n, "i": i} for i in range(PER_WRITER)]
            assert len(journal.host_requests(session_id)) == PER_WRITER // 50
        all_seqs = [e.seq for s in sessions for e in journal.entries(s)]
        assert len(set(all_seqs)) == WRITERS * PER_WRITER
        assert journal.unfinished_host_requests() == []
