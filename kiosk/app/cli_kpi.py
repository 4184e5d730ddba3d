"""``kiosk journal kpi`` (the plan's measures from the journal) and ``kiosk journal demo-day`` (a seeded day of
customers on the simulators, so the measures have something to show). docs/kpi.md describes both.

``kpi --from D [--to D] [--json] [--out FILE.html|FILE.png] [--bookings N] [--counter-transactions N]
[--lang L] [--config PATH] [--data-dir DIR]``: the table (or JSON) on stdout; ``--out`` also writes the HTML
page (tables and charts) or the dashboard picture. ``--bookings``: appointments booked in the mini-program
for the period (the host knows them), for show-up and conversion; ``--counter-transactions``: what the
branch's counters still did, for the share of counter business the kiosk took. Without them: "n/a".

``demo-day --date D [--sessions N] [--seed S] [--config PATH] [--data-dir DIR]``: into the configured
journal, or the given data folder's; refused when that journal already has sessions on that day.

Exit status: 0 done, 1 no journal (kpi) or a journal already holding the day (demo-day), 2 a bad date, file
name or configuration: one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

EXIT_NO_JOURNAL = 1
EXIT_USAGE = 2
JOURNAL_FILE = "journal.sqlite"
OUT_KINDS = (".html", ".png")


def add_kpi_commands(journal: Any) -> None:
    """Add ``kpi`` and ``demo-day`` to the ``kiosk journal`` subcommands (an argparse subparsers object)."""
    kpi: argparse.ArgumentParser = journal.add_parser("kpi", help="the plan's measures per day and per flow")
    kpi.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    kpi.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="the last day (default: --from)")
    kpi.add_argument("--json", action="store_true", help="print JSON instead of the table")
    kpi.add_argument("--out", type=Path, help="also write FILE.html (tables and charts) or FILE.png (a dashboard)")
    kpi.add_argument("--bookings", type=int, help="appointments booked for the period (from the host)")
    kpi.add_argument("--counter-transactions", type=int, help="transactions the branch's counters did in the period")
    kpi.add_argument("--lang", choices=("zh_CN", "en_US"), help="the charts' language (default: the kiosk's)")
    _common(kpi)
    kpi.set_defaults(handler=cmd_journal_kpi)

    demo = journal.add_parser("demo-day", help="a seeded day of customers on the simulators, into the journal")
    demo.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    demo.add_argument("--sessions", type=int, default=300, help="customers in the day (default 300)")
    demo.add_argument("--seed", type=int, default=1, help="the same date, sessions and seed make the same day")
    _common(demo)
    demo.set_defaults(handler=cmd_journal_demo_day)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")
    parser.add_argument("--data-dir", type=Path, help="the data folder whose journal to use (default: the configured one)")


class UsageError(ValueError):
    """A bad argument: one line, exit status 2."""


def _day(option: str, text: str) -> date:
    from kiosk.journal.kpi import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"kiosk: {message}\n")
    return status


def cmd_journal_kpi(args: argparse.Namespace) -> int:
    try:
        start = _day("--from", args.start)
        end = _day("--to", args.end) if args.end else start
        if end < start:
            raise UsageError(f"--to {end} is before --from {start}")
        if args.out is not None and args.out.suffix.lower() not in OUT_KINDS:
            raise UsageError(f"--out {args.out}: write .html (tables and charts) or .png (a dashboard)")
        for name in ("bookings", "counter_transactions"):
            if (getattr(args, name) or 0) < 0:
                raise UsageError(f"--{name.replace('_', '-')}: a count, 0 or more")
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    from kiosk.app.cli import load_config

    config = load_config(args.config)
    path = (args.data_dir or config.data_dir) / JOURNAL_FILE
    if not path.exists():
        return _fail(f"no journal at {path}", EXIT_NO_JOURNAL)
    report = build_report(path, start, end, bookings=args.bookings, counter_transactions=args.counter_transactions)
    if args.out is not None:
        write_out(report, args.out, args.lang or config.kiosk.language)
    if args.json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from kiosk.journal.kpi_text import table

        sys.stdout.write(table(report))
    return 0


def flow_profiles() -> dict[str, Any]:
    """Each flow's counter business and counter time, from the catalogue."""
    from flows import catalogue
    from kiosk.journal.kpi import FlowProfile

    return {f.id: FlowProfile(f.counter_business, f.counter_minutes) for f in catalogue().values()}


def build_report(path: Path, start: date, end: date, **known: int | None) -> Any:
    from kiosk.journal import Journal
    from kiosk.journal.kpi import kpi_report

    with Journal(path) as journal:
        return kpi_report(journal, start, end, flow_profiles(), **known)


def write_out(report: Any, out: Path, lang: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".png":
        from kiosk.app.kpi_charts import dashboard_png

        out.write_bytes(dashboard_png(report, lang))
    else:
        from kiosk.app.kpi_html import html_report

        out.write_text(html_report(report, lang), encoding="utf-8")


def cmd_journal_demo_day(args: argparse.Namespace) -> int:
    try:
        day = _day("--date", args.date)
        if args.sessions < 1:
            raise UsageError("--sessions: at least 1")
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    from kiosk.app.cli import load_config
    from kiosk.app.demo_day import demo_config, run_demo_day, summary_lines
    from kiosk.journal import Journal

    config = demo_config(load_config(args.config))
    data_dir = args.data_dir or config.data_dir
    path = data_dir / JOURNAL_FILE
    if path.exists():
        with Journal(path) as journal:
            there = len(journal.sessions(day=day))
        if there:
            return _fail(f"the journal at {path} already has {there} sessions on {day}; "
                         "give another --date or --data-dir", EXIT_NO_JOURNAL)
    from kiosk.core.logsetup import configure_logging, reset_logging

    configure_logging(config.kiosk.log_level, data_dir / "logs" / "demo-day.log")  # the hosts' retries, not here
    try:
        summary = run_demo_day(config, day, sessions=args.sessions, seed=args.seed, data_dir=data_dir)
    finally:
        reset_logging()
    sys.stdout.write("\n".join(summary_lines(summary)) + "\n")
    return 0
