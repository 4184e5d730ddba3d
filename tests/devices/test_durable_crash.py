"""A kiosk process that dies at a crash point leaves the device state saying where the card or paper is;
the restarted process's simulator holds it, and recovery retains the card."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from devices.api import OperationStage, PresentStatus
from devices.dispenser.api import StockCard
from devices.dispenser.sim import SimCardDispenser
from devices.printer.sim import SimReceiptPrinter
from kiosk.core.clock import ManualClock
from kiosk.core.crash import CRASH_ENV, CRASH_EXIT_CODE

ROOT = Path(__file__).resolve().parents[2]
PAN = "6228480402564890018"

DISPENSE = textwrap.dedent("""
    import sys
    from devices.api import Cancellation
    from devices.dispenser.api import StockCard
    from devices.dispenser.sim import SimCardDispenser
    from kiosk.core.clock import SystemClock

    dispenser = SimCardDispenser(SystemClock(), [StockCard("6228480402564890018", "3111")], state_dir=sys.argv[1])
    dispenser.pick_card(5, Cancellation())
    dispenser.deliver_card(5, Cancellation())
    print("not crashed")
""")

PRINT = textwrap.dedent("""
    import sys
    from devices.printer.api import Receipt, ReceiptLine
    from devices.printer.sim import SimReceiptPrinter
    from kiosk.core.clock import SystemClock

    printer = SimReceiptPrinter(SystemClock(), sys.argv[1] + "/spool", state_dir=sys.argv[1] + "/devices")
    printer.print_receipt(Receipt("回单", [ReceiptLine("卡号", "622848*********0018")], "K001-1"), 10)
    print("not crashed")
""")


def run_crashing(script: str, crash_at: str, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, CRASH_ENV: crash_at, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script, str(folder)], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_a_crash_with_the_card_at_the_gate_leaves_it_there_for_recovery(tmp_path):
    crashed = run_crashing(DISPENSE, "card.during_move", tmp_path)
    assert crashed.returncode == CRASH_EXIT_CODE, crashed.stderr
    assert "not crashed" not in crashed.stdout
    restarted = SimCardDispenser(ManualClock(), [StockCard("6217000000000002001", "3111")], state_dir=tmp_path)
    last = restarted.last_operation()
    assert last is not None
    assert (last.stage, last.present_status, last.card_masked) == (
        OperationStage.AT_GATE, PresentStatus.PRESENTED, "622848*********0018")
    assert restarted.card_at_gate()
    before = len(restarted.retained())
    retained = restarted.recover_card("recovery")
    assert retained is not None
    assert (retained.pan_masked, retained.reason) == ("622848*********0018", "recovery")
    assert len(restarted.retained()) == before + 1
    assert restarted.last_operation().stage is OperationStage.RETAINED
    assert PAN not in (tmp_path / "dispenser.json").read_text()


def test_a_crash_before_the_card_moves_leaves_it_at_the_read_position(tmp_path):
    crashed = run_crashing(DISPENSE, "card.before_move", tmp_path)
    assert crashed.returncode == CRASH_EXIT_CODE, crashed.stderr
    restarted = SimCardDispenser(ManualClock(), [], state_dir=tmp_path)
    assert restarted.last_operation().stage is OperationStage.PICKED
    assert not restarted.card_at_gate()
    assert restarted.recover_card("recovery").pan_masked == "622848*********0018"


def test_a_crash_during_a_print_leaves_the_job_interrupted(tmp_path):
    crashed = run_crashing(PRINT, "print.during", tmp_path)
    assert crashed.returncode == CRASH_EXIT_CODE, crashed.stderr
    restarted = SimReceiptPrinter(ManualClock(), tmp_path / "spool", state_dir=tmp_path / "devices")
    last = restarted.last_operation()
    assert last is not None
    assert (last.stage, last.reason, last.present_status) == (OperationStage.INTERRUPTED, "restarted",
                                                              PresentStatus.UNKNOWN)
    assert list((tmp_path / "spool").rglob(f"{last.job_id}.png"))  # the part printed is there
    assert restarted.receipt_waiting() is None
