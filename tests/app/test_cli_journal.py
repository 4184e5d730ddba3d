"""``kiosk journal reconcile``: per flow sessions, completed, failed, cancelled, timeout, amounts, suspect and
reversed transactions, as a table, JSON or a file; nothing personal."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.app.cli_journal import add_reconcile_command
from kiosk.core.clock import ManualClock
from kiosk.journal import Journal


def run(argv: list[str], add_command: Callable[[Any], None] = add_reconcile_command) -> tuple[int, str]:
    """``kiosk journal <command> ...`` in process: its exit status and what it printed."""
    parser = argparse.ArgumentParser(prog="kiosk journal")
    add_command(parser.add_subparsers())
    args = parser.parse_args(argv)
    out = io.StringIO()
    return args.handler(args, out), out.getvalue()


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\nkiosk_id = "K0042"\ndata_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    return path


def fill_journal(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 11, 28, 9, 0, 0))
    with Journal(tmp_path / "var" / "journal.sqlite", clock) as journal:
        for flow, outcome, amount in [("si_payment", "completed", 112800), ("si_payment", "completed", 38000),
                                      ("si_payment", "failed", None), ("si_payment", "host_fault", None),
                                      ("loss_report", "cancelled", None), ("loss_report", "timeout", None),
                                      ("account_opening", "completed", None)]:
            session = journal.open_session(flow, "K0042", "B0101", "zh_CN", False)
            if amount is not None:
                key = f"key-{session}"
                journal.host_request_started(key, session, "si.pay", True, amount_fen=amount)
                journal.host_request_finished(key, "committed")
            if amount == 38000 or flow == "account_opening":  # the card or document never came out
                _undelivered(journal, session, flow, amount)
            journal.close_session(session, outcome)
        clock.advance(24 * 3600)  # the next day does not count
        journal.close_session(journal.open_session("si_payment", "K0042", "B0101", "zh_CN", False), "completed")


def _undelivered(journal: Journal, session: str, flow: str, amount: int | None) -> None:
    """A posting reversed (the payment), or suspect (an account opened: not reversible)."""
    key = f"txn-{session}"
    journal.txn_intent(key, session, flow, "si.pay" if amount else "accounts.open", amount_fen=amount,
                       reversible=amount is not None)
    for state in ("sent", "approved", "device_failed"):
        journal.txn_move(key, state)
    if amount is None:
        journal.txn_move(key, "suspect")
        return
    journal.queue_reversal(key, f"rev-{session}", "not delivered")
    journal.reversal_settled(key, "reversed")


def test_reconcile_table(tmp_path: Path) -> None:
    fill_journal(tmp_path)
    code, out = run(["reconcile", "--date", "2026-11-28", "--config", str(write_config(tmp_path))])
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "reconciliation 2026-11-28 kiosk K0042"
    assert lines[1].split() == ["flow", "sessions", "completed", "failed", "cancelled", "timeout", "unsettled",
                                "suspect", "reversed", "amount", "reversed_amt"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    assert rows["si_payment"] == ["4", "2", "2", "0", "0", "0", "0", "1", "1,508.00", "380.00"]
    assert rows["loss_report"] == ["2", "0", "0", "1", "1", "0", "0", "0", "0.00", "0.00"]
    assert rows["account_opening"] == ["1", "1", "0", "0", "0", "0", "1", "0", "0.00", "0.00"]
    assert rows["total"] == ["7", "3", "2", "1", "1", "0", "1", "1", "1,508.00", "380.00"]


def test_reconcile_json_and_out_files(tmp_path: Path) -> None:
    fill_journal(tmp_path)
    config = write_config(tmp_path)
    code, out = run(["reconcile", "--date", "2026-11-28", "--json", "--out", str(tmp_path / "r.json"),
                     "--config", str(config)])
    assert code == 0
    data = json.loads(out)
    assert data == json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert (data["date"], data["kiosk_id"]) == ("2026-11-28", "K0042")
    assert {f["flow"]: f["amount_fen"] for f in data["flows"]} == {"account_opening": 0, "loss_report": 0,
                                                                 "si_payment": 150800}
    assert data["totals"]["sessions"] == 7
    run(["reconcile", "--date", "2026-11-28", "--out", str(tmp_path / "out" / "r.csv"), "--config", str(config)])
    csv_lines = (tmp_path / "out" / "r.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0] == ("date,kiosk_id,flow,sessions,completed,failed,cancelled,timeout,unsettled,amount_fen,"
                            "suspect,reversed,reversed_fen")
    assert csv_lines[-1] == "2026-11-28,K0042,total,7,3,2,1,1,0,150800,1,1,38000"


def test_a_day_without_sessions_and_a_missing_journal(tmp_path: Path, capsys) -> None:
    config = write_config(tmp_path)
    code, _ = run(["reconcile", "--date", "2026-11-28", "--config", str(config)])
    assert code == 1
    assert "no journal" in capsys.readouterr().err
    fill_journal(tmp_path)
    code, out = run(["reconcile", "--date", "2026-01-01", "--config", str(config)])
    assert code == 0
    assert out.splitlines()[-1].split() == ["total", "0", "0", "0", "0", "0", "0", "0", "0", "0.00", "0.00"]
