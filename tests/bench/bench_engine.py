"""Engine benchmark: step latency and resident memory over many headless sessions.

Runs complete social-insurance payments (ID card, bills from the host, bank card, PIN, posting,
receipt) on the simulators and the embedded host simulator, resetting the host's books between
sessions. "Step latency" is the engine's own time per step: handling an input or an operation's
result up to the next published screen model; waiting for devices and the host is not counted.

    .venv/bin/python tests/bench/bench_engine.py [--sessions 1000]
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.app.compose import build_kiosk  # noqa: E402
from kiosk.app.qa import SimulatorControls  # noqa: E402
from kiosk.app.scenario import scenario_config  # noqa: E402
from kiosk.app.scenario_driver import Driver  # noqa: E402
from kiosk.core.clock import ManualClock  # noqa: E402
from kiosk.engine.screens import Input, InputKind  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class TimedEngine:
    """Wraps send and pump to time the engine's own work."""

    def __init__(self, engine) -> None:
        self.samples: list[float] = []
        self._send, self._pump = engine.send, engine.pump
        engine.send, engine.pump = self.send, self.pump

    def send(self, inp) -> None:
        start = time.perf_counter()
        self._send(inp)
        self.samples.append(time.perf_counter() - start)

    def pump(self, wait: float = 0.0) -> int:
        if wait:  # wait outside the timing, then time only the handling
            self._pump.__self__.inbox  # noqa: B018
            deadline = time.monotonic() + wait
            while self._pump.__self__.inbox.empty() and time.monotonic() < deadline:
                time.sleep(0.0005)
        start = time.perf_counter()
        handled = self._pump(0)
        if handled:
            self.samples.append((time.perf_counter() - start) / handled)
        return handled


def one_session(driver: Driver) -> str:
    qa, engine = driver.qa, driver.engine
    qa.place_id_card("zhang_wei")
    qa.insert_bank_card("zhang_wei_1")
    qa.take_bank_card()
    engine.send(Input(InputKind.START, "si_payment"))
    for step, inp in (("consent", Input(InputKind.CHOOSE, "agree")), ("bill", Input(InputKind.CHOOSE, "all")),
                      ("fraud_warning", Input(InputKind.CONTINUE)), ("confirm", Input(InputKind.CHOOSE, "confirm"))):
        driver.wait_for_screen(step)
        engine.send(inp)
    driver.wait_for_screen("pin")
    qa.press_keys("147258#")
    for step in ("result", "receipt"):
        driver.wait_for_screen(step)
        engine.send(Input(InputKind.CONTINUE))
    return driver.finish().outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-engine-"))
    config = scenario_config(None, {"devices.smartcard.backend": "sim", "face.matcher": "sim"})  # the engine only
    kiosk = build_kiosk(config, clock=ManualClock(), data_dir=data)
    driver = Driver(kiosk, SimulatorControls(kiosk))
    timed = TimedEngine(kiosk.engine)
    rss = {}
    started = time.perf_counter()
    try:
        for n in range(1, args.sessions + 1):
            requests.post(kiosk.host_url + "/sim/reset", timeout=5)
            outcome = one_session(driver)
            assert outcome == "completed", outcome
            if n == args.warmup:
                gc.collect()
                rss["warm"] = rss_mb()
                timed.samples.clear()
        gc.collect()
        rss["end"] = rss_mb()
    finally:
        kiosk.close()
    elapsed = time.perf_counter() - started
    samples = sorted(timed.samples)
    p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))] * 1000  # noqa: E731
    print(f"sessions: {args.sessions} (completed payments), wall {elapsed:.0f} s")
    print(f"engine step latency over {len(samples)} steps after warm-up: median {statistics.median(samples) * 1000:.2f} ms,"
          f" p95 {p(0.95):.2f} ms, max {samples[-1] * 1000:.2f} ms")
    print(f"resident memory: after {args.warmup} sessions {rss['warm']:.1f} MB, after {args.sessions} "
          f"{rss['end']:.1f} MB (growth {rss['end'] - rss['warm']:+.1f} MB)")


if __name__ == "__main__":
    main()
