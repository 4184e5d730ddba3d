"""The in-memory transport: the terminal talks to the virtual card directly, for fast unit tests.

It keeps every command and response it carried (``exchanges``), so tests can assert exact bytes.
"""

from __future__ import annotations

from devices.smartcard.apdu import TransportError
from devices.smartcard.card_app import CardProfile, VirtualPbocCard


def valid_atr(atr: bytes) -> bool:
    """An ATR starts with TS 3B (direct) or 3F (inverse convention) and a format byte."""
    return len(atr) >= 2 and atr[0] in (0x3B, 0x3F)


class MemoryTransport:
    def __init__(self, card: VirtualPbocCard | CardProfile) -> None:
        self.card = card if isinstance(card, VirtualPbocCard) else VirtualPbocCard(card)
        self.exchanges: list[tuple[bytes, bytes]] = []
        self.powered = False

    def power_on(self) -> bytes:
        """Power the card and return its ATR; a card without a valid ATR is mute."""
        self.card.power_on()
        atr = self.card.atr()
        if not valid_atr(atr):
            raise TransportError("mute_card", "the card gave no valid ATR")
        self.powered = True
        return atr

    def transmit(self, apdu: bytes) -> bytes:
        if not self.powered:
            self.power_on()
        if self.card.mute:
            raise TransportError("mute_card", "the card does not answer")
        response = self.card.process(apdu)
        self.exchanges.append((apdu, response))
        return response

    def commands(self) -> list[str]:
        """The commands sent, as upper-case hex (for tests)."""
        return [command.hex().upper() for command, _ in self.exchanges]
