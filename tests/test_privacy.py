"""After the whole suite: no file the kiosk or the host simulator wrote — journal and its WAL, logs,
receipt spool, scenario output — holds a test customer's full ID number, card number, PIN or PIN block,
or a member of staff's password, staff card number or staff card PIN.

The host simulator's own database is the bank's side (it must hold card numbers to be a bank) and is
the one file not swept. A PIN or a password counts only standing alone: six digits inside a hash (the journal's
chain is hex) are chance (kiosk.app.invariants.no_personal_data).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app.invariants import demo_secrets as secrets
from kiosk.app.invariants import no_personal_data
from kiosk.app.scenario import load_scenario, run_scenario

BANK_SIDE = ("host-simulator.sqlite", "host.db")  # the host simulator's books, with -wal/-shm
TEST_INPUTS = (".toml",)  # scenario and config files the tests wrote as input (they hold PIN pad keys)


def written_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(BANK_SIDE) and p.suffix not in TEST_INPUTS]


@pytest.mark.privacy_sweep
@pytest.mark.timeout(900)  # every file the whole suite wrote, read for thousands of needles
def test_no_personal_data_in_any_file_written(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.getbasetemp()
    # one full payment and one account opening of our own, so the sweep never looks at nothing
    here = Path(__file__).parent / "scenarios"
    for name in ("si_payment/happy_path.toml", "account_opening/happy_path.toml"):
        result = run_scenario(load_scenario(here / name), data_dir=tmp_path_factory.mktemp("sweep") / "kiosk",
                              overrides={"devices.smartcard.backend": "sim", "face.matcher": "sim"})
        assert result["passed"], result["failures"]
    files = written_files(root)
    kinds = {p.suffix for p in files} | {p.name.split(".")[0] for p in files}
    assert {"journal", ".png", ".pdf", ".log"} <= kinds, sorted(kinds)
    leaks = [v.detail for v in no_personal_data(root, secrets(), bank_side=BANK_SIDE)]
    assert not leaks, "\n".join(leaks[:30])
