"""The simulated bank's database, seeded once for a test module and changed only inside a rolled-back block:
for money property tests that run a host handler hundreds of times against the same starting books."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.host.sim.context import SimulatorClock
from kiosk.host.sim.ledger import Ledger
from kiosk.host.sim.seed import load_seed
from kiosk.host.sim.store import Store

KEY_ID = "TPK-DEMO-01"
KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")


def seeded_bank(folder: Path) -> Path:
    """A freshly seeded host database in ``folder``."""
    path = folder / "host.db"
    ledger = Ledger(Store(path), SimulatorClock(), {KEY_ID: KEY})
    ledger.seed(load_seed())
    ledger.store.close()
    return path


@contextmanager
def scratch(path: Path) -> Iterator[sqlite3.Connection]:
    """The seeded bank, changed only inside this block (rolled back at its end)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


def card_balance(conn: sqlite3.Connection, pan: str) -> int:
    """The balance in fen of the account behind card ``pan``."""
    return int(conn.execute("SELECT a.balance_fen FROM accounts a JOIN cards c ON c.account_no = a.account_no "
                            "WHERE c.pan = ?", (pan,)).fetchone()[0])
