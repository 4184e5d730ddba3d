"""``kiosk journal verify``: exit 0 and the chain head for an intact journal, exit 1 and the first broken
record otherwise; the journal is found in the configuration's data folder or named with --journal."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.app.cli import build_parser
from kiosk.app.cli_journal import add_verify_command
from kiosk.core.clock import ManualClock
from kiosk.journal import EntryKind, Journal

from .test_cli_journal import run as run_journal


def run(argv: list[str]) -> tuple[int, str]:
    return run_journal(argv, add_verify_command)


def write_config(tmp_path: Path, kiosk_id: str = "K0042") -> Path:
    path = tmp_path / f"{kiosk_id}.toml"
    path.write_text(f'[kiosk]\nkiosk_id = "{kiosk_id}"\ndata_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    return path


def fill_journal(tmp_path: Path) -> Path:
    path = tmp_path / "var" / "journal.sqlite"
    with Journal(path, ManualClock(datetime(2026, 11, 28, 9, 0, 0)), kiosk_id="K0042") as journal:
        journal.record(None, EntryKind.SYSTEM, "kiosk started")
        session = journal.open_session("si_payment", "K0042", "B0101", "zh_CN", False)
        journal.record(session, EntryKind.STEP, "welcome")
        journal.close_session(session, "completed")
    return path


def head(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()[0])


def test_an_intact_journal_is_ok(tmp_path: Path) -> None:
    path = fill_journal(tmp_path)
    code, out = run(["verify", "--config", str(write_config(tmp_path))])
    assert (code, out) == (0, f"journal OK: 4 entries, chain head {head(path)[:16]}\n")


def test_an_altered_entry_is_broken_with_exit_1(tmp_path: Path) -> None:
    path = fill_journal(tmp_path)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER entries_no_update")
        conn.execute("UPDATE entries SET name = 'goodbye' WHERE name = 'welcome'")
    code, out = run(["verify", "--journal", str(path)])
    assert (code, out) == (1, "journal BROKEN at entry #3: hash mismatch: entry #3 was altered\n")


def test_another_kiosks_journal_is_broken(tmp_path: Path) -> None:
    path = fill_journal(tmp_path)
    code, out = run(["verify", "--config", str(write_config(tmp_path, "K0043"))])
    assert (code, out) == (1, "journal BROKEN: wrong kiosk id: the journal belongs to kiosk K0042, not K0043\n")
    assert run(["verify", "--journal", str(path), "--kiosk-id", "K0042"])[0] == 0


def test_a_file_that_is_no_journal_is_broken(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database", encoding="utf-8")
    assert run(["verify", "--journal", str(path)]) == (
        1, "journal BROKEN: not a readable journal: file is not a database\n")


def test_no_journal_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["verify", "--journal", str(tmp_path / "none.sqlite")])
    assert (code, out) == (1, "")
    assert capsys.readouterr().err == f"kiosk: no journal at {tmp_path / 'none.sqlite'}\n"


def test_verify_is_a_kiosk_journal_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = fill_journal(tmp_path)
    args = build_parser().parse_args(["journal", "verify", "--journal", str(path)])
    assert args.handler(args) == 0
    assert capsys.readouterr().out.startswith("journal OK: 4 entries")
