"""Shared fixtures for the device simulator tests: a manual clock, calls on a worker thread, events."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

from devices.api import DeviceEvent
from devices.sim_profiles import People, load_people
from kiosk.core.clock import ManualClock

GIVE_UP_SECONDS = 5.0  # a bound for waiting on another thread, not a timing assertion


class Background:
    """Runs a device call on a worker thread while the test thread plays customer, QA and clock."""

    def __init__(self, pool: ThreadPoolExecutor, clock: ManualClock) -> None:
        self._pool = pool
        self.clock = clock

    def start(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        return self._pool.submit(call, *args, **kwargs)

    @staticmethod
    def until(predicate: Callable[[], bool]) -> None:
        """Wait (real time) until ``predicate`` holds; fail the test if it never does."""
        give_up = time.monotonic() + GIVE_UP_SECONDS
        while not predicate():
            if time.monotonic() > give_up:
                pytest.fail("the condition never came true")
            time.sleep(0.005)

    def advance_until_done(self, future: Future[Any], step: float) -> None:
        """Keep moving the clock by ``step`` until the call ends (it may compute its deadline late)."""
        give_up = time.monotonic() + GIVE_UP_SECONDS
        while not future.done():
            if time.monotonic() > give_up:
                pytest.fail("the call never ended")
            self.clock.advance(step)
            time.sleep(0.02)


class EventLog:
    """An event sink that remembers every event and lets the test wait for one kind."""

    def __init__(self) -> None:
        self.events: list[DeviceEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: DeviceEvent) -> None:
        with self._lock:
            self.events.append(event)

    def kinds(self) -> list[str]:
        with self._lock:
            return [event.kind for event in self.events]

    def saw(self, kind: str) -> bool:
        return kind in self.kinds()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def background(clock: ManualClock) -> Iterator[Background]:
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="device-test")
    yield Background(pool, clock)
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
def events() -> EventLog:
    return EventLog()


@pytest.fixture(scope="session")
def people() -> People:
    return load_people()


# -- the PC/SC simulator: pcscd with vsmartcard-vpcd's two slots (tests marked pcsc) -------------------------
_turns = itertools.count()


@pytest.fixture(scope="module")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pytest.importorskip("smartcard.scard", reason="pyscard is not installed")
    from devices.smartcard.pcscd import PcscDaemon, PcscdUnavailable

    daemon = PcscDaemon(tmp_path_factory.mktemp("pcscd") / "pcscd.log")
    try:
        daemon.start()
    except PcscdUnavailable as exc:
        pytest.skip(str(exc))
    yield daemon
    daemon.stop()


@pytest.fixture
def port(pcscd: Any, clock: ManualClock) -> int:
    """Tests take turns on vpcd's two slots: pcscd notices the card a test leaves behind (up to 0.4 s later)
    while the next test uses the other slot."""
    from devices.smartcard.pcsc import PcscBankCardReader

    chosen = pcscd.ports[next(_turns) % 2]
    probe = PcscBankCardReader(clock, pcscd.reader_name(chosen))
    give_up = time.monotonic() + GIVE_UP_SECONDS
    while probe.card_in_slot():
        assert time.monotonic() < give_up, "pcscd never saw the last card go"
        time.sleep(0.02)
    return chosen
