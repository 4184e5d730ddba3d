"""The behavioural card issuing module: stock, gate, retain bin."""

from __future__ import annotations

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode
from devices.dispenser.api import StockCard
from devices.dispenser.sim import SimCardDispenser


@pytest.fixture
def stock(people):
    return people.stock[:3]


@pytest.fixture
def dispenser(clock, background, stock):
    device = SimCardDispenser(clock, stock, retain_capacity=2)
    yield device
    device.close()


def test_pick_takes_stock_cards_in_order(dispenser, stock):
    assert dispenser.pick_card(10, Cancellation()) == stock[0]
    assert dispenser.status().counters == {"stock": 2, "retained": 0}


def test_picking_again_returns_the_card_still_at_the_read_position(dispenser, stock):
    first = dispenser.pick_card(10, Cancellation())
    assert dispenser.pick_card(10, Cancellation()) == first
    assert dispenser.stock_count() == 2


def test_the_customer_takes_the_delivered_card(dispenser, background, events):
    dispenser.pick_card(10, Cancellation())
    future = background.start(dispenser.deliver_card, 30, Cancellation(), events)
    background.until(lambda: events.saw("card_at_gate"))
    assert dispenser.card_at_gate()
    dispenser.take()
    assert future.result(timeout=5) is True
    assert events.kinds() == ["card_at_gate", "card_taken"]
    assert not dispenser.card_at_gate()


def test_a_take_typed_ahead_takes_the_next_delivery_at_once(dispenser, events):
    dispenser.take()
    dispenser.pick_card(10, Cancellation())
    assert dispenser.deliver_card(30, Cancellation(), events) is True
    assert events.kinds() == ["card_at_gate", "card_taken"]


def test_a_card_not_taken_is_pulled_into_the_retain_bin(dispenser, background, events, clock, stock):
    dispenser.pick_card(10, Cancellation())
    future = background.start(dispenser.deliver_card, 30, Cancellation(), events)
    background.until(lambda: events.saw("card_at_gate"))
    background.advance_until_done(future, 31)
    assert future.result() is False
    assert events.kinds() == ["card_at_gate", "card_retained"]
    [retained] = dispenser.retained()
    assert retained.reason == "not_taken"
    assert retained.pan_masked == stock[0].pan[:6] + "*" * 9 + stock[0].pan[-4:]
    assert retained.at == clock.now()


def test_a_cancelled_delivery_leaves_the_card_at_the_gate(dispenser, background, events):
    dispenser.pick_card(10, Cancellation())
    cancel = Cancellation()
    future = background.start(dispenser.deliver_card, 30, cancel, events)
    background.until(lambda: events.saw("card_at_gate"))
    cancel.cancel()
    with pytest.raises(DeviceError) as info:
        future.result(timeout=5)
    assert info.value.code is ErrorCode.CANCELLED
    assert dispenser.card_at_gate()


def test_retain_card_moves_the_picked_card_to_the_bin(dispenser):
    dispenser.pick_card(10, Cancellation())
    dispenser.retain_card("bind_failed")
    assert [c.reason for c in dispenser.retained()] == ["bind_failed"]
    dispenser.retain_card("nothing_picked")  # no card: nothing happens
    assert len(dispenser.retained()) == 1


def test_delivering_without_a_picked_card_is_refused(dispenser):
    with pytest.raises(DeviceError) as info:
        dispenser.deliver_card(5, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "no_card")


def test_an_empty_hopper_is_not_ready_until_loaded(clock, people):
    dispenser = SimCardDispenser(clock, [])
    assert (dispenser.status().state, dispenser.status().fault) == (DeviceState.FAULT, "empty")
    with pytest.raises(DeviceError) as info:
        dispenser.pick_card(10, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "empty")
    dispenser.load([StockCard(pan=people.stock[0].pan, expiry="3111")])
    assert dispenser.status().state is DeviceState.OK
    assert dispenser.pick_card(10, Cancellation()).expiry == "3111"


def test_a_full_retain_bin_is_a_fault_and_stops_issuing(dispenser):
    for reason in ("first", "second"):
        dispenser.pick_card(10, Cancellation())
        dispenser.retain_card(reason)
    status = dispenser.status()
    assert (status.state, status.fault, status.counters) == (
        DeviceState.FAULT,
        "retain_bin_full",
        {"stock": 1, "retained": 2},
    )
    with pytest.raises(DeviceError) as info:
        dispenser.pick_card(10, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "retain_bin_full")
    assert [c.reason for c in dispenser.empty_retain_bin()] == ["first", "second"]
    assert dispenser.status().state is DeviceState.OK
    dispenser.pick_card(10, Cancellation())


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("jam", ErrorCode.HARDWARE_ERROR),
        ("empty", ErrorCode.NOT_READY),
        ("timeout", ErrorCode.TIMEOUT),
        ("offline", ErrorCode.NOT_READY),
    ],
)
def test_each_fault_fails_the_pick_with_its_code(dispenser, fault, code):
    dispenser.inject(fault)
    with pytest.raises(DeviceError) as info:
        dispenser.pick_card(10, Cancellation())
    assert (info.value.code, info.value.reason) == (code, fault)
    assert dispenser.stock_count() == 3


def test_a_jam_at_the_gate_keeps_the_card_and_shows_until_reset(dispenser):
    dispenser.pick_card(10, Cancellation())
    dispenser.inject("jam")
    with pytest.raises(DeviceError) as info:
        dispenser.deliver_card(30, Cancellation())
    assert info.value.code is ErrorCode.HARDWARE_ERROR
    assert (dispenser.status().state, dispenser.status().fault) == (DeviceState.FAULT, "jam")
    dispenser.reset()
    assert dispenser.status().state is DeviceState.OK
    dispenser.retain_card("jam_cleared")
    assert [c.reason for c in dispenser.retained()] == ["jam_cleared"]


def test_a_stock_card_is_never_shown_in_full(stock):
    assert stock[0].pan not in repr(stock[0])
