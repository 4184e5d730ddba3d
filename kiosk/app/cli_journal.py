"""``kiosk journal reconcile --date D [--json] [--out FILE] [--host]``: the day's reconciliation, for staff at the
console; ``kiosk journal verify [--journal PATH]``: check the journal's hash chain.

Per flow, for the sessions started on that day: sessions, completed, failed (refused, device or host
fault), cancelled, timed out, unsettled (outcome unknown, abandoned, still open) and the amount of
committed postings; for the transactions of that day, suspect (staff must settle them) and reversed (冲正),
with the reversed amount. Counts and amounts only: nothing personal. ``--out`` also writes it to a file
(JSON when the name ends in .json, CSV otherwise). The journal is opened read-only in effect: nothing
is written to it.

``--host`` also compares the journal's transactions of the day with the host's postings of that day made by this
kiosk (``postings.day``; kiosk/engine/host_reconcile.py): the mismatches by key and the totals per operation on
both sides. The host is the configured one (the embedded simulator on the data folder's database, started for
the command, or the remote host).

Exit status: 0 done (and with ``--host``: no mismatches), 1 no journal in the data folder or mismatches with the
host, 2 a configuration error (kiosk.app.cli), 3 the host did not answer.

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
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.app.config import KioskConfig, load_config
from kiosk.core.money import format_fen
from kiosk.journal import Journal
from kiosk.journal.chain import verify
from kiosk.journal.reconcile import COLUMNS, MONEY, Reconciliation, reconcile
from kiosk.journal.records import TxnRecord

if TYPE_CHECKING:  # the host's modules are loaded by --host only
    from kiosk.engine.host_reconcile import HostComparison

EXIT_NO_JOURNAL = 1
EXIT_MISMATCHES = 1
EXIT_NO_HOST = 3
JOURNAL_FILE = "journal.sqlite"


def add_reconcile_command(journal: Any) -> None:
    """Add ``reconcile`` to the ``kiosk journal`` subcommands (an argparse subparsers object)."""
    parser: argparse.ArgumentParser = journal.add_parser(
        "reconcile", help="the day's reconciliation per flow: sessions, completions, failures, amounts")
    parser.add_argument("--date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--out", type=Path, help="also write it to FILE (.json: JSON, otherwise CSV)")
    parser.add_argument("--host", action="store_true",
                        help="also compare the journal's transactions with the host's postings of the day")
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
        transactions = journal.transactions() if getattr(args, "host", False) else []
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        text = _json(rec) + "\n" if args.out.suffix.lower() == ".json" else rec.as_csv()
        args.out.write_text(text, encoding="utf-8")
    if not getattr(args, "host", False):
        out.write(_json(rec) + "\n" if args.json else table(rec))
        return 0
    from kiosk.host.errors import HostError

    try:
        comparison = compare_with_host(config, args.date, transactions)
    except HostError as exc:
        sys.stderr.write(f"kiosk: the host did not answer: {exc}\n")
        return EXIT_NO_HOST
    if args.json:
        out.write(json.dumps({**rec.as_dict(), "host": comparison.as_dict()}, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(table(rec) + "\n" + host_table(comparison))
    return 0 if comparison.ok else EXIT_MISMATCHES


def compare_with_host(config: KioskConfig, day: date, transactions: list[TxnRecord]) -> HostComparison:
    """The journal's transactions of ``day`` against the configured host's postings of that day by this kiosk."""
    from kiosk.app.host_start import launch_host
    from kiosk.engine.host_reconcile import compare, host_postings

    launch = launch_host(config, config.data_dir)
    try:
        client = launch.client()
        try:
            return compare(day, config.kiosk.kiosk_id, transactions,
                           host_postings(client, day, config.kiosk.kiosk_id))
        finally:
            client.close()
    finally:
        launch.stop()


def host_table(comparison: HostComparison) -> str:
    """The totals per operation on both sides, then each mismatch; amounts in yuan."""
    lines = [f"host comparison {comparison.day.isoformat()} kiosk {comparison.kiosk_id}",
             f"{'operation':<22}{'journal':>8}{'amount':>14}{'host':>8}{'amount':>14}{'reversed j/h':>14}"]
    for t in comparison.totals:
        lines.append(f"{t.op:<22}{t.journal_count:>8}{format_fen(t.journal_fen):>14}{t.host_count:>8}"
                     f"{format_fen(t.host_fen):>14}{f'{t.journal_reversed}/{t.host_reversed}':>14}"
                     + ("" if t.agree else "  *"))
    if comparison.ok:
        lines.append("no mismatches")
    else:
        lines.append(f"{len(comparison.mismatches)} mismatch(es):")
        for m in comparison.mismatches:
            amounts = f"journal {_fen(m.journal_fen)} host {_fen(m.host_fen)}"
            lines.append(f"  {m.kind:<24}{m.op:<22}{m.key}  journal={m.journal_state or '-'} "
                         f"host={m.host_status or '-'}  {amounts}")
    return "\n".join(lines) + "\n"


def _fen(value: int | None) -> str:
    return "-" if value is None else format_fen(value)


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
