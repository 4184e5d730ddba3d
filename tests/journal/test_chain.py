"""The hash chain: a clean journal verifies; an altered, deleted or foreign entry, a row changed behind the
journal's back and dropped triggers are named; migration, binding and rollbacks keep the chain whole."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.clock import ManualClock
from kiosk.journal import EntryKind, Journal, JournalError
from kiosk.journal.chain import REQUIRED_TRIGGERS, VerifyReport, genesis, verify
from kiosk.journal.schema import _ENTRIES_NO_UPDATE, _SCHEMA_V1, _statements

from .conftest import START, open_demo_session

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection behind the journal's back (no foreign keys, as an intruder's sqlite3 shell)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        yield conn


def tamper(path: Path, *statements: str, drop: tuple[str, ...] = ()) -> None:
    """Drop the named triggers, run ``statements``, and put the triggers back as they were."""
    with raw(path) as conn:
        saved = [conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0] for t in drop]
        for trigger in drop:
            conn.execute(f"DROP TRIGGER {trigger}")
        for statement in statements:
            conn.execute(statement)
        for sql in saved:
            conn.execute(sql)


def busy_day(journal: Journal, clock: ManualClock) -> dict[str, str]:
    """A morning's worth of entries: sessions, steps, a host request, a transaction, staff and system."""
    journal.record(None, EntryKind.SYSTEM, "kiosk started")
    paid = open_demo_session(journal, "si_payment")
    with journal.batch():
        journal.record(paid, EntryKind.STEP, "welcome")
        journal.record(paid, EntryKind.DEVICE, "idcard.read", {"id_number": "11010519491231002X", "ok": True})
    clock.advance(2)
    journal.txn_intent("pay-1", paid, "si_payment", "si.pay", amount_fen=112800)
    journal.txn_move("pay-1", "sent")
    journal.host_request_started("pay-1", paid, "si.pay", True, amount_fen=112800)
    journal.host_request_finished("pay-1", "committed", {"reference": "SI0001"})
    journal.txn_move("pay-1", "approved")
    journal.txn_move("pay-1", "completed")
    journal.close_session(paid, "completed")
    other = open_demo_session(journal, "loss_report")
    journal.record(None, EntryKind.STAFF, "took over", {"staff_id": "S01"})
    journal.close_session(other, "cancelled", "customer left")
    return {"paid": paid, "cancelled": other}


def entry_count(path: Path) -> int:
    with raw(path) as conn:
        return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def entry_seq(path: Path, name: str) -> int:
    with raw(path) as conn:
        return int(conn.execute("SELECT seq FROM entries WHERE name = ?", (name,)).fetchone()[0])


# -- a clean journal ----------------------------------------------------------------------------------


