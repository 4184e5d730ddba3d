"""ISO 9564-1 format 0 PIN blocks, encrypted with SM4 (GB/T 32907) or 3DES.

Format 0: PIN field ``0 | N | PIN | F...`` (8 bytes) XOR PAN field ``0000 | 12 rightmost PAN digits
excluding the check digit``. SM4 has a 16-byte block: the 8-byte format 0 block is followed by eight
``FF`` bytes before encryption (docs/decisions/0003-pin-block-sm4.md). The host decrypts with the
same working key and checks the PIN; the kiosk never sees the digits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.core.digits import ascii_digits

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers import Cipher

SM4_PAD = b"\xff" * 8


class PinBlockError(ValueError):
    """A PIN block that cannot be built or does not decode (wrong key, wrong PAN, corrupted)."""


def _pan_field(pan: str) -> bytes:
    digits = "".join(ch for ch in pan if ascii_digits(ch))
    if len(digits) < 13:
        raise PinBlockError("a PAN needs at least 13 digits")
    return bytes.fromhex("0000" + digits[-13:-1])


def format0_clear(pin: str, pan: str) -> bytes:
    if not (ascii_digits(pin) and 4 <= len(pin) <= 12):
        raise PinBlockError("a PIN is 4 to 12 digits")
    pin_field = bytes.fromhex(f"0{len(pin):X}{pin}".ljust(16, "F"))
    return bytes(a ^ b for a, b in zip(pin_field, _pan_field(pan), strict=True))


def pin_from_format0(block: bytes, pan: str) -> str:
    if len(block) != 8:
        raise PinBlockError("a format 0 block is 8 bytes")
    field = bytes(a ^ b for a, b in zip(block, _pan_field(pan), strict=True)).hex().upper()
    if field[0] != "0":
        raise PinBlockError("not a format 0 block")
    length = int(field[1], 16)
    pin, fill = field[2 : 2 + length], field[2 + length :]
    if not (4 <= length <= 12 and ascii_digits(pin) and set(fill) <= {"F"}):
        raise PinBlockError("the block does not decode to a PIN (wrong key or PAN)")
    return pin


def _cipher(algorithm: str, key: bytes) -> Cipher[Any]:
    # cryptography is imported here, with the first PIN: the kiosk's start does not wait for it
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if algorithm == "SM4":
        if len(key) != 16:
            raise PinBlockError("an SM4 key is 16 bytes")
        return Cipher(algorithms.SM4(key), modes.ECB())
    if algorithm == "3DES":
        if len(key) not in (16, 24):
            raise PinBlockError("a 3DES key is 16 or 24 bytes")
        if len(key) == 16:  # double-length K1|K2 is K1|K2|K1; cryptography warns on 16-byte keys
            key = key + key[:8]
        try:  # cryptography >= 43 moved TripleDES to the decrepit module
            from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
        except ImportError:  # pragma: no cover - older cryptography
            TripleDES = algorithms.TripleDES  # type: ignore[misc,assignment,unused-ignore]
        return Cipher(TripleDES(key), modes.ECB())
    raise PinBlockError(f"unknown PIN block algorithm {algorithm!r}; allowed: SM4, 3DES")


def encrypt_pin(pin: str, pan: str, key: bytes, algorithm: str = "SM4") -> bytes:
    clear = format0_clear(pin, pan)
    if algorithm == "SM4":
        clear += SM4_PAD
    enc = _cipher(algorithm, key).encryptor()
    return enc.update(clear) + enc.finalize()


def decrypt_pin(ciphertext: bytes, pan: str, key: bytes, algorithm: str = "SM4") -> str:
    dec = _cipher(algorithm, key).decryptor()
    try:
        clear = dec.update(ciphertext) + dec.finalize()
    except ValueError as exc:
        raise PinBlockError("the PIN block has the wrong length") from exc
    if algorithm == "SM4":
        if len(clear) != 16 or clear[8:] != SM4_PAD:
            raise PinBlockError("the block does not decode to a PIN (wrong key or PAN)")
        clear = clear[:8]
    return pin_from_format0(clear, pan)
