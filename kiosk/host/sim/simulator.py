"""The embedded host simulator, its own process:

    python -m kiosk.host.sim.simulator --db PATH --port 0 [--people PATH] [--parent-pid PID]
                                       [--working-key HEX --key-id ID] [--sms-tries N] [--pin-tries N]

Plain HTTP on 127.0.0.1, SQLite (WAL) seeded from people.toml on first start. Prints one line
``host simulator listening on http://127.0.0.1:PORT`` when ready; logs (masked) to stderr; exits
on SIGTERM/SIGINT, and by itself within a second once ``--parent-pid`` has died.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path

from kiosk.core.logsetup import configure_logging
from kiosk.host.sim.context import HostLimits, SimulatorClock
from kiosk.host.sim.ledger import Ledger
from kiosk.host.sim.process import READY_LINE
from kiosk.host.sim.seed import DEFAULT_PEOPLE, load_seed
from kiosk.host.sim.server import HostSimulatorServer
from kiosk.host.sim.store import Store

log = logging.getLogger("kiosk.host.sim.simulator")

DEFAULT_KEY_ID = "TPK-DEMO-01"
DEFAULT_WORKING_KEY = "0123456789ABCDEFFEDCBA9876543210"  # the demo PIN pad's test key, never a real one


def _working_key(value: str) -> bytes:
    try:
        key = bytes.fromhex(value)
    except ValueError:
        raise argparse.ArgumentTypeError("the working key is hex") from None
    if len(key) != 16:
        raise argparse.ArgumentTypeError("an SM4 working key is 16 bytes (32 hex digits)")
    return key


def _tries(value: str) -> int:
    tries = int(value)
    if not 1 <= tries <= 9:
        raise argparse.ArgumentTypeError("between 1 and 9")
    return tries


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m kiosk.host.sim.simulator", description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path, help="SQLite database (created and seeded if new)")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1; 0 = any free port")
    parser.add_argument("--people", type=Path, default=DEFAULT_PEOPLE, help="demo data (people.toml)")
    parser.add_argument("--parent-pid", type=int, default=None, help="exit when this process has died")
    parser.add_argument("--working-key", type=_working_key, default=_working_key(DEFAULT_WORKING_KEY),
                        help="SM4 PIN working key, hex (a test key)")
    parser.add_argument("--key-id", default=DEFAULT_KEY_ID, help="the working key's id")
    parser.add_argument("--sms-tries", type=_tries, default=HostLimits.sms_tries,
                        help="wrong codes before an SMS code is used up (the kiosk's limits.sms_attempts)")
    parser.add_argument("--pin-tries", type=_tries, default=HostLimits.pin_tries,
                        help="wrong PINs a card takes in a day before it locks (limits.pin_entry_attempts)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser.parse_args(argv)


def parent_gone(pid: int, direct_parent: bool) -> bool:
    if direct_parent and os.getppid() != pid:
        return True  # we were re-parented: our parent has exited
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"  # a zombie is dead too


def _watch_parent(pid: int, stop: threading.Event) -> None:
    direct = os.getppid() == pid
    while not stop.wait(0.2):
        if parent_gone(pid, direct):
            log.info("parent process %d has gone; stopping", pid)
            stop.set()


def build_server(args: argparse.Namespace) -> HostSimulatorServer:
    seed = load_seed(args.people)
    store = Store(args.db)
    ledger = Ledger(store, SimulatorClock(), {args.key_id: args.working_key}, HostLimits(args.sms_tries, args.pin_tries))
    if not store.is_seeded():
        ledger.seed(seed)
        log.info("seeded %d people and %d staff", len(seed.people), len(seed.staff))
    else:
        ledger.seed_staff(seed)
    return HostSimulatorServer(("127.0.0.1", args.port), ledger, seed)


def serve(server: HostSimulatorServer, parent_pid: int | None) -> None:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if parent_pid is not None:
        threading.Thread(target=_watch_parent, args=(parent_pid, stop), name="parent-watch", daemon=True).start()
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="http", daemon=True)
    worker.start()
    sys.stdout.write(f"{READY_LINE}http://127.0.0.1:{server.server_address[1]}\n")
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    server.shutdown()
    worker.join(timeout=2.0)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configure_logging(args.log_level)  # stderr, every line masked once more
    try:
        server = build_server(args)
    except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
        log.error("cannot start the host simulator: %s", exc)
        return 2
    try:
        serve(server, args.parent_pid)
    finally:
        server.server_close()
        server.ledger.store.close()
    log.info("host simulator stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
