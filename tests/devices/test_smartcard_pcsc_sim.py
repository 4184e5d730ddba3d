"""The protocol-level bank card simulator: the behavioural simulator's QA controls and faults, with
the real PC/SC adapter reading a virtual card through pcscd underneath."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode
from devices.simkit import QAControlError
from devices.smartcard.api import CardReturn, CardType
from devices.smartcard.pcsc_sim import PcscSimBankCardReader
from devices.smartcard.sim import CardPosition, SimBankCardReader

pytestmark = pytest.mark.pcsc

@pytest.fixture
def reader(pcscd, port, clock, background) -> Iterator[PcscSimBankCardReader]:
    device = PcscSimBankCardReader(clock, port=port, reader_name=pcscd.reader_name(port))
    yield device
    device.close()


@pytest.fixture
def card(people):
    return people.bank_cards["zhang_wei_1"].card


def test_it_offers_the_behavioural_simulators_faults():
    assert PcscSimBankCardReader.FAULTS == SimBankCardReader.FAULTS


def test_an_inserted_card_is_read_through_pcscd(reader, card, events):
    reader.insert(card)
    assert (reader.has_card(), reader.position()) == (True, CardPosition.INSIDE)
    assert reader.read_card(5, Cancellation(), events) == card
    assert events.kinds() == ["card_inserted"]
    assert reader.status().state is DeviceState.OK


def test_the_customer_takes_the_returned_card(reader, card, background, events):
    reader.insert(card)
    reader.read_card(5, Cancellation())
    future = background.start(reader.return_card, 30, Cancellation(), events)
    background.until(lambda: events.saw("card_at_slot"))
    assert reader.position() is CardPosition.AT_SLOT
    reader.take()
    assert future.result(timeout=5) is CardReturn.TAKEN
    assert events.kinds() == ["card_at_slot", "card_taken"]
    assert not reader.has_card()


def test_a_take_typed_ahead_takes_the_next_eject_at_once(reader, card, events):
    reader.insert(card)
    reader.take()
    assert reader.has_card()
    reader.read_card(5, Cancellation())
    assert reader.return_card(30, Cancellation(), events) is CardReturn.TAKEN
    assert events.kinds() == ["card_at_slot", "card_taken"]


def test_a_card_not_taken_in_time_is_retained(reader, card, background, events, clock):
    reader.insert(card)
    future = background.start(reader.return_card, 30, Cancellation(), events)
    background.until(lambda: events.saw("card_at_slot"))
    background.advance_until_done(future, 31)
    assert future.result() is CardReturn.RETAINED
    assert events.kinds() == ["card_at_slot", "card_retained"]
    [retained] = reader.retained()
    assert (retained.pan_masked, retained.reason) == ("622848*********0018", "not_taken")
    assert not reader.has_card()
    assert reader.status().counters == {"retained": 1}
    reader.insert(card)  # the slot is free again
    assert reader.read_card(5, Cancellation()) == card


def test_retain_card_captures_the_card_with_its_reason(reader, card):
    reader.insert(card)
    reader.retain_card("fraud_suspected")
    assert not reader.has_card()
    assert [(c.pan_masked, c.reason) for c in reader.empty_retain_bin()] == [("622848*********0018", "fraud_suspected")]
    assert reader.retained() == []


def test_a_blocked_card_is_refused_by_the_real_adapter(reader, people):
    reader.insert(people.bank_cards["blocked_1"].card, blocked=True)
    with pytest.raises(DeviceError) as info:
        reader.read_card(5, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.USER_ERROR, "card_blocked")
    assert "6A81" in info.value.detail  # the card's own answer, through pcscd
    assert reader.has_card()


def test_any_card_file_can_be_inserted(reader):
    reader.insert_profile("credit_two_apps")
    assert reader.read_card(5, Cancellation()).card_type is CardType.CREDIT
    with pytest.raises(QAControlError, match="a card is already in the reader"):
        reader.insert_profile("zhang_wei_1_no_pse")
    with pytest.raises(QAControlError, match="no card file 'nope'; cards: blocked_1"):
        reader.insert_profile("nope")


@pytest.mark.parametrize(
    ("fault", "code", "real"),
    [
        ("mute_card", ErrorCode.USER_ERROR, True),
        ("read_failed", ErrorCode.USER_ERROR, True),
        ("jam", ErrorCode.HARDWARE_ERROR, False),
        ("timeout", ErrorCode.TIMEOUT, False),
        ("offline", ErrorCode.NOT_READY, False),
    ],
)
def test_each_fault_fails_the_read_with_its_code(reader, card, fault, code, real):
    reader.insert(card)
    reader.inject(fault)
    with pytest.raises(DeviceError) as info:
        reader.read_card(5, Cancellation())
    assert (info.value.code, info.value.reason) == (code, fault)
    assert (info.value.detail != "injected by QA") is real  # the card faults come through pcscd


def test_a_mute_card_stays_and_reads_again_once_the_fault_is_spent(reader, card):
    reader.insert(card)
    reader.inject("mute_card")
    with pytest.raises(DeviceError) as info:
        reader.read_card(5, Cancellation())
    assert "no usable ATR" in info.value.detail
    assert reader.has_card()
    assert reader.read_card(5, Cancellation()) == card


def test_offline_shows_in_status_until_reset(reader):
    reader.inject("offline")
    assert reader.status().state is DeviceState.OFFLINE
    reader.reset()
    assert reader.status().state is DeviceState.OK
