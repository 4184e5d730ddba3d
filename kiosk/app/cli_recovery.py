"""``kiosk recover``: recovery before service on its own (the kiosk does it on every start), and
``kiosk crash-matrix``: every flow's happy path crashed at each of its crash points, restarted, checked."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

ConfigArg = Callable[[argparse.ArgumentParser], None]


def add_recovery_commands(sub: argparse._SubParsersAction, config_arg: ConfigArg) -> None:  # type: ignore[type-arg]
    recover = sub.add_parser("recover", help="resolve what the last run left unfinished (the kiosk does this on start)")
    recover.add_argument("--data-dir", type=Path, default=None, help="the kiosk's data folder (default: the config's)")
    recover.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                         help="a configuration value for this run (dotted key, TOML value)")
    recover.add_argument("--check", action="store_true",
                         help="then check the invariants (host ledger against the journal, chain, privacy); exit 1 if broken")
    recover.add_argument("--json", action="store_true")
    config_arg(recover)
    recover.set_defaults(handler=cmd_recover)

    matrix = sub.add_parser("crash-matrix", help="QA: crash every flow's happy path at each crash point, recover, check")
    matrix.add_argument("--flow", action="append", default=[], help="only these flows (default: every flow)")
    matrix.add_argument("--point", action="append", default=[], help="only these crash points")
    matrix.add_argument("--jobs", type=int, default=2, help="runs side by side")
    matrix.add_argument("--out", type=Path, default=None, help="keep each run's data folder here")
    matrix.add_argument("--json", action="store_true")
    matrix.set_defaults(handler=cmd_crash_matrix)


def cmd_recover(args: argparse.Namespace) -> int:
    from kiosk.app.cli import parse_overrides
    from kiosk.app.compose import build_kiosk
    from kiosk.app.invariants import check
    from kiosk.app.scenario import scenario_config
    from kiosk.engine.recovery import recover

    config = scenario_config(args.config, parse_overrides(args.overrides))
    data_dir = args.data_dir or config.data_dir
    kiosk = build_kiosk(config, data_dir=data_dir, recover_now=False)
    try:
        report = recover(kiosk.services)
    finally:
        kiosk.close()
    violations = check(data_dir) if args.check else []
    if args.json:
        print(json.dumps({"recovery": asdict(report), "violations": [asdict(v) for v in violations]},
                         ensure_ascii=False, indent=2))
    else:
        figures = {k: v for k, v in asdict(report).items() if v and k != "notes"}
        print("recovery: " + (", ".join(f"{k.replace('_', ' ')} {v}" for k, v in figures.items()) or "nothing to do"))
        for note in report.notes:
            print(f"  {note}")
        for violation in violations:
            print(f"BROKEN {violation.invariant}: {violation.detail}", file=sys.stderr)
    return 1 if violations else 0


def cmd_crash_matrix(args: argparse.Namespace) -> int:
    from kiosk.app.crash_matrix import run_matrix

    results = run_matrix(flows=args.flow or None, points=args.point or None, jobs=args.jobs, keep=args.out,
                         progress=None if args.json else print)
    failed = [r for r in results if not r.ok]
    if args.json:
        print(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2))
    else:
        print(f"{len(results)} crash runs, {len(failed)} broken")
        for result in failed:
            print(f"BROKEN {result.flow} at {result.point}:{result.nth}: {'; '.join(result.problems)}")
    return 1 if failed else 0