def test_a_clean_journal_verifies_from_the_file_and_from_the_open_journal(
    journal: Journal, journal_path: Path, clock: ManualClock
) -> None:
    busy_day(journal, clock)
    report = verify(journal_path)
    assert report.ok, report.reason
    assert report.entries_checked == entry_count(journal_path)
    with raw(journal_path) as conn:
        assert report.head == conn.execute("SELECT hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert report.summary() == f"journal OK: {report.entries_checked} entries, chain head {report.head[:16]}"
    assert verify(journal) == report == journal.verify_chain()


def test_an_empty_journal_verifies_with_the_genesis_as_its_head(journal: Journal) -> None:
    assert verify(journal) == VerifyReport(True, 0, None, None, genesis("unbound"), "unbound")


def test_every_entry_is_chained_to_the_one_before(journal: Journal, journal_path: Path) -> None:
    for name in ("a", "b", "c"):
        journal.record(None, EntryKind.NOTE, name)
    with raw(journal_path) as conn:
        hashes = [row[0] for row in conn.execute("SELECT hash FROM entries ORDER BY seq")]
    assert len(set(hashes)) == 3
    assert all(len(h) == 64 for h in hashes)


def test_session_and_host_request_changes_are_row_entries_outside_the_business_views(
    journal: Journal, clock: ManualClock
) -> None:
    ids = busy_day(journal, clock)
    rows = journal.entries_on(START.date(), kind="row")
    assert [e.name for e in rows] == ["session.open", "host_request.sent", "host_request.committed",
                                      "session.completed", "session.open", "session.cancelled"]
    assert rows[0].detail is not None
    assert rows[0].detail["id"] == ids["paid"]
    assert "row" not in {e.kind for e in journal.entries_on(START.date())}
    assert "row" not in {e.kind for e in journal.entries(ids["paid"])}


# -- tampering ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("detail", '{"ok": false}'), ("name", "idcard.skipped"), ("at", "2026-11-28T09:59:59.000")],
)
def test_an_altered_entry_is_named(
    journal: Journal, journal_path: Path, clock: ManualClock, column: str, value: str
) -> None:
    busy_day(journal, clock)
    seq = entry_seq(journal_path, "idcard.read")
    tamper(journal_path, f"UPDATE entries SET {column} = '{value}' WHERE seq = {seq}", drop=("entries_no_update",))
    report = verify(journal_path)
    assert (report.ok, report.first_broken_seq, report.reason) == (False, seq, f"hash mismatch: entry #{seq} was altered")
    assert report.entries_checked == seq - 1
    assert report.summary() == f"journal BROKEN at entry #{seq}: hash mismatch: entry #{seq} was altered"


def test_a_deleted_entry_is_a_gap(journal: Journal, journal_path: Path, clock: ManualClock) -> None:
    busy_day(journal, clock)
    seq = entry_seq(journal_path, "welcome")
    tamper(journal_path, f"DELETE FROM entries WHERE seq = {seq}", drop=("entries_no_delete",))
    report = verify(journal_path)
    assert (report.first_broken_seq, report.reason) == (seq, f"gap in sequence: entry #{seq} is missing (deleted)")


def test_entries_cut_off_the_end_are_missed(journal: Journal, journal_path: Path, clock: ManualClock) -> None:
    busy_day(journal, clock)
    last = entry_count(journal_path)
    tamper(journal_path, f"DELETE FROM entries WHERE seq >= {last - 1}", drop=("entries_no_delete",))
    report = verify(journal_path)
    assert report.first_broken_seq == last - 1
    assert report.reason == f"gap in sequence: entries #{last - 1} to #{last} are missing (deleted)"


def test_a_changed_session_outcome_is_named(journal: Journal, journal_path: Path, clock: ManualClock) -> None:
    ids = busy_day(journal, clock)
    closed_at = max(e.seq for e in journal.entries_on(START.date(), kind="row") if e.name == "session.cancelled")
    tamper(journal_path, f"UPDATE sessions SET outcome = 'completed' WHERE id = '{ids['cancelled']}'",
           drop=("sessions_closed_once",))
    report = verify(journal_path)
    assert report.first_broken_seq == closed_at
    assert report.reason == f"session {ids['cancelled']} changed behind the chain (it no longer matches entry #{closed_at})"


def test_a_changed_host_request_amount_is_named(journal: Journal, journal_path: Path, clock: ManualClock) -> None:
    busy_day(journal, clock)
    tamper(journal_path, "UPDATE host_requests SET amount_fen = 100 WHERE idempotency_key = 'pay-1'")
    report = verify(journal_path)
    assert report.reason is not None
    assert report.reason.startswith("host request pay-1 changed behind the chain")


def test_a_changed_transaction_state_is_named(journal: Journal, journal_path: Path, clock: ManualClock) -> None:
    busy_day(journal, clock)
    completed = max(e.seq for e in journal.entries_on(START.date(), kind="txn") if e.name == "completed")
    tamper(journal_path, "UPDATE transactions SET state = 'reversed' WHERE key = 'pay-1'",
           drop=("transactions_forward_only",))
    report = verify(journal_path)
    assert (report.first_broken_seq, report.reason) == (
        completed, f"transaction pay-1 changed behind the chain (its state no longer matches entry #{completed})")


