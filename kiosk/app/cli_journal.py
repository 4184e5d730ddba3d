"""``kiosk journal reconcile --date D [--json] [--out FILE]``: the day's reconciliation, for staff at the console;
``kiosk journal verify [--journal PATH]``: check the journal's hash chain.

Per flow, for the sessions started on that day: sessions, completed, failed (refused, device or host
fault), cancelled, timed out, unsettled (outcome unknown, abandoned, still open) and the amount of
committed postings. Counts and amounts only: nothing personal. ``--out`` also writes it to a file
(JSON when the name ends in .json, CSV otherwise). The journal is opened read-only in effect: nothing
is written to it.

Exit status: 0 done, 1 no journal in the data folder, 2 a configuration error (kiosk.app.cli).

``verify`` walks the chain (kiosk/journal/chain.py) and prints ``journal OK: N entries, chain head H`` (exit 0)
or ``journal BROKEN at entry #S: reason`` (exit 1). The journal is found as the other commands find it (the
data folder of ``--config``) and must then be bound to that configuration's kiosk id; ``--journal PATH``
checks any file (a copy taken from a kiosk) and ``--kiosk-id`` names the kiosk it must belong to.
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
from kiosk.journal.chain import verify
from kiosk.journal.reconcile import COLUMNS, Reconciliation, reconcile

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


def add_verify_command(journal: Any) -> None:
    """Add ``verify`` to the ``kiosk journal`` subcommands (an argparse subparsers object)."""
    parser: argparse.ArgumentParser = journal.add_parser(
        "verify", help="check the journal's hash chain; name the first broken record")
    parser.add_argument("--journal", type=Path, help="the journal file (default: journal.sqlite in the data folder)")
    parser.add_argument("--kiosk-id", help="the kiosk the journal must belong to (default with --config: its kiosk)")
    parser.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")
    parser.set_defaults(handler=cmd_journal_verify)


def cmd_journal_verify(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    path, kiosk_id = args.journal, args.kiosk_id
    if path is None:
        config = load_config(args.config)
        path, kiosk_id = config.data_dir / JOURNAL_FILE, kiosk_id or config.kiosk.kiosk_id
    if not path.exists():
        sys.stderr.write(f"kiosk: no journal at {path}\n")
        return EXIT_NO_JOURNAL
    report = verify(path, kiosk_id)
    out.write(report.summary() + "\n")
    return 0 if report.ok else 1


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
    counts = [c for c in COLUMNS if c not in ("flow", "amount_fen")]
    lines = [f"reconciliation {rec.day.isoformat()} kiosk {rec.kiosk_id}",
             f"{'flow':<18}" + "".join(f"{c:>11}" for c in counts) + f"{'amount':>14}"]
    for figures in (*rec.flows, rec.totals):
        lines.append(f"{figures.flow:<18}" + "".join(f"{getattr(figures, c):>11}" for c in counts)
                     + f"{format_fen(figures.amount_fen):>14}")
    return "\n".join(lines) + "\n"
