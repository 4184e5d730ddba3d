"""``kiosk journal reconcile --date D [--json] [--out FILE]``: the day's reconciliation, for staff at the console.

Per flow, for the sessions started on that day: sessions, completed, failed (refused, device or host
fault), cancelled, timed out, unsettled (outcome unknown, abandoned, still open) and the amount of
committed postings; for the transactions of that day, suspect (staff must settle them) and reversed (冲正),
with the reversed amount. Counts and amounts only: nothing personal. ``--out`` also writes it to a file
(JSON when the name ends in .json, CSV otherwise). The journal is opened read-only in effect: nothing
is written to it.

Exit status: 0 done, 1 no journal in the data folder, 2 a configuration error (kiosk.app.cli).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from kiosk.app.config import load_config
from kiosk.core.money import format_fen
from kiosk.journal import Journal
from kiosk.journal.reconcile import COLUMNS, MONEY, Reconciliation, reconcile

EXIT_NO_JOURNAL = 1
JOURNAL_FILE = "journal.sqlite"


def add_reconcile_command(journal: Any) -> None:
    """Add ``reconcile`` to the ``kiosk journal`` subcommands (an argparse subparsers object)."""
    parser: argparse.ArgumentParser = journal.add_parser(
        "reconcile", help="the day's reconciliation per flow: sessions, completions, failures, amounts")
    parser.add_argument("--date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--out", type=Path, help="also write it to FILE (.json: JSON, otherwise CSV)")
    parser.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")
    parser.set_defaults(handler=cmd_journal_reconcile)


def cmd_journal_reconcile(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    config = load_config(args.config)
    path = config.data_dir / JOURNAL_FILE
    if not path.exists():
        sys.stderr.write(f"kiosk: no journal at {path}\n")
        return EXIT_NO_JOURNAL
    with Journal(path) as journal:
        rec = reconcile(journal, args.date, config.kiosk.kiosk_id)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        text = _json(rec) + "\n" if args.out.suffix.lower() == ".json" else rec.as_csv()
        args.out.write_text(text, encoding="utf-8")
    out.write(_json(rec) + "\n" if args.json else table(rec))
    return 0


def _json(rec: Reconciliation) -> str:
    return json.dumps(rec.as_dict(), ensure_ascii=False, indent=2)


def table(rec: Reconciliation) -> str:
    """One row per flow and a total; amounts in yuan."""
    counts = [c for c in COLUMNS if c not in ("flow", *MONEY)]
    lines = [f"reconciliation {rec.day.isoformat()} kiosk {rec.kiosk_id}",
             f"{'flow':<18}" + "".join(f"{c:>11}" for c in counts) + f"{'amount':>14}{'reversed_amt':>14}"]
    for figures in (*rec.flows, rec.totals):
        lines.append(f"{figures.flow:<18}" + "".join(f"{getattr(figures, c):>11}" for c in counts)
                     + "".join(f"{format_fen(getattr(figures, c)):>14}" for c in MONEY))
    return "\n".join(lines) + "\n"