def test_a_session_written_behind_the_journal_is_named(journal: Journal, journal_path: Path) -> None:
    tamper(journal_path, "INSERT INTO sessions (id, kiosk_id, branch_id, flow_id, started_at, lang, elderly)"
                         " VALUES ('forged', 'K001', 'B0101', 'si_payment', '2026-11-28T10:00:00.000', 'zh_CN', 0)")
    report = verify(journal_path)
    assert report.summary() == "journal BROKEN: session forged is not in the chain (written behind the journal's back)"


def test_dropped_triggers_are_named(journal: Journal, journal_path: Path, clock: ManualClock) -> None:
    busy_day(journal, clock)
    with raw(journal_path) as conn:
        conn.execute("DROP TRIGGER entries_no_delete")
        conn.execute("DROP TRIGGER transactions_forward_only")
    report = verify(journal_path)
    assert report.summary() == "journal BROKEN: append-only triggers missing: entries_no_delete, transactions_forward_only"


def test_the_verifier_knows_every_trigger_of_a_new_file(journal_path: Path) -> None:
    Journal(journal_path).close()
    with raw(journal_path) as conn:
        triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert triggers == set(REQUIRED_TRIGGERS)
    assert _ENTRIES_NO_UPDATE in _SCHEMA_V1


# -- the kiosk id --------------------------------------------------------------------------------------


def test_a_journal_bound_to_another_kiosk_is_refused(journal_path: Path, clock: ManualClock) -> None:
    with Journal(journal_path, clock, kiosk_id="K0042") as journal:
        assert journal.kiosk_id == "K0042"
        journal.record(None, EntryKind.SYSTEM, "kiosk started")
    with pytest.raises(JournalError, match="belongs to kiosk K0042, not K0043"):
        Journal(journal_path, clock, kiosk_id="K0043")
    with Journal(journal_path, clock) as tool:  # a tool opening it without an id reads the binding
        assert tool.kiosk_id == "K0042"
    assert verify(journal_path, "K0042").ok
    assert verify(journal_path, "K0043").reason == "wrong kiosk id: the journal belongs to kiosk K0042, not K0043"


def test_a_kiosk_id_changed_in_the_file_is_named(journal_path: Path, clock: ManualClock) -> None:
    with Journal(journal_path, clock, kiosk_id="K0042") as journal:
        journal.record(None, EntryKind.SYSTEM, "kiosk started")
    tamper(journal_path, "UPDATE journal_meta SET value = 'K0043' WHERE key = 'kiosk_id'")
    assert verify(journal_path).reason == (
        "wrong kiosk id: the chain did not start for kiosk K0043 (its id was changed)")


def test_an_unbound_journal_is_bound_by_the_first_kiosk_that_opens_it(journal_path: Path, clock: ManualClock) -> None:
    with Journal(journal_path, clock) as journal:
        busy_day(journal, clock)
    with Journal(journal_path, clock, kiosk_id="K0042") as journal:
        assert journal.kiosk_id == "K0042"
        journal.record(None, EntryKind.SYSTEM, "kiosk started")
    report = verify(journal_path, "K0042")
    assert report.ok, report.reason
    assert report.kiosk_id == "K0042"


def test_an_unbound_journal_with_an_altered_entry_is_not_bound(journal_path: Path, clock: ManualClock) -> None:
    with Journal(journal_path, clock) as journal:
        journal.record(None, EntryKind.SYSTEM, "kiosk started")
    tamper(journal_path, "UPDATE entries SET name = 'forged'", drop=("entries_no_update",))
    with pytest.raises(JournalError, match="entry #1 was altered"):
        Journal(journal_path, clock, kiosk_id="K0042")
    assert verify(journal_path).first_broken_seq == 1


