"""A batch is one commit for one engine step; other threads' writes wait and are never deferred."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from kiosk.journal import Journal


def count(path, session_id) -> int:
    with sqlite3.connect(path) as other:  # another connection sees only committed rows
        return other.execute("SELECT count(*) FROM entries WHERE session_id = ?", (session_id,)).fetchone()[0]


def test_batch_commits_once_at_the_end(tmp_path) -> None:
    path = tmp_path / "j.sqlite"
    journal = Journal(path)
    sid = journal.open_session("si_payment", "K1", "B1", "zh_CN", False)
    with journal.batch():
        journal.record(sid, "step", "a")
        with journal.batch():  # nested: still one commit
            journal.record(sid, "step", "b")
        assert count(path, sid) == 0
    assert count(path, sid) == 2
    journal.close()


def test_batch_commits_even_when_the_step_raised(tmp_path) -> None:
    path = tmp_path / "j.sqlite"
    journal = Journal(path)
    sid = journal.open_session("si_payment", "K1", "B1", "zh_CN", False)

    def step_with_a_bug() -> None:
        with journal.batch():
            journal.record(sid, "fault", "before the bug")
            raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        step_with_a_bug()
    assert count(path, sid) == 1
    journal.close()


def test_another_thread_waits_for_the_batch_then_commits_alone(tmp_path) -> None:
    path = tmp_path / "j.sqlite"
    journal = Journal(path)
    sid = journal.open_session("si_payment", "K1", "B1", "zh_CN", False)
    written = threading.Event()

    def worker() -> None:
        journal.host_request_started("key-1", sid, "si.pay", True, amount_fen=100)
        written.set()

    with journal.batch():
        journal.record(sid, "step", "pay")
        thread = threading.Thread(target=worker)
        thread.start()
        assert not written.wait(0.2)  # blocked while the batch is open
    thread.join(5)
    assert written.is_set()
    assert journal.host_request("key-1").status == "sent"
    journal.close()
