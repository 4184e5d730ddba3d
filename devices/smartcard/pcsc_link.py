"""PC/SC through pyscard, as the bank card reader needs it: one context with its return codes
turned into DeviceErrors, and a card transport that tells a card that left from one gone mute."""

from __future__ import annotations

from typing import Any

from devices.api import DeviceError, ErrorCode
from devices.smartcard.apdu import TransportError

REMOVAL_NOTICE_MS = 600  # pcscd polls presence about every 400 ms on readers without card events
PCSCD_DOWN = "PC/SC daemon not running: start pcscd"
NO_PYSCARD = "pyscard is not installed: install the Python package 'pyscard' (pip install pyscard)"


def load_scard(device: str = "smartcard") -> Any:
    """pyscard's PC/SC binding, or NOT_READY ``no_pyscard`` naming the package."""
    try:
        from smartcard import scard
    except ImportError as exc:
        raise DeviceError(device, ErrorCode.NOT_READY, "no_pyscard", NO_PYSCARD) from exc
    return scard


def is_usable() -> tuple[bool, str]:
    """(True, "") when pyscard imports and pcscd answers; else (False, the one line for staff)."""
    try:
        with PcscContext(load_scard()):
            return True, ""
    except DeviceError as exc:
        return False, exc.detail


class PcscContext:
    """One ``SCARDCONTEXT``, with PC/SC return codes turned into DeviceErrors."""

    def __init__(self, scard: Any, device: str = "smartcard") -> None:
        self.scard = scard
        self.device = device
        hr, self.handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        self.check(hr, "SCardEstablishContext")

    def __enter__(self) -> PcscContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.scard.SCardReleaseContext(self.handle)

    def check(self, hr: int, call: str) -> None:
        if hr != self.scard.SCARD_S_SUCCESS:
            raise self.error(hr, call)

    def error(self, hr: int, call: str) -> DeviceError:
        s, code = self.scard, hr & 0xFFFFFFFF
        message = f"{call}: {s.SCardGetErrorMessage(hr)} (0x{code:08X})"

        def is_(*names: str) -> bool:
            return any(code == getattr(s, n) & 0xFFFFFFFF for n in names if hasattr(s, n))

        if is_("SCARD_E_NO_SERVICE", "SCARD_E_SERVICE_STOPPED", "SCARD_E_NO_SERVER"):
            return DeviceError(self.device, ErrorCode.NOT_READY, "no_pcscd", PCSCD_DOWN)
        if is_("SCARD_E_NO_READERS_AVAILABLE", "SCARD_E_UNKNOWN_READER", "SCARD_E_READER_UNAVAILABLE"):
            return DeviceError(self.device, ErrorCode.NOT_READY, "no_reader", message)
        if is_("SCARD_W_UNRESPONSIVE_CARD", "SCARD_W_UNPOWERED_CARD", "SCARD_E_PROTO_MISMATCH",
               "SCARD_W_UNSUPPORTED_CARD", "SCARD_E_CARD_UNSUPPORTED"):
            return DeviceError(self.device, ErrorCode.USER_ERROR, "mute_card",
                               f"the card does not answer (no usable ATR): {message}")
        if is_("SCARD_W_REMOVED_CARD", "SCARD_E_NO_SMARTCARD"):
            return DeviceError(self.device, ErrorCode.USER_ERROR, "card_removed", message)
        if is_("SCARD_E_SHARING_VIOLATION"):
            return DeviceError(self.device, ErrorCode.NOT_READY, "busy", f"another program holds the card: {message}")
        return DeviceError(self.device, ErrorCode.HARDWARE_ERROR, "pcsc_error", message)

    def readers(self) -> list[str]:
        hr, readers = self.scard.SCardListReaders(self.handle, [])
        if (hr & 0xFFFFFFFF) == self.scard.SCARD_E_NO_READERS_AVAILABLE & 0xFFFFFFFF:
            return []
        self.check(hr, "SCardListReaders")
        return list(readers)

    def states(self, known: list[tuple[str, int]], timeout_ms: int) -> list[tuple[str, int, bytes]] | None:
        """``SCardGetStatusChange``: the readers' states, or None when nothing changed in time."""
        hr, states = self.scard.SCardGetStatusChange(self.handle, timeout_ms, known)
        if (hr & 0xFFFFFFFF) == self.scard.SCARD_E_TIMEOUT & 0xFFFFFFFF:
            return None
        self.check(hr, "SCardGetStatusChange")
        return [(reader, state, bytes(atr)) for reader, state, atr in states]


class CardTransport:
    """``transmit`` over one connected card; a failure says whether the card left or went mute."""

    def __init__(self, ctx: PcscContext, card: int, protocol: int, reader: str) -> None:
        self.ctx, self.card, self.protocol, self.reader = ctx, card, protocol, reader

    def transmit(self, apdu: bytes) -> bytes:
        hr, response = self.ctx.scard.SCardTransmit(self.card, self.protocol, list(apdu))
        if hr != self.ctx.scard.SCARD_S_SUCCESS:
            error = self.ctx.error(hr, "SCardTransmit")
            reason = "card_removed" if error.reason == "card_removed" or self._left() else "mute_card"
            raise TransportError(reason, error.detail)
        if len(response) < 2 and self._left():  # vpcd answers nothing when the card is pulled mid-command
            raise TransportError("card_removed", "the card left during a command")
        return bytes(response)

    def _left(self) -> bool:
        """After a failed command: has the card left? The reader may report it a poll later."""
        s = self.ctx.scard
        try:
            [(_, state, _)] = self.ctx.states([(self.reader, s.SCARD_STATE_UNAWARE)], 0) or [("", 0, b"")]
            if state & s.SCARD_STATE_PRESENT:
                later = self.ctx.states([(self.reader, state & ~s.SCARD_STATE_CHANGED)], REMOVAL_NOTICE_MS)
                state = later[0][1] if later else state
        except DeviceError:
            return True
        return not state & s.SCARD_STATE_PRESENT