# -- migration and rollbacks ----------------------------------------------------------------------------


def write_v1_journal(path: Path) -> None:
    """A journal as a kiosk before the chain wrote it: schema version 1, no hashes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with raw(path) as conn:
        for statement in _statements(_SCHEMA_V1):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version (version) VALUES (1)")
        conn.execute("INSERT INTO sessions VALUES ('s1', 'K0042', 'B0101', 'si_payment', '2026-11-27T09:00:00.000',"
                     " '2026-11-27T09:02:00.000', 'completed', NULL, 'zh_CN', 0)")
        conn.execute("INSERT INTO sessions VALUES ('s2', 'K0042', 'B0101', 'loss_report', '2026-11-27T09:05:00.000',"
                     " NULL, NULL, NULL, 'zh_CN', 1)")
        conn.executemany("INSERT INTO entries (session_id, at, kind, name, detail) VALUES (?, ?, ?, ?, ?)",
                         [(None, "2026-11-27T08:59:00.000", "system", "kiosk started", None),
                          ("s1", "2026-11-27T09:00:01.000", "step", "welcome", '{"lang": "zh_CN"}'),
                          ("s1", "2026-11-27T09:01:00.000", "outcome", "completed", None)])
        conn.execute("INSERT INTO host_requests VALUES ('k1', 's1', 'si.pay', 1, 'committed', 38000,"
                     " '2026-11-27T09:01:00.000', '2026-11-27T09:01:01.000', NULL)")


def test_a_v1_journal_is_migrated_and_verifies(journal_path: Path, clock: ManualClock) -> None:
    write_v1_journal(journal_path)
    assert verify(journal_path).reason == (
        "the journal has no chain yet (schema v1): open it with the kiosk once to migrate it")
    with Journal(journal_path, clock, kiosk_id="K0042") as journal:
        assert [e.name for e in journal.entries("s1")] == ["welcome", "completed"]
        rows = [e.name for e in journal.entries_on(START.date().replace(day=27), kind="row")]
        assert rows == ["session.completed", "session.open", "host_request.committed"]
        journal.close_session("s2", "abandoned")
        journal.record(None, EntryKind.SYSTEM, "kiosk started")
    report = verify(journal_path, "K0042")
    assert report.ok, report.reason
    assert report.entries_checked == 3 + 3 + 2
    with raw(journal_path) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE entries SET name = 'forged' WHERE seq = 1")


def test_a_rolled_back_write_leaves_the_chain_whole(journal: Journal, journal_path: Path) -> None:
    journal.record(None, EntryKind.SYSTEM, "kiosk started")

    def failing_write() -> None:
        with journal._atomic():  # what the transaction methods write in
            journal.record(None, EntryKind.NOTE, "undone 1")
            journal.record(None, EntryKind.NOTE, "undone 2")
            raise RuntimeError("the step failed")

    with pytest.raises(RuntimeError, match="the step failed"):
        failing_write()
    journal.record(None, EntryKind.NOTE, "after")
    assert [e.name for e in journal.entries_on(START.date())] == ["kiosk started", "after"]
    assert verify(journal_path).ok


def test_two_connections_appending_in_turn_keep_one_chain(journal_path: Path, clock: ManualClock) -> None:
    with Journal(journal_path, clock, kiosk_id="K0042") as kiosk, Journal(journal_path, clock) as tool:
        for n in range(3):
            kiosk.record(None, EntryKind.NOTE, f"kiosk {n}")
            tool.record(None, EntryKind.NOTE, f"tool {n}")  # its head is stale each time: it chains to the kiosk's
    report = verify(journal_path, "K0042")
    assert (report.ok, report.entries_checked) == (True, 6)


CRASH_MID_BATCH = """
import os, sys
from kiosk.journal import Journal
journal = Journal(sys.argv[1], kiosk_id="K0042")
journal.record(None, "system", "kiosk started")
with journal.batch():
    journal.record(None, "step", "lost 1")
    journal.record(None, "step", "lost 2")
    os._exit(86)  # the power goes mid-step
