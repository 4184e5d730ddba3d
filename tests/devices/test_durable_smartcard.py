"""The bank card reader remembers the card it holds across a restart of the kiosk, until recovery captures
it: the behavioural simulator, and the PC/SC simulator (real adapter, virtual card behind pcscd)."""

from __future__ import annotations

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode, OperationStage, PresentStatus
from devices.simkit import QAControlError
from devices.smartcard.api import CardReturn
from devices.smartcard.pcsc_sim import PcscSimBankCardReader
from devices.smartcard.sim import CardPosition, SimBankCardReader

MASKED = "622848*********0018"


@pytest.fixture
def card(people):
    return people.bank_cards["zhang_wei_1"].card


def test_a_read_card_is_inside_after_a_restart_until_recovery_captures_it(clock, card, tmp_path):
    reader = SimBankCardReader(clock, state_dir=tmp_path)
    reader.insert(card)
    reader.read_card(5, Cancellation())
    reader.close()  # the kiosk stops with the card inside
    again = SimBankCardReader(clock, state_dir=tmp_path)
    last = again.last_operation()
    assert (last.operation, last.stage, last.card_masked) == ("read_card", OperationStage.CARD_INSIDE, MASKED)
    assert (again.has_card(), again.position()) == (True, CardPosition.INSIDE)
    assert (again.status().state, again.status().fault) == (DeviceState.FAULT, "card_left")
    with pytest.raises(DeviceError) as err:
        again.read_card(5, Cancellation())
    assert (err.value.code, err.value.reason) == (ErrorCode.NOT_READY, "card_left")
    with pytest.raises(QAControlError):
        again.insert(card)
    captured = again.recover_card("recovery")
    assert (captured.pan_masked, captured.reason) == (MASKED, "recovery")
    assert again.status().counters == {"retained": 1}
    assert (again.has_card(), again.status().state) == (False, DeviceState.OK)
    assert SimBankCardReader(clock, state_dir=tmp_path).last_operation().stage is OperationStage.CAPTURED


def test_an_ejected_card_not_yet_taken_is_at_the_slot_after_a_restart(clock, card, tmp_path, background, events):
    reader = SimBankCardReader(clock, state_dir=tmp_path)
    reader.insert(card)
    reader.read_card(5, Cancellation())
    background.start(reader.return_card, 30, Cancellation(), events)
    background.until(lambda: events.saw("card_at_slot"))
    reader.close()
    again = SimBankCardReader(clock, state_dir=tmp_path)
    last = again.last_operation()
    assert (last.stage, last.present_status) == (OperationStage.EJECTED, PresentStatus.PRESENTED)
    assert again.position() is CardPosition.AT_SLOT
    with pytest.raises(DeviceError):
        again.return_card(5, Cancellation())
    assert again.recover_card("recovery").pan_masked == MASKED


def test_a_returned_and_taken_card_leaves_nothing(clock, card, tmp_path):
    reader = SimBankCardReader(clock, state_dir=tmp_path)
    reader.insert(card)
    reader.read_card(5, Cancellation())
    reader.take()
    assert reader.return_card(5, Cancellation()) is CardReturn.TAKEN
    again = SimBankCardReader(clock, state_dir=tmp_path)
    assert again.last_operation().stage is OperationStage.TAKEN
    assert not again.has_card()
    assert again.recover_card("recovery") is None


def test_retain_card_records_the_capture(clock, card, tmp_path):
    reader = SimBankCardReader(clock, state_dir=tmp_path)
    reader.insert(card)
    reader.read_card(5, Cancellation())
    reader.retain_card("card_blocked")
    last = SimBankCardReader(clock, state_dir=tmp_path).last_operation()
    assert (last.stage, last.reason, last.card_masked) == (OperationStage.CAPTURED, "card_blocked", MASKED)


# -- the PC/SC simulator ---------------------------------------------------------------------------------
@pytest.mark.pcsc
def test_the_pcsc_simulator_keeps_a_card_inside_across_a_restart(pcscd, port, clock, card, tmp_path):
    def build() -> PcscSimBankCardReader:
        return PcscSimBankCardReader(clock, port=port, reader_name=pcscd.reader_name(port), state_dir=tmp_path)

    reader = build()
    reader.insert(card)
    reader.read_card(5, Cancellation())
    assert reader.last_operation().card_masked == MASKED
    reader.close()  # the process's virtual card goes with it; the motorised reader's record stays
    again = build()
    try:
        assert again.last_operation().stage is OperationStage.CARD_INSIDE
        assert (again.has_card(), again.status().fault) == (True, "card_left")
        with pytest.raises(DeviceError) as err:
            again.read_card(5, Cancellation())
        assert err.value.reason == "card_left"
        captured = again.recover_card("recovery")
        assert (captured.pan_masked, captured.reason) == (MASKED, "recovery")
        assert again.retained() == [captured]
        assert not again.has_card()
        assert build().last_operation().stage is OperationStage.CAPTURED
    finally:
        again.close()


@pytest.mark.pcsc
def test_the_pcsc_simulator_records_eject_and_take(pcscd, port, clock, card, tmp_path):
    reader = PcscSimBankCardReader(clock, port=port, reader_name=pcscd.reader_name(port), state_dir=tmp_path)
    try:
        reader.insert(card)
        reader.read_card(5, Cancellation())
        reader.take()
        assert reader.return_card(5, Cancellation()) is CardReturn.TAKEN
        last = reader.last_operation()
        assert (last.stage, last.card_masked) == (OperationStage.TAKEN, MASKED)
        assert reader.recover_card("recovery") is None
    finally:
        reader.close()


def test_staff_servicing_captures_a_card_left_before_a_restart(clock, card, tmp_path):
    reader = SimBankCardReader(clock, state_dir=tmp_path)
    reader.insert(card)
    reader.read_card(5, Cancellation())
    again = SimBankCardReader(clock, state_dir=tmp_path)
    again.reset()
    assert [c.reason for c in again.retained()] == ["staff_reset"]
    assert (again.has_card(), again.status().state) == (False, DeviceState.OK)
