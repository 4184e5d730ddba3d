"""The behavioural encrypting PIN pad: keys in, an encrypted PIN block out, never a digit."""

from __future__ import annotations

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode
from devices.pinpad.pinblock import PinBlockError, decrypt_pin
from devices.pinpad.sim import SimPinPad

SM4_KEY = bytes.fromhex("00112233445566778899AABBCCDDEEFF")
TDES_KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
PAN = "6228480402564890018"
EVENT_KEYS = {"digit", "clear", "backspace", "enter", "rejected"}


@pytest.fixture
def pinpad(clock, background):
    device = SimPinPad(clock, SM4_KEY, "PIK-01")
    yield device
    device.close()


def assert_no_digit_reported(events):
    for event in events.events:
        assert event.kind == "key"
        assert set(event.data) == {"key", "count"}
        assert event.data["key"] in EVENT_KEYS
        assert isinstance(event.data["count"], int)


def test_a_pin_typed_ahead_comes_back_encrypted(pinpad, events):
    pinpad.press("147258E")
    block = pinpad.read_pin(PAN, 30, Cancellation(), events)
    assert (block.key_id, block.algorithm, block.pin_length) == ("PIK-01", "SM4", 6)
    assert decrypt_pin(block.ciphertext, PAN, SM4_KEY, "SM4") == "147258"
    assert [e.data["key"] for e in events.events] == ["digit"] * 6 + ["enter"]
    assert [e.data["count"] for e in events.events] == [1, 2, 3, 4, 5, 6, 6]
    assert_no_digit_reported(events)


def test_keys_are_read_as_they_arrive(pinpad, background, events):
    future = background.start(pinpad.read_pin, PAN, 30, Cancellation(), events)
    background.until(lambda: pinpad.status().state is DeviceState.BUSY)
    pinpad.press("258")
    background.until(lambda: len(events.events) == 3)
    pinpad.press("036#")
    block = future.result(timeout=5)
    assert decrypt_pin(block.ciphertext, PAN, SM4_KEY) == "258036"


def test_clear_backspace_and_early_enter(pinpad, events):
    pinpad.press("99C1234EB56789E")
    block = pinpad.read_pin(PAN, 30, Cancellation(), events)
    assert decrypt_pin(block.ciphertext, PAN, SM4_KEY) == "123567"
    keys = [e.data["key"] for e in events.events]
    assert keys[:8] == ["digit", "digit", "clear", "digit", "digit", "digit", "digit", "rejected"]
    assert keys[8] == "backspace"
    assert events.events[8].data["count"] == 3
    assert keys[-2:] == ["rejected", "enter"]  # the 7th digit is ignored
    assert_no_digit_reported(events)


def test_keys_after_enter_stay_for_the_next_read(pinpad):
    pinpad.press("111111E222222E")
    first = pinpad.read_pin(PAN, 30, Cancellation())
    second = pinpad.read_pin(PAN, 30, Cancellation())
    assert decrypt_pin(first.ciphertext, PAN, SM4_KEY) == "111111"
    assert decrypt_pin(second.ciphertext, PAN, SM4_KEY) == "222222"


def test_lengths_between_min_and_max(pinpad):
    pinpad.press("1234E")
    block = pinpad.read_pin(PAN, 30, Cancellation(), min_length=4, max_length=12)
    assert block.pin_length == 4


def test_the_customer_cancel_key(pinpad):
    pinpad.press("12X")
    with pytest.raises(DeviceError) as info:
        pinpad.read_pin(PAN, 30, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.CANCELLED, "customer_cancel")


def test_the_caller_cancels(pinpad, background):
    cancel = Cancellation()
    future = background.start(pinpad.read_pin, PAN, 30, cancel)
    background.until(lambda: pinpad.status().state is DeviceState.BUSY)
    cancel.cancel()
    with pytest.raises(DeviceError) as info:
        future.result(timeout=5)
    assert (info.value.code, info.value.reason) == (ErrorCode.CANCELLED, "cancelled")


def test_no_entry_in_time_times_out(pinpad, background):
    pinpad.press("12")
    future = background.start(pinpad.read_pin, PAN, 30, Cancellation())
    background.advance_until_done(future, 31)
    with pytest.raises(DeviceError) as info:
        future.result()
    assert (info.value.code, info.value.reason) == (ErrorCode.TIMEOUT, "no_entry")


def test_flush_drops_queued_keys(pinpad, background):
    pinpad.press("999999E")
    pinpad.flush()
    future = background.start(pinpad.read_pin, PAN, 30, Cancellation())
    pinpad.press("123456E")
    assert decrypt_pin(future.result(timeout=5).ciphertext, PAN, SM4_KEY) == "123456"


def test_no_attribute_keeps_the_clear_pin(pinpad):
    pinpad.press("147258E")
    pinpad.read_pin(PAN, 30, Cancellation())
    for value in vars(pinpad).values():
        assert "147258" not in repr(value)
        assert b"147258" not in (value if isinstance(value, bytes | bytearray) else b"")


def test_3des_pin_blocks(clock):
    device = SimPinPad(clock, TDES_KEY, "PIK-3DES", algorithm="3DES")
    device.press("258036E")
    block = device.read_pin(PAN, 30, Cancellation())
    assert len(block.ciphertext) == 8
    assert decrypt_pin(block.ciphertext, PAN, TDES_KEY, "3DES") == "258036"
    with pytest.raises(PinBlockError):
        decrypt_pin(block.ciphertext, PAN, bytes(reversed(TDES_KEY)), "3DES")


def test_a_bad_working_key_fails_at_construction(clock):
    with pytest.raises(PinBlockError):
        SimPinPad(clock, b"short", "PIK-01")


def test_unknown_keys_are_refused(pinpad):
    with pytest.raises(ValueError, match="unknown keys"):
        pinpad.press("12*")


def test_a_short_pan_is_refused_before_reading_keys(pinpad):
    pinpad.press("147258E")
    with pytest.raises(PinBlockError):
        pinpad.read_pin("1234", 30, Cancellation())
    assert pinpad.read_pin(PAN, 30, Cancellation()).pin_length == 6


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("offline", ErrorCode.NOT_READY),
        ("tamper", ErrorCode.FRAUD_ATTEMPT),
        ("timeout", ErrorCode.TIMEOUT),
        ("hardware", ErrorCode.HARDWARE_ERROR),
    ],
)
def test_each_fault_fails_with_its_code(pinpad, fault, code):
    pinpad.press("147258E")
    pinpad.inject(fault)
    with pytest.raises(DeviceError) as info:
        pinpad.read_pin(PAN, 30, Cancellation())
    assert (info.value.code, info.value.reason) == (code, fault)


def test_tamper_shows_as_a_fault_until_reset(pinpad):
    pinpad.inject("tamper")
    with pytest.raises(DeviceError):
        pinpad.read_pin(PAN, 30, Cancellation())
    assert (pinpad.status().state, pinpad.status().fault) == (DeviceState.FAULT, "tamper")
    pinpad.reset()
    assert pinpad.status().state is DeviceState.OK


def test_the_pin_block_repr_shows_no_secret(pinpad):
    pinpad.press("147258E")
    block = pinpad.read_pin(PAN, 30, Cancellation())
    assert block.ciphertext.hex() not in repr(block).lower()
