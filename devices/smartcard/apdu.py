"""Command APDUs a payment terminal sends, and what it does with the answers (ISO 7816-4, EMV Book 1
and 3): SELECT by name, READ RECORD, GET PROCESSING OPTIONS, GET RESPONSE; ``61xx`` fetched with GET
RESPONSE, ``6Cxx`` re-sent with the right Le, other status words raised as typed errors.

A transport is anything with ``transmit(apdu: bytes) -> bytes`` (response data + SW1 SW2): PC/SC,
the in-memory card, a test double. It raises :class:`TransportError` when the card does not answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

SW_OK = 0x9000
MAX_GET_RESPONSE = 32  # a card that keeps answering 61xx longer than this is broken


class CardTransport(Protocol):
    def transmit(self, apdu: bytes) -> bytes:
        """Send one command APDU; return response data followed by SW1 SW2."""
        ...


class TransportError(Exception):
    """The card did not answer. ``reason`` is ``mute_card`` (no ATR, no answer) or ``card_removed``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}{': ' + detail if detail else ''}")


@dataclass(frozen=True)
class CommandApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # None: no Le field; 0 means "up to 256"
    name: str = ""  # for error messages: "SELECT", "READ RECORD"...

    def to_bytes(self) -> bytes:
        """Short APDU encoding (ISO 7816-4 cases 1-4)."""
        if len(self.data) > 255:
            raise ValueError("short APDUs carry at most 255 data bytes")
        if self.le is not None and not 0 <= self.le <= 256:
            raise ValueError(f"Le {self.le} out of range")
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le & 0xFF])
        return out

    def with_le(self, le: int) -> CommandApdu:
        return CommandApdu(self.cla, self.ins, self.p1, self.p2, self.data, le, self.name)


@dataclass(frozen=True)
class ResponseApdu:
    data: bytes
    sw1: int
    sw2: int

    @property
    def sw(self) -> int:
        return (self.sw1 << 8) | self.sw2

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    @classmethod
    def from_bytes(cls, raw: bytes) -> ResponseApdu:
        if len(raw) < 2:
            raise TransportError("mute_card", f"a response of {len(raw)} byte(s) has no status word")
        return cls(bytes(raw[:-2]), raw[-2], raw[-1])

    def __repr__(self) -> str:  # the data may be card data
        return f"ResponseApdu({len(self.data)} bytes, SW {self.sw:04X})"


# -- commands --------------------------------------------------------------------------------
def select_by_name(name: bytes, next_occurrence: bool = False) -> CommandApdu:
    """SELECT a DF (the PSE or an application) by its name (ISO 7816-4, P1 04)."""
    return CommandApdu(0x00, 0xA4, 0x04, 0x02 if next_occurrence else 0x00, name, 0x00, "SELECT")


def read_record(record: int, sfi: int) -> CommandApdu:
    """READ RECORD ``record`` of the short file ``sfi`` (P2 = SFI << 3 | 4)."""
    if not 1 <= record <= 0xFE or not 1 <= sfi <= 30:
        raise ValueError(f"record {record} of SFI {sfi} cannot be addressed")
    return CommandApdu(0x00, 0xB2, record, (sfi << 3) | 0x04, b"", 0x00, "READ RECORD")


def get_processing_options(pdol_data: bytes) -> CommandApdu:
    """GET PROCESSING OPTIONS with the PDOL data in template 83 (EMV Book 3 6.5.8)."""
    return CommandApdu(0x80, 0xA8, 0x00, 0x00, bytes([0x83, len(pdol_data)]) + pdol_data, 0x00,
                       "GET PROCESSING OPTIONS")


def get_response(le: int) -> CommandApdu:
    return CommandApdu(0x00, 0xC0, 0x00, 0x00, b"", le, "GET RESPONSE")


# -- status words ----------------------------------------------------------------------------
class StatusWordError(Exception):
    """The card answered a status word other than 9000."""

    sw: int = 0
    meaning = "error"

    def __init__(self, command: str, sw: int) -> None:
        self.command = command
        self.sw = sw
        super().__init__(f"{command}: SW {sw:04X} ({self.meaning})")


class SelectedFileInvalidated(StatusWordError):
    meaning = "selected file invalidated: application blocked"  # 6283


class WrongLength(StatusWordError):
    meaning = "wrong length"  # 6700


class SecurityStatusNotSatisfied(StatusWordError):
    meaning = "security status not satisfied"  # 6982


class ConditionsNotSatisfied(StatusWordError):
    meaning = "conditions of use not satisfied"  # 6985


class FunctionNotSupported(StatusWordError):
    meaning = "function not supported: card or application blocked"  # 6A81


class FileNotFound(StatusWordError):
    meaning = "file or application not found"  # 6A82


class RecordNotFound(StatusWordError):
    meaning = "record not found"  # 6A83


class IncorrectParameters(StatusWordError):
    meaning = "incorrect P1 P2"  # 6A86


class InstructionNotSupported(StatusWordError):
    meaning = "instruction not supported"  # 6D00


class ClassNotSupported(StatusWordError):
    meaning = "class not supported"  # 6E00


STATUS_ERRORS: dict[int, type[StatusWordError]] = {
    0x6283: SelectedFileInvalidated,
    0x6700: WrongLength,
    0x6982: SecurityStatusNotSatisfied,
    0x6985: ConditionsNotSatisfied,
    0x6A81: FunctionNotSupported,
    0x6A82: FileNotFound,
    0x6A83: RecordNotFound,
    0x6A86: IncorrectParameters,
    0x6D00: InstructionNotSupported,
    0x6E00: ClassNotSupported,
}


def status_error(command: str, sw: int) -> StatusWordError:
    return STATUS_ERRORS.get(sw, StatusWordError)(command, sw)


# -- exchange --------------------------------------------------------------------------------
def exchange(transport: CardTransport, command: CommandApdu) -> ResponseApdu:
    """Send ``command`` and return the complete answer, whatever its status word.

    ``6Cxx``: the card wants Le = xx; the same command is sent once more with it.
    ``61xx``: xx more bytes wait; GET RESPONSE fetches them (again while the card says 61xx).
    """
    response = _send(transport, command)
    if response.sw1 == 0x6C:
        response = _send(transport, command.with_le(response.sw2 or 256))
        if response.sw1 == 0x6C:
            raise status_error(command.name, response.sw)
    data = response.data
    for _ in range(MAX_GET_RESPONSE):
        if response.sw1 != 0x61:
            return ResponseApdu(data, response.sw1, response.sw2)
        response = _send(transport, get_response(response.sw2))
        data += response.data
    raise TransportError("mute_card", f"{command.name}: no end to the 61xx responses")


def transmit_ok(transport: CardTransport, command: CommandApdu) -> bytes:
    """:func:`exchange`, then the response data; any status word but 9000 raises its error."""
    response = exchange(transport, command)
    if not response.ok:
        raise status_error(command.name, response.sw)
    return response.data


def _send(transport: CardTransport, command: CommandApdu) -> ResponseApdu:
    return ResponseApdu.from_bytes(transport.transmit(command.to_bytes()))
