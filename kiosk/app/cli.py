"""The ``kiosk`` command line: run the kiosk, run QA scenarios, list and draw flows, read the journal."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.app.config import KioskConfig

EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up makes a few hundred thousand objects that all live as long as the process: no cycle collection
    # while the modules load (`kiosk run`: until the home screen is painted; kiosk.app.gui freezes them then).
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    from kiosk.app.config import ConfigError

    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    if handler is not cmd_run:
        gc.enable()
    try:
        return handler(args)
    except ConfigError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_CONFIG


def build_parser() -> argparse.ArgumentParser:
    from kiosk.app.cli_appointments import add_appointments_commands
    from kiosk.app.cli_card import add_card_commands
    from kiosk.app.cli_devices import add_status_command, build_configured_devices
    from kiosk.app.cli_docs import add_docs_commands
    from kiosk.app.cli_face import add_face_commands
    from kiosk.app.cli_idcard import add_idcard_commands
    from kiosk.app.cli_journal import add_reconcile_command, add_verify_command
    from kiosk.app.cli_kpi import add_kpi_commands
    from kiosk.app.cli_recovery import add_recovery_commands
    from kiosk.app.cli_voice import add_voice_commands

    parser = argparse.ArgumentParser(prog="kiosk", description="Smart teller kiosk (智能柜台)")
    parser.set_defaults(handler=lambda _args: parser.print_help() or 1)
    sub = parser.add_subparsers(metavar="COMMAND")

    run = sub.add_parser("run", help="start the kiosk window")
    _config_arg(run)
    run.add_argument("--windowed", action="store_true",
                     help="a normal window instead of full screen; Ctrl+Q and closing it quit (development)")
    run.add_argument("--quit-at-home", action="store_true",
                     help="quit once the home screen is painted, printing when (start-up checks, benchmarks)")
    run.set_defaults(handler=cmd_run)

    check = sub.add_parser("config", help="configuration").add_subparsers(metavar="ACTION")
    cfg_check = check.add_parser("check", help="validate the configuration file and exit")
    _config_arg(cfg_check)
    cfg_check.set_defaults(handler=cmd_config_check)

    scenario = sub.add_parser("scenario", help="headless QA scenarios").add_subparsers(metavar="ACTION")
    scenario_run = scenario.add_parser("run", help="run one scenario file on the simulators")
    scenario_run.add_argument("file", type=Path)
    scenario_run.add_argument("--json", action="store_true", help="print the whole result as JSON")
    scenario_run.add_argument("--data-dir", type=Path, default=None,
                              help="journal, device state and host database here (kept: a later run or `kiosk recover` "
                                   "continues from them)")
    scenario_run.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                              help="a configuration value for this run (dotted key, TOML value), e.g. face.matcher=\"sim\"")
    _config_arg(scenario_run)
    scenario_run.set_defaults(handler=cmd_scenario_run)

    flows = sub.add_parser("flows", help="the business catalogue").add_subparsers(metavar="ACTION")
    flows_list = flows.add_parser("list", help="list the flows")
    flows_list.add_argument("--json", action="store_true")
    flows_list.set_defaults(handler=cmd_flows_list)
    diagram = flows.add_parser("diagram", help="draw a flow's statechart (PNG or SVG by extension)")
    diagram.add_argument("flow")
    diagram.add_argument("--out", type=Path, help="output file (default: FLOW.png)")
    diagram.add_argument("--all", action="store_true",
                         help="also draw what every step has: cancel, timeout, faults, staff stepping back")
    diagram.set_defaults(handler=cmd_flows_diagram)

    journal = sub.add_parser("journal", help="the electronic journal").add_subparsers(metavar="ACTION")
    show = journal.add_parser("show", help="sessions, masked")
    show.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (default: all)")
    show.add_argument("--flow")
    show.add_argument("--json", action="store_true")
    _config_arg(show)
    show.set_defaults(handler=cmd_journal_show)
    add_reconcile_command(journal)
    add_verify_command(journal)
    add_kpi_commands(journal)

    devices = sub.add_parser("devices", help="device diagnostics").add_subparsers(metavar="DEVICE")
    add_idcard_commands(devices)
    add_card_commands(devices)
    add_face_commands(devices)
    add_status_command(devices, build_configured_devices)

    add_voice_commands(sub, load_settings=lambda path: load_config(path).voice_settings())

    add_docs_commands(sub)
    add_appointments_commands(sub)
    add_recovery_commands(sub, _config_arg)

    host = sub.add_parser("host-simulator", help="run the embedded host simulator on its own")
    _config_arg(host)
    host.add_argument("--port", type=int, default=8470)
    host.set_defaults(handler=cmd_host_simulator)
    return parser


def parse_overrides(items: Sequence[str]) -> dict[str, Any]:
    """``--set key=value`` pairs: the value is read as TOML (``5``, ``"sim"``, ``true``), else taken as text."""
    import tomllib

    from kiosk.app.config import ConfigError

    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key:
            raise ConfigError(f"--set {item}: expected KEY=VALUE")
        try:
            overrides[key.strip()] = tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            overrides[key.strip()] = text
    return overrides


def load_config(path: Path | None) -> KioskConfig:
    from kiosk.app.config import load_config as load

    return load(path)


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")


def cmd_config_check(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    print(f"{config.path}: ok")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from kiosk.app.sdnotify import Notifier

    notifier = Notifier.from_environment()  # first: what the kiosk starts does not inherit systemd's variables
    config = load_config(args.config)
    from kiosk.app.host_start import launch_host

    host = launch_host(config, config.data_dir)  # first: the host starts while the window's modules load
    try:
        import kiosk.app.compose  # noqa: F401 - before Qt: PySide6 reads the source of every module imported after it
        from kiosk.app.gui import run_gui

        return run_gui(config, windowed=args.windowed, host=host, quit_at_home=args.quit_at_home, notifier=notifier)
    finally:
        host.stop()  # the kiosk has stopped it already, unless it failed before it took it


def cmd_scenario_run(args: argparse.Namespace) -> int:
    from kiosk.app.scenario import BadScenario, load_scenario, run_scenario
    from kiosk.app.scenario_driver import ScenarioFailure

    try:
        scenario = load_scenario(args.file)
        result = run_scenario(scenario, config_path=args.config, data_dir=args.data_dir,
                              overrides=parse_overrides(args.overrides))
    except BadScenario as exc:
        print(f"kiosk: {args.file}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except ScenarioFailure as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_scenario(result)
    return 0 if result["passed"] else 1


def _print_scenario(result: dict[str, Any]) -> None:
    print(f"{result['scenario']}: {'PASS' if result['passed'] else 'FAIL'} (outcome: {result['outcome']})")
    for screen in result["screens"]:
        inputs = ", ".join(i["kind"] + (f" {i['choice']}" if i.get("choice") else "") for i in screen["inputs"])
        print(f"  {screen['step']:<16} {screen['kind']:<14} {inputs}")
    effects = result.get("host_effects")
    if effects:
        print(f"  host: {effects['committed_postings']} posting(s), debited {effects['debited_fen']} fen")
    for failure in result["failures"]:
        print(f"  FAILED: {failure}")


def cmd_flows_list(args: argparse.Namespace) -> int:
    from flows import catalogue

    rows = [
        {"id": f.id, "title_zh": f.title("zh_CN"), "title_en": f.title("en_US"), "category": f.category.id,
         "devices": sorted(f.devices), "face_check": f.face_check, "staff_approval": f.staff_approval,
         "steps": [s.id for s in f.steps]}
        for f in catalogue().values()
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['id']:<18} {row['category']:<10} {row['title_zh']} / {row['title_en']}")
    return 0


def cmd_flows_diagram(args: argparse.Namespace) -> int:
    from flows import catalogue
    from kiosk.engine.diagram import write_diagram

    flows = catalogue()
    if args.flow not in flows:
        print(f"kiosk: no flow {args.flow!r}; flows: {', '.join(sorted(flows))}", file=sys.stderr)
        return EXIT_CONFIG
    out = args.out or Path(f"{args.flow}.png")
    write_diagram(flows[args.flow], out, everything=args.all)
    print(out)
    return 0


def cmd_journal_show(args: argparse.Namespace) -> int:
    from kiosk.journal import Journal

    config = load_config(args.config)
    path = config.data_dir / "journal.sqlite"
    if not path.exists():
        print(f"kiosk: no journal at {path}", file=sys.stderr)
        return 1
    journal = Journal(path)
    try:
        sessions = journal.sessions(day=args.date, flow_id=args.flow)
        rows = [{"session_id": s.id, "flow": s.flow_id, "started_at": s.started_at, "ended_at": s.ended_at,
                 "outcome": s.outcome, "reason": s.reason} for s in sessions]
    finally:
        journal.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['started_at']}  {row['flow']:<16} {str(row['outcome']):<12} {row['session_id']}")
    return 0


def cmd_host_simulator(args: argparse.Namespace) -> int:
    import subprocess

    from kiosk.app.host_start import host_limits
    from kiosk.host.sim.process import HostSimulatorProcess

    config = load_config(args.config)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    process = HostSimulatorProcess(config.data_dir / "host-simulator.sqlite", port=args.port,
                                   working_key=config.devices.pinpad.sim_working_key,
                                   key_id=config.devices.pinpad.key_id, limits=host_limits(config))
    return subprocess.call(process.command())  # told our pid: it stops if this command is killed


if __name__ == "__main__":
    sys.exit(main())
