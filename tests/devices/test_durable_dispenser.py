"""The card dispenser simulator remembers its last operation across a restart and recovers a card left in it."""

from __future__ import annotations

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode, OperationStage
from devices.dispenser.sim import SimCardDispenser
from kiosk.core.masking import mask_pan


@pytest.fixture
def stock(people):
    return people.stock[:3]


def restart(clock, stock, state_dir) -> SimCardDispenser:
    return SimCardDispenser(clock, list(stock), state_dir=state_dir)


def test_a_fresh_dispenser_has_no_last_operation(clock, stock, tmp_path):
    assert restart(clock, stock, tmp_path).last_operation() is None


def test_a_picked_card_is_remembered_across_a_restart(clock, stock, tmp_path):
    restart(clock, stock, tmp_path).pick_card(10, Cancellation())
    again = restart(clock, stock, tmp_path)
    last = again.last_operation()
    assert last is not None
    assert (last.operation, last.stage, last.card_masked) == ("dispense", OperationStage.PICKED,
                                                              mask_pan(stock[0].pan))
    assert again.status().state is DeviceState.FAULT
    assert again.status().fault == "card_left"
    with pytest.raises(DeviceError) as err:
        again.pick_card(10, Cancellation())
    assert (err.value.code, err.value.reason) == (ErrorCode.NOT_READY, "card_left")


def test_a_taken_card_leaves_nothing_to_recover(clock, stock, tmp_path):
    dispenser = restart(clock, stock, tmp_path)
    dispenser.pick_card(10, Cancellation())
    dispenser.take()  # typed ahead
    assert dispenser.deliver_card(30, Cancellation()) is True
    again = restart(clock, stock, tmp_path)
    assert again.last_operation().stage is OperationStage.TAKEN
    assert again.status().state is DeviceState.OK
    assert again.recover_card("recovery") is None
    assert again.retained() == []


def test_a_card_not_taken_is_remembered_as_retained(clock, stock, tmp_path, background):
    dispenser = restart(clock, stock, tmp_path)
    dispenser.pick_card(10, Cancellation())
    future = background.start(dispenser.deliver_card, 30, Cancellation())
    background.until(dispenser.card_at_gate)
    background.advance_until_done(future, 31)
    assert future.result() is False
    last = restart(clock, stock, tmp_path).last_operation()
    assert (last.stage, last.reason) == (OperationStage.RETAINED, "not_taken")


def test_recovery_retains_a_card_left_at_the_gate_before_a_restart(clock, stock, tmp_path, background):
    dispenser = restart(clock, stock, tmp_path)
    dispenser.pick_card(10, Cancellation())
    background.start(dispenser.deliver_card, 30, Cancellation())
    background.until(dispenser.card_at_gate)
    dispenser.close()  # the kiosk stops with the card at the gate
    again = restart(clock, stock, tmp_path)
    assert again.card_at_gate()
    assert again.last_operation().stage is OperationStage.AT_GATE
    retained = again.recover_card("recovery")
    assert retained is not None
    assert (retained.pan_masked, retained.reason) == (mask_pan(stock[0].pan), "recovery")
    assert again.status().counters["retained"] == 1
    assert again.status().state is DeviceState.OK
    assert again.recover_card("recovery") is None
    assert restart(clock, stock, tmp_path).last_operation().stage is OperationStage.RETAINED
    assert again.pick_card(10, Cancellation()) == stock[1]  # the hopper goes on after the card it lost
    assert (tmp_path / "dispenser.json").read_text().count(stock[0].pan) == 0


def test_staff_servicing_retains_a_card_left_before_a_restart(clock, stock, tmp_path):
    restart(clock, stock, tmp_path).pick_card(10, Cancellation())
    again = restart(clock, stock, tmp_path)
    again.reset()
    [retained] = again.retained()
    assert retained.reason == "staff_reset"
    assert again.status().state is DeviceState.OK
