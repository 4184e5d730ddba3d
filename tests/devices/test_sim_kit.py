"""The shared simulator machinery: waiting on an injected clock, faults, status, busy, close."""

from __future__ import annotations

import threading

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode
from devices.simkit import SimulatedDevice, wait_for


class Gadget(SimulatedDevice):
    """The smallest simulator: one call that waits for a flag."""

    FAULTS = {"jam": ErrorCode.HARDWARE_ERROR, "offline": ErrorCode.NOT_READY}

    def __init__(self, clock) -> None:
        super().__init__(clock, "gadget")
        self.ready = threading.Event()

    def work(self, timeout: float, cancel: Cancellation) -> str:
        with self._operation():
            self._fail_if_armed("jam")
            self._wait(self.ready.is_set, timeout, cancel, "nothing_came")
            return "done"


@pytest.fixture
def gadget(clock, background):
    device = Gadget(clock)
    yield device
    device.close()


def test_wait_for_sees_what_is_already_there_even_with_no_time(clock):
    assert wait_for(lambda: True, clock, 0, Cancellation())


def test_wait_for_gives_up_when_the_clock_passes_the_deadline(clock, background):
    future = background.start(wait_for, lambda: False, clock, 10, Cancellation())
    background.advance_until_done(future, 11)
    assert future.result() is False


def test_wait_for_returns_when_the_predicate_comes_true(clock, background):
    flag = threading.Event()
    future = background.start(wait_for, flag.is_set, clock, 10, Cancellation())
    flag.set()
    assert future.result(timeout=5) is True


def test_wait_for_stops_when_cancelled_even_if_the_predicate_holds(clock):
    cancel = Cancellation()
    cancel.cancel()
    assert wait_for(lambda: True, clock, 10, cancel) is False


def test_a_call_waits_for_the_device_and_reports_busy_meanwhile(gadget, background):
    future = background.start(gadget.work, 10, Cancellation())
    background.until(lambda: gadget.status().state is DeviceState.BUSY)
    gadget.ready.set()
    assert future.result(timeout=5) == "done"
    assert gadget.status().state is DeviceState.OK


def test_a_second_call_while_one_runs_is_refused(gadget, background):
    future = background.start(gadget.work, 10, Cancellation())
    background.until(lambda: gadget.status().state is DeviceState.BUSY)
    with pytest.raises(DeviceError) as info:
        gadget.work(10, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "busy")
    gadget.ready.set()
    future.result(timeout=5)


def test_a_call_times_out_on_the_injected_clock(gadget, background):
    future = background.start(gadget.work, 30, Cancellation())
    background.advance_until_done(future, 31)
    with pytest.raises(DeviceError) as info:
        future.result()
    assert (info.value.code, info.value.reason) == (ErrorCode.TIMEOUT, "nothing_came")


def test_a_cancelled_call_raises_cancelled(gadget, background):
    cancel = Cancellation()
    future = background.start(gadget.work, 30, cancel)
    background.until(lambda: gadget.status().state is DeviceState.BUSY)
    cancel.cancel()
    with pytest.raises(DeviceError) as info:
        future.result(timeout=5)
    assert (info.value.code, info.value.reason) == (ErrorCode.CANCELLED, "cancelled")


def test_closing_ends_a_waiting_call(gadget, background):
    future = background.start(gadget.work, 30, Cancellation())
    background.until(lambda: gadget.status().state is DeviceState.BUSY)
    gadget.close()
    with pytest.raises(DeviceError) as info:
        future.result(timeout=5)
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "closed")
    assert gadget.status().state is DeviceState.OFFLINE


def test_offline_stays_until_reset_whatever_times_says(gadget):
    gadget.inject("offline")
    for _ in range(3):
        with pytest.raises(DeviceError) as info:
            gadget.work(0, Cancellation())
        assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "offline")
    status = gadget.status()
    assert (status.state, status.fault) == (DeviceState.OFFLINE, "offline")
    gadget.reset()
    gadget.ready.set()
    assert gadget.work(0, Cancellation()) == "done"


def test_a_hardware_fault_shows_in_status_until_a_call_succeeds(gadget):
    gadget.inject("jam")
    with pytest.raises(DeviceError):
        gadget.work(0, Cancellation())
    status = gadget.status()
    assert (status.state, status.fault) == (DeviceState.FAULT, "jam")
    gadget.ready.set()
    assert gadget.work(0, Cancellation()) == "done"
    assert gadget.status().state is DeviceState.OK


def test_a_fault_armed_for_twice_fails_two_calls(gadget):
    gadget.ready.set()
    gadget.inject("jam", times=2)
    for _ in range(2):
        with pytest.raises(DeviceError):
            gadget.work(0, Cancellation())
    assert gadget.work(0, Cancellation()) == "done"


def test_a_fault_armed_for_ever_stays_until_cleared(gadget):
    gadget.ready.set()
    gadget.inject("jam", times=-1)
    for _ in range(3):
        with pytest.raises(DeviceError):
            gadget.work(0, Cancellation())
    gadget.clear_faults()
    assert gadget.work(0, Cancellation()) == "done"


def test_an_unknown_fault_is_refused_naming_the_allowed_ones(gadget):
    with pytest.raises(ValueError, match="jam, offline"):
        gadget.inject("flood")
