"""The crash matrix: every flow's happy path, crashed at each crash point it passes, restarted, checked.

For each flow, a first run with ``KIOSK_CRASH_TRACE`` lists the crash points (kiosk/core/crash.py) its happy
path passes, and how often. Then, for every (point, pass), a fresh data folder: the happy path runs with
``KIOSK_CRASH_AT=point:pass`` and dies there (``os._exit``, as a power cut); ``kiosk recover`` restarts on the
same journal, device state and host database, runs recovery before service and the reversal queue, and checks
the invariants (kiosk/app/invariants.py). A run that does not crash where it was told to is a failure too.

The matrix uses the in-process bank card reader and the simulated face check (``FAST``): it proves durability,
not protocols, and runs in minutes instead of an hour.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.core.crash import CRASH_ENV, CRASH_EXIT_CODE, TRACE_ENV

SCENARIOS = Path(__file__).resolve().parents[2] / "tests" / "scenarios"
FAST = ("devices.smartcard.backend=\"sim\"", "face.matcher=\"sim\"")
RUN_TIMEOUT_S = 300


@dataclass(frozen=True)
class CrashRun:
    flow: str
    scenario: str
    point: str
    nth: int
    exit_code: int
    recovery: dict[str, Any] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def happy_path(flow_id: str) -> Path | None:
    folder = SCENARIOS / flow_id
    preferred = folder / "happy_path.toml"
    if preferred.exists():
        return preferred
    others = sorted(folder.glob("*happy*.toml"))
    return others[0] if others else None


def _kiosk(args: Iterable[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "import sys; from kiosk.app.cli import main; sys.exit(main())", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                          env={**os.environ, **(env or {})}, check=False)


def _sets() -> list[str]:
    return [arg for value in FAST for arg in ("--set", value)]


def trace(scenario: Path, data_dir: Path) -> list[tuple[str, int]]:
    """The crash points the scenario passes, each with every pass number: [(point, 1), (point, 2), ...]."""
    trace_file = data_dir / "crash-trace.txt"
    ran = _kiosk(["scenario", "run", str(scenario), "--data-dir", str(data_dir / "kiosk"), *_sets()],
                 {TRACE_ENV: str(trace_file)})
    if ran.returncode != 0:
        raise RuntimeError(f"{scenario}: the happy path does not pass without a crash:\n{ran.stdout}{ran.stderr}")
    passes = Counter(trace_file.read_text().split()) if trace_file.exists() else Counter()
    return [(point, nth) for point, count in passes.items() for nth in range(1, count + 1)]


def crash_once(flow_id: str, scenario: Path, point: str, nth: int, data_dir: Path) -> CrashRun:
    kiosk_dir = data_dir / "kiosk"
    ran = _kiosk(["scenario", "run", str(scenario), "--data-dir", str(kiosk_dir), *_sets()],
                 {CRASH_ENV: f"{point}:{nth}"})
    problems = []
    if ran.returncode != CRASH_EXIT_CODE:
        problems.append(f"expected to crash (exit {CRASH_EXIT_CODE}), exited {ran.returncode}: {ran.stderr[-400:]}")
    restarted = _kiosk(["recover", "--data-dir", str(kiosk_dir), "--check", "--json", *_sets()])
    recovery: dict[str, Any] = {}
    try:
        answer = json.loads(restarted.stdout)
        recovery = answer["recovery"]
        problems += [f"{v['invariant']}: {v['detail']}" for v in answer["violations"]]
    except (ValueError, KeyError):
        problems.append(f"recovery failed (exit {restarted.returncode}): {restarted.stderr[-600:]}")
    return CrashRun(flow_id, scenario.name, point, nth, ran.returncode, recovery, tuple(problems))


def run_matrix(flows: list[str] | None = None, points: list[str] | None = None, jobs: int = 2,
               keep: Path | None = None, progress: Callable[[str], Any] | None = None) -> list[CrashRun]:
    from flows import catalogue

    chosen = flows or sorted(catalogue())
    root = keep or Path(tempfile.mkdtemp(prefix="crash-matrix-"))
    work: list[tuple[str, Path, str, int]] = []
    for flow_id in chosen:
        scenario = happy_path(flow_id)
        if scenario is None:
            raise ValueError(f"flow {flow_id}: no happy-path scenario in {SCENARIOS / flow_id}")
        found = trace(scenario, root / flow_id / "trace")
        work += [(flow_id, scenario, point, nth) for point, nth in found if not points or point in points]
        if progress:
            progress(f"{flow_id}: {len(found)} crash points passed")

    def one(item: tuple[str, Path, str, int]) -> CrashRun:
        flow_id, scenario, point, nth = item
        result = crash_once(flow_id, scenario, point, nth, root / flow_id / f"{point}-{nth}")
        if progress:
            progress(f"{flow_id} {point}:{nth}: {'ok' if result.ok else 'BROKEN: ' + '; '.join(result.problems)}")
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, work))
