"""ISO 9564 format 0 PIN blocks under SM4 and 3DES."""

from __future__ import annotations

import pytest

from devices.pinpad.pinblock import PinBlockError, decrypt_pin, encrypt_pin, format0_clear

SM4_KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
TDES_KEY = bytes.fromhex("0123456789ABCDEFFEDCBA98765432100123456789ABCDEF")
PAN = "6228480402564890018"


def test_the_known_format0_vector():
    assert format0_clear("1234", "4111111111111111") == bytes.fromhex("041225EEEEEEEEEE")


@pytest.mark.parametrize(("algorithm", "key", "size"), [("SM4", SM4_KEY, 16), ("3DES", TDES_KEY, 8)])
def test_encrypt_then_decrypt_gives_the_pin_back(algorithm, key, size):
    block = encrypt_pin("147258", PAN, key, algorithm)
    assert len(block) == size
    assert decrypt_pin(block, PAN, key, algorithm) == "147258"


@pytest.mark.parametrize(("algorithm", "key"), [("SM4", SM4_KEY), ("3DES", TDES_KEY)])
def test_a_wrong_key_does_not_decode(algorithm, key):
    block = encrypt_pin("147258", PAN, key, algorithm)
    wrong = bytes(b ^ 0x5A for b in key)
    with pytest.raises(PinBlockError):
        decrypt_pin(block, PAN, wrong, algorithm)


def test_a_block_is_bound_to_its_pan():
    block = encrypt_pin("147258", PAN, SM4_KEY)
    with pytest.raises(PinBlockError):
        decrypt_pin(block, "6228480402564890026", SM4_KEY)


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4"])
def test_pins_outside_4_to_12_digits_are_refused(pin):
    with pytest.raises(PinBlockError):
        format0_clear(pin, PAN)


def test_a_double_length_3des_key_is_k1_k2_k1():
    double = TDES_KEY[:16]
    triple = double + double[:8]
    assert encrypt_pin("1234", PAN, double, "3DES") == encrypt_pin("1234", PAN, triple, "3DES")
