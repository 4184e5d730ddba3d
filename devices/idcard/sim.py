"""Behavioural resident ID card reader: QA places a card on the reader, a read returns it.

The card stays on the reader until QA removes it (or places another), as a real card lying on the
antenna would. Faults found before a card is present (``sam_failure``, ``timeout``) fail at once;
faults of reading the chip (``read_failed``, ``checksum``, ``truncated``) fail after ``card_detected``.
"""

from __future__ import annotations

from devices.api import Cancellation, ErrorCode, EventSink, ignore_events
from devices.idcard.api import IdCard
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock


class SimIdCardReader(SimulatedDevice):
    FAULTS = {
        "read_failed": ErrorCode.USER_ERROR,  # the card was moved away or cannot be read
        "checksum": ErrorCode.HARDWARE_ERROR,  # a frame with a bad checksum
        "truncated": ErrorCode.HARDWARE_ERROR,  # a frame cut short
        "sam_failure": ErrorCode.HARDWARE_ERROR,  # the security module does not answer
        "timeout": ErrorCode.TIMEOUT,
        "offline": ErrorCode.NOT_READY,
    }

    def __init__(self, clock: Clock, name: str = "idcard") -> None:
        super().__init__(clock, name)
        self._card: IdCard | None = None
        self._reads = 0

    # -- QA controls -------------------------------------------------------------------------
    def place(self, card: IdCard) -> None:
        """Put ``card`` on the reader (replacing any card already there)."""
        with self._lock:
            self._card = card

    def remove(self) -> None:
        with self._lock:
            self._card = None

    def current(self) -> IdCard | None:
        with self._lock:
            return self._card

    # -- IdCardReader ------------------------------------------------------------------------
    def read(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> IdCard:
        with self._operation():
            self._fail_if_armed("sam_failure", "timeout")
            self._wait(lambda: self._card is not None, timeout, cancel, "no_card")
            self._emit(on_event, "card_detected")
            self._fail_if_armed("read_failed", "checksum", "truncated")
            with self._lock:
                card = self._card
                self._reads += 1
            if card is None:  # QA removed it between detection and reading
                raise self._error(ErrorCode.USER_ERROR, "card_removed", "the card left the reader")
            return card

    # -- status ------------------------------------------------------------------------------
    def _counters(self) -> dict[str, int]:
        return {"reads": self._reads}

    def _detail(self) -> str:
        return "card on reader" if self._card is not None else ""
