"""The behavioural motorised bank card reader."""

from __future__ import annotations

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode
from devices.simkit import QAControlError
from devices.smartcard.api import CardReturn
from devices.smartcard.sim import CardPosition, SimBankCardReader


@pytest.fixture
def reader(clock, background):
    device = SimBankCardReader(clock)
    yield device
    device.close()


@pytest.fixture
def card(people):
    return people.bank_cards["zhang_wei_1"].card


def test_an_inserted_card_is_read(reader, card, events):
    reader.insert(card)
    assert reader.read_card(30, Cancellation(), events) is card
    assert events.kinds() == ["card_inserted"]
    assert reader.has_card()


def test_a_read_waits_for_the_card(reader, card, background):
    future = background.start(reader.read_card, 30, Cancellation())
    background.until(lambda: reader.status().state is DeviceState.BUSY)
    reader.insert(card)
    assert future.result(timeout=5) is card


def test_no_card_in_time_times_out(reader, background):
    future = background.start(reader.read_card, 30, Cancellation())
    background.advance_until_done(future, 31)
    with pytest.raises(DeviceError) as info:
        future.result()
    assert (info.value.code, info.value.reason) == (ErrorCode.TIMEOUT, "no_card")


def test_waiting_for_a_card_can_be_cancelled(reader, background):
    cancel = Cancellation()
    future = background.start(reader.read_card, 30, cancel)
    background.until(lambda: reader.status().state is DeviceState.BUSY)
    cancel.cancel()
    with pytest.raises(DeviceError) as info:
        future.result(timeout=5)
    assert info.value.code is ErrorCode.CANCELLED


def test_a_blocked_card_is_refused_and_stays_in_the_reader(reader, people, events):
    reader.insert(people.bank_cards["blocked_1"].card, blocked=True)
    with pytest.raises(DeviceError) as info:
        reader.read_card(30, Cancellation(), events)
    assert (info.value.code, info.value.reason) == (ErrorCode.USER_ERROR, "card_blocked")
    assert events.kinds() == ["card_inserted"]
    assert reader.has_card()


def test_the_customer_takes_the_returned_card(reader, card, background, events):
    reader.insert(card)
    reader.read_card(30, Cancellation())
    future = background.start(reader.return_card, 30, Cancellation(), events)
    background.until(lambda: events.saw("card_at_slot"))
    assert reader.position() is CardPosition.AT_SLOT
    reader.take()
    assert future.result(timeout=5) is CardReturn.TAKEN
    assert events.kinds() == ["card_at_slot", "card_taken"]
    assert not reader.has_card()


def test_a_take_typed_ahead_takes_the_next_eject_at_once(reader, card, events):
    reader.insert(card)
    reader.take()  # the script takes the card before the flow returns it
    assert reader.has_card()
    reader.read_card(30, Cancellation())
    assert reader.return_card(30, Cancellation(), events) is CardReturn.TAKEN
    assert events.kinds() == ["card_at_slot", "card_taken"]


def test_a_card_not_taken_in_time_is_retained(reader, card, background, events, clock):
    reader.insert(card)
    future = background.start(reader.return_card, 30, Cancellation(), events)
    background.until(lambda: events.saw("card_at_slot"))
    background.advance_until_done(future, 31)
    assert future.result() is CardReturn.RETAINED
    assert events.kinds() == ["card_at_slot", "card_retained"]
    assert events.events[-1].data == {"reason": "not_taken"}
    [retained] = reader.retained()
    assert retained.pan_masked == "622848*********0018"
    assert retained.reason == "not_taken"
    assert retained.at == clock.now()
    assert not reader.has_card()
    assert reader.status().counters == {"retained": 1}


def test_a_cancelled_return_leaves_the_card_at_the_slot(reader, card, background, events):
    reader.insert(card)
    cancel = Cancellation()
    future = background.start(reader.return_card, 30, cancel, events)
    background.until(lambda: events.saw("card_at_slot"))
    cancel.cancel()
    with pytest.raises(DeviceError) as info:
        future.result(timeout=5)
    assert info.value.code is ErrorCode.CANCELLED
    assert reader.position() is CardPosition.AT_SLOT
    reader.take()
    assert not reader.has_card()


def test_retain_card_captures_the_card_with_its_reason(reader, card):
    reader.insert(card)
    reader.retain_card("fraud_suspected")
    assert not reader.has_card()
    assert [(c.pan_masked, c.reason) for c in reader.retained()] == [
        ("622848*********0018", "fraud_suspected")
    ]
    assert len(reader.empty_retain_bin()) == 1
    assert reader.retained() == []


def test_returning_with_no_card_is_a_user_error(reader):
    with pytest.raises(DeviceError) as info:
        reader.return_card(5, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.USER_ERROR, "no_card")


def test_a_second_card_cannot_go_into_an_occupied_reader(reader, card, people):
    reader.insert(card)
    with pytest.raises(QAControlError):
        reader.insert(people.bank_cards["zhang_wei_2"].card)


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("mute_card", ErrorCode.USER_ERROR),
        ("read_failed", ErrorCode.USER_ERROR),
        ("jam", ErrorCode.HARDWARE_ERROR),
        ("timeout", ErrorCode.TIMEOUT),
        ("offline", ErrorCode.NOT_READY),
    ],
)
def test_each_fault_fails_the_read_with_its_code(reader, card, fault, code):
    reader.insert(card)
    reader.inject(fault)
    with pytest.raises(DeviceError) as info:
        reader.read_card(5, Cancellation())
    assert (info.value.code, info.value.reason) == (code, fault)


def test_a_mute_card_stays_in_the_reader_to_be_returned(reader, card):
    reader.insert(card)
    reader.inject("mute_card")
    with pytest.raises(DeviceError):
        reader.read_card(5, Cancellation())
    assert reader.has_card()
    reader.take()
    assert reader.return_card(5, Cancellation()) is CardReturn.TAKEN


def test_a_jam_on_return_keeps_the_card_and_shows_a_fault_until_reset(reader, card):
    reader.insert(card)
    reader.inject("jam")
    with pytest.raises(DeviceError) as info:
        reader.return_card(5, Cancellation())
    assert info.value.code is ErrorCode.HARDWARE_ERROR
    assert reader.has_card()
    assert (reader.status().state, reader.status().fault) == (DeviceState.FAULT, "jam")
    reader.reset()
    assert reader.status().state is DeviceState.OK


def test_a_card_is_never_shown_in_full(card):
    assert card.pan not in repr(card)
    assert card.track2 not in repr(card)