"""


def test_a_crash_mid_batch_keeps_the_chain_valid(journal_path: Path, clock: ManualClock) -> None:
    done = subprocess.run([sys.executable, "-c", CRASH_MID_BATCH, str(journal_path)], cwd=ROOT, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True)
    assert done.returncode == 86, done.stderr
    with Journal(journal_path, clock, kiosk_id="K0042") as journal:
        journal.record(None, EntryKind.SYSTEM, "kiosk started again")
        assert [e.name for e in journal.entries_on(START.date())] == ["kiosk started again"]
    report = verify(journal_path, "K0042")
    assert (report.ok, report.entries_checked) == (True, 2)


# -- properties --------------------------------------------------------------------------------------

NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
DETAILS = st.none() | st.dictionaries(st.sampled_from(["ok", "step", "amount_fen", "note"]),
                                      st.integers(0, 10**6) | NAMES, max_size=3)
ACTIONS = st.lists(
    st.tuples(st.sampled_from(["record", "session", "host", "batch"]), st.sampled_from(list(EntryKind)), NAMES,
              DETAILS),
    min_size=1, max_size=12,
)
COLUMNS = ("session_id", "at", "kind", "name", "detail", "hash")


def play(journal: Journal, actions: list[tuple[str, EntryKind, str, dict | None]]) -> None:
    """Append what ``actions`` say: entries alone or in a batch, sessions opened and closed, host requests."""
    for n, (action, kind, name, detail) in enumerate(actions):
        if action == "record":
            journal.record(None, kind, name, detail)
        elif action == "batch":
            with journal.batch():
                journal.record(None, kind, name, detail)
                journal.record(None, EntryKind.NOTE, name)
        elif action == "session":
            session = open_demo_session(journal)
            journal.record(session, kind, name, detail)
            journal.close_session(session, "completed", name)
        else:
            journal.host_request_started(f"key-{n}", None, "si.pay", True, amount_fen=n)
            journal.host_request_finished(f"key-{n}", "committed", detail)


@contextmanager
def fresh_journal() -> Iterator[tuple[Journal, Path]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.sqlite"
        with Journal(path, ManualClock(START), kiosk_id="K0042") as journal:
            yield journal, path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_any_sequence_of_appends_verifies(actions) -> None:
    with fresh_journal() as (journal, path):
        play(journal, actions)
        report = verify(path, "K0042")
        assert report.ok, report.reason
        assert report.entries_checked == entry_count(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS, st.data())
def test_any_single_byte_changed_in_a_stored_entry_is_found(actions, data) -> None:
    with fresh_journal() as (journal, path):
        play(journal, actions)
        with raw(path) as conn:
            stored = conn.execute(f"SELECT seq, {', '.join(COLUMNS)} FROM entries ORDER BY seq").fetchall()
        seq, *values = data.draw(st.sampled_from(stored))
        column, value = data.draw(st.sampled_from([(c, v) for c, v in zip(COLUMNS, values, strict=True) if v]))
        raw_bytes = bytearray(value.encode("utf-8"))
        at = data.draw(st.integers(0, len(raw_bytes) - 1))
        raw_bytes[at] = data.draw(st.integers(0, 255).filter(lambda b: b != raw_bytes[at]))
        try:
            changed: str | bytes = raw_bytes.decode("utf-8")
        except UnicodeDecodeError:
            changed = bytes(raw_bytes)  # not text any more: stored as a blob
        with raw(path) as conn:
            conn.execute("DROP TRIGGER entries_no_update")
            conn.execute(f"UPDATE entries SET {column} = ? WHERE seq = ?", (changed, seq))
            conn.execute(_ENTRIES_NO_UPDATE)
        report = verify(path, "K0042")
        assert (report.ok, report.first_broken_seq) == (False, seq), report.reason
