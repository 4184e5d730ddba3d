"""The behavioural resident ID card reader."""

from __future__ import annotations

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode
from devices.idcard.sim import SimIdCardReader


@pytest.fixture
def reader(clock, background):
    device = SimIdCardReader(clock)
    yield device
    device.close()


@pytest.fixture
def card(people):
    return people.id_cards["zhang_wei"]


def test_a_card_already_on_the_reader_is_read_at_once(reader, card, events):
    reader.place(card)
    assert reader.read(5, Cancellation(), events) is card
    assert events.kinds() == ["card_detected"]
    assert events.events[0].data == {}
    assert reader.status().counters == {"reads": 1}


def test_a_read_waits_for_the_customer_to_place_the_card(reader, card, background, events):
    future = background.start(reader.read, 30, Cancellation(), events)
    background.until(lambda: reader.status().state is DeviceState.BUSY)
    reader.place(card)
    assert future.result(timeout=5) is card
    assert reader.status().state is DeviceState.OK


def test_no_card_before_the_deadline_times_out(reader, background):
    future = background.start(reader.read, 30, Cancellation())
    background.advance_until_done(future, 31)
    with pytest.raises(DeviceError) as info:
        future.result()
    assert (info.value.code, info.value.reason) == (ErrorCode.TIMEOUT, "no_card")


def test_a_read_can_be_cancelled(reader, background):
    cancel = Cancellation()
    future = background.start(reader.read, 30, cancel)
    background.until(lambda: reader.status().state is DeviceState.BUSY)
    cancel.cancel()
    with pytest.raises(DeviceError) as info:
        future.result(timeout=5)
    assert info.value.code is ErrorCode.CANCELLED


def test_the_card_stays_until_removed(reader, card):
    reader.place(card)
    reader.read(0, Cancellation())
    assert reader.current() is card
    reader.remove()
    assert reader.current() is None


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("read_failed", ErrorCode.USER_ERROR),
        ("checksum", ErrorCode.HARDWARE_ERROR),
        ("truncated", ErrorCode.HARDWARE_ERROR),
        ("sam_failure", ErrorCode.HARDWARE_ERROR),
        ("timeout", ErrorCode.TIMEOUT),
        ("offline", ErrorCode.NOT_READY),
    ],
)
def test_each_fault_fails_with_its_code(reader, card, fault, code):
    reader.place(card)
    reader.inject(fault)
    with pytest.raises(DeviceError) as info:
        reader.read(5, Cancellation())
    assert (info.value.code, info.value.reason, info.value.device) == (code, fault, "idcard")


def test_a_chip_fault_comes_after_the_card_is_detected(reader, card, events):
    reader.place(card)
    reader.inject("checksum")
    with pytest.raises(DeviceError):
        reader.read(5, Cancellation(), events)
    assert events.kinds() == ["card_detected"]
    assert reader.status().fault == "checksum"
    assert reader.read(5, Cancellation()) is card  # the fault was for one read


def test_offline_shows_in_status_until_reset(reader, card):
    reader.place(card)
    reader.inject("offline")
    assert reader.status().state is DeviceState.OFFLINE
    with pytest.raises(DeviceError):
        reader.read(0, Cancellation())
    assert reader.status().state is DeviceState.OFFLINE
    reader.reset()
    assert reader.status().state is DeviceState.OK
    assert reader.read(0, Cancellation()) is card


def test_a_card_is_never_shown_in_full(card):
    assert card.id_number not in repr(card)
    assert card.name not in repr(card)
