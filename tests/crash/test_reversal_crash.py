"""A crash after the host answered a reversal, before the kiosk committed the answer (``reversal.after_send``):
the restarted kiosk sends it again under the same key, the host answers it once, and the money is back once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from kiosk.app.crash_matrix import _kiosk, _sets
from kiosk.core.crash import CRASH_ENV, CRASH_EXIT_CODE

# Runs in its own process: a paid document the kiosk never printed, its reversal queued, then the queue sent.
QUEUE_AND_SEND = r"""
import sys, uuid
from pathlib import Path
from kiosk.app.compose import build_kiosk
from kiosk.app.scenario import scenario_config
from kiosk.engine import reversals, txn
from kiosk.journal.records import TxnState
from tests.engine.test_transactions import approved_txn

config = scenario_config(None, {"devices.smartcard.backend": "sim", "face.matcher": "sim"})
kiosk = build_kiosk(config, data_dir=Path(sys.argv[1]))
key = approved_txn(kiosk, delivery="document")
txn.undelivered(kiosk.services, kiosk.services.journal.transaction(key), "the A4 printer jammed")
print(key, flush=True)
reversals.drain(kiosk.services)
"""


def test_a_reversal_answered_but_not_committed_is_sent_again_and_counted_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "kiosk"
    root = Path(__file__).resolve().parents[2]
    ran = subprocess.run([sys.executable, "-c", QUEUE_AND_SEND, str(data_dir)], capture_output=True, text=True,
                         env={**os.environ, CRASH_ENV: "reversal.after_send", "PYTHONPATH": str(root)},
                         timeout=120, check=False)
    assert ran.returncode == CRASH_EXIT_CODE, ran.stderr[-800:]
    key = ran.stdout.split()[0]
    with closing(sqlite3.connect(data_dir / "journal.sqlite")) as journal:
        assert journal.execute("SELECT state FROM transactions WHERE key = ?", (key,)).fetchone()[0] \
            == "reversal_pending"  # the host reversed it; the kiosk died before it knew

    restarted = _kiosk(["recover", "--data-dir", str(data_dir), "--check", "--json", *_sets()])

    answer = json.loads(restarted.stdout)
    assert answer["violations"] == [], answer["violations"]
    assert answer["recovery"]["txns_reversed"] == 1
    with closing(sqlite3.connect(data_dir / "host-simulator.sqlite")) as host:
        reversals = host.execute("SELECT COUNT(*) FROM postings WHERE op = 'postings.reverse'"
                                 " AND http_status = 200").fetchone()[0]
    assert reversals == 1  # sent twice under one key, posted once; the books net to zero (the invariants above)
