"""Soak: thousands of headless sessions over the catalogue's flows on ONE journal, with faults at a few percent.

    .venv/bin/python tests/bench/soak.py [--sessions 10000] [--faults 0.03] [--seed 1] [--data-dir DIR]

One kiosk is built once (a manual clock, the in-process simulators: kiosk.app.demo_day.DEMO_OVERRIDES) and plays
customers as the demo day does (kiosk/app/demo_day.py: each session a scenario file of its flow, happy paths
mostly, the flow's other scenarios sometimes); on top, ``--faults`` of the sessions get a host fault injected on
the flow's postings first (a lost reply, a connection reset, a refusal). After each session, what it left open
is settled as the idle kiosk does (kiosk.engine.recovery.settle_left: answers asked for by key, reversals sent),
the host's books are compared with the session's transactions (kiosk/app/invariants.py: one posting per key,
the ledger against the journal), and the host simulator is reseeded, as the demo day does, so every customer
finds their bills and balances (the journal goes on). Every ``--block`` sessions (default 1,000) and at the end
the rest of the invariants are checked over everything: every transaction terminal, the hash chain, the cards,
no personal data in any file.
Every ``--sample`` sessions (default 1,000) it prints the kiosk process's RSS, the host simulator's, the journal's size and bytes per
session; at the end the wall time and a JSON summary (``--out``).

Target (issue 16): no memory growth after warm-up (RSS at 1,000 sessions against the end), the invariants hold,
journal bytes per session in the README.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.app.compose import build_kiosk  # noqa: E402
from kiosk.app.demo_customer import Customer, service_devices  # noqa: E402
from kiosk.app.demo_day import DEMO_OVERRIDES, _play, choose, playable  # noqa: E402
from kiosk.app.demo_day import DemoSummary as Summary  # noqa: E402
from kiosk.app.invariants import (  # noqa: E402
    HOST_BOOKS,
    JOURNAL,
    check,
    demo_secrets,
    ledger_matches_journal,
    one_posting_per_key,
    read_only,
)
from kiosk.app.qa import SimulatorControls  # noqa: E402
from kiosk.app.scenario import scenario_config  # noqa: E402
from kiosk.core.clock import ManualClock  # noqa: E402
from kiosk.engine.recovery import recover, settle_left  # noqa: E402

HOST_FAULTS = ("drop_reply", "reset", "refuse")


@dataclass
class Sample:
    sessions: int
    rss_kb: int
    host_rss_kb: int
    journal_bytes: int
    wall_s: float


@dataclass
class SoakResult:
    sessions: int = 0
    faults_injected: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    journal_bytes: int = 0
    bytes_per_session: float = 0.0


def rss_kb(pid: int | str = "self") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def journal_bytes(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in data_dir.glob("journal.sqlite*"))


def posting_ops(kiosk, flow_id: str) -> list[str]:
    return sorted(kiosk.engine.flows[flow_id].posting_ops)


def session_books(data_dir: Path, since: str) -> list:
    """The host's books against the journal's transactions begun since ``since`` (this session's)."""
    with closing(read_only(data_dir / JOURNAL)) as journal, closing(read_only(data_dir / HOST_BOOKS)) as host:
        txns = [dict(r) for r in journal.execute("SELECT * FROM transactions WHERE created_at >= ?", (since,))]
        return one_posting_per_key(host) + ledger_matches_journal(host, txns)


def soak(sessions: int, faults: float, seed: int, data_dir: Path, block: int, progress=print,
         max_s: float | None = None, sample_every: int = 1000) -> SoakResult:
    rng = random.Random(seed)
    day = date(2026, 11, 30)
    clock = ManualClock(datetime.combine(day, datetime.min.time()) + timedelta(hours=9))
    config = scenario_config(None, dict(DEMO_OVERRIDES))
    kiosk = build_kiosk(config, clock=clock, strict=True, data_dir=data_dir)
    result, summary = SoakResult(), Summary(day)
    secrets = demo_secrets()
    started = time.monotonic()
    try:
        qa = SimulatorControls(kiosk)
        scenarios = playable(kiosk, sorted(kiosk.engine.flows))
        for number in range(1, sessions + 1):
            clock.advance(30.0)
            service_devices(kiosk, qa, reset_host=False)
            since = clock.now().isoformat(timespec="milliseconds")
            played = choose(rng, scenarios)
            ops = posting_ops(kiosk, played.scenario.flow)
            if ops and rng.random() < faults:
                qa.host_fault(rng.choice(ops), rng.choice(HOST_FAULTS), 1)
                result.faults_injected += 1
            _play(kiosk, qa, played, Customer(rng), summary)
            qa.clear_host_faults()
            settle_left(kiosk.services)
            broken = [f"session {number}: {v.invariant}: {v.detail}" for v in session_books(data_dir, since)]
            for line in broken:
                progress(f"BROKEN {line}")
            result.violations += broken
            qa.reset_host()
            if number % block == 0 or number == sessions:
                recover(kiosk.services)  # what a restart does: nothing is left open
                found = [v for v in check(data_dir, secrets=secrets, since=clock.now().isoformat())
                         if v.invariant != "ledger_matches_journal"]  # the books were compared session by session
                result.violations += [f"after {number}: {v.invariant}: {v.detail}" for v in found]
            out_of_time = max_s is not None and time.monotonic() - started > max_s
            if out_of_time and number % block:
                recover(kiosk.services)
                found = [v for v in check(data_dir, secrets=secrets, since=clock.now().isoformat())
                         if v.invariant != "ledger_matches_journal"]
                result.violations += [f"after {number}: {v.invariant}: {v.detail}" for v in found]
            if number % sample_every == 0 or number == sessions or out_of_time:
                gc.collect()
                host_pid = kiosk.host_process.pid if kiosk.host_process is not None else None
                sample = Sample(number, rss_kb(), rss_kb(host_pid) if host_pid else 0, journal_bytes(data_dir),
                                round(time.monotonic() - started, 1))
                result.samples.append(sample)
                progress(f"{number:>6} sessions  rss {sample.rss_kb / 1024:.1f} MiB  host {sample.host_rss_kb / 1024:.1f} MiB"
                         f"  journal {sample.journal_bytes / 1e6:.1f} MB  {sample.wall_s:.0f} s"
                         f"  violations {len(result.violations)}")
            if out_of_time:
                progress(f"stopped at {number} sessions: the time budget ({max_s:.0f} s) is spent")
                break
    finally:
        kiosk.close()
    result.sessions = summary.sessions
    result.outcomes = summary.outcomes
    result.wall_s = round(time.monotonic() - started, 1)
    result.journal_bytes = journal_bytes(data_dir)
    result.bytes_per_session = round(result.journal_bytes / max(1, result.sessions), 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--faults", type=float, default=0.03, help="share of sessions with a host fault injected")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--block", type=int, default=1000, help="sessions between full invariant checks")
    parser.add_argument("--sample", type=int, default=1000, help="sessions between memory samples")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None, help="write the result as JSON here")
    parser.add_argument("--max-minutes", type=float, default=None, help="stop (and check everything) after this long")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    print(f"soak: {args.sessions} sessions, faults {args.faults:.0%}, data in {data_dir}")
    result = soak(args.sessions, args.faults, args.seed, data_dir, args.block, lambda line: print(line, flush=True),
                  max_s=args.max_minutes * 60 if args.max_minutes else None, sample_every=args.sample)
    warm = next((s for s in result.samples if s.sessions >= 1000), result.samples[0])
    end = result.samples[-1]
    print(f"done: {result.sessions} sessions in {result.wall_s:.0f} s ({result.wall_s / max(1, result.sessions):.2f} s each)")
    print(f"outcomes: {json.dumps(result.outcomes, sort_keys=True)}; host faults injected: {result.faults_injected}")
    print(f"RSS after warm-up ({warm.sessions}): {warm.rss_kb / 1024:.1f} MiB; at the end: {end.rss_kb / 1024:.1f} MiB"
          f" ({(end.rss_kb - warm.rss_kb) / 1024:+.1f} MiB)")
    print(f"journal: {result.journal_bytes / 1e6:.1f} MB, {result.bytes_per_session:.0f} bytes per session")
    print(f"invariants: {'hold' if not result.violations else f'{len(result.violations)} violations'}")
    for violation in result.violations[:20]:
        print(f"  {violation}")
    sys.stdout.flush()
    if args.out:
        args.out.write_text(json.dumps(asdict(result), indent=2, ensure_ascii=False))
    return 1 if result.violations else 0


if __name__ == "__main__":
    sys.exit(main())
