"""Servicing the kiosk's devices, for maintenance staff: status, self-test, reset, replenish, retain bins.

Every call may wait on hardware, so the staff desk runs them on a worker, never on the UI thread
(``statuses`` is the exception: a status is what the home screen already reads on every tick).
What a device offers beyond the common :class:`~devices.api.Device` protocol is looked up by name
(``load_paper``, ``retained``, ``empty_retain_bin``, ``self_test``); replenishing the card hopper
takes stock cards from ``stock_cards`` (the composition root knows where they come from).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from devices.api import DeviceState, DeviceStatus
from devices.dispenser.api import StockCard
from devices.printer.api import Receipt
from kiosk.core.masking import mask_pan
from kiosk.engine.services import Devices

WORKING = (DeviceState.OK, DeviceState.BUSY)


class ServiceUnavailable(Exception):
    """The device cannot do that (not fitted, or its adapter has no such service)."""

    def __init__(self, device: str, service: str) -> None:
        super().__init__(f"{device}: {service} is not available")
        self.device = device
        self.service = service


@dataclass(frozen=True)
class RetainedCardView:
    """A card in a retain bin, as staff see it: masked, why, when."""

    device: str
    pan_masked: str
    reason: str
    at: str  # "YYYY-MM-DD HH:MM:SS", kiosk time


@dataclass(frozen=True)
class SelfTest:
    device: str
    passed: bool
    state: str
    fault: str | None
    detail: str


class DeviceService:
    def __init__(self, devices: Devices, stock_cards: Callable[[int], list[StockCard]] | None = None,
                 others: Sequence[Any] = ()) -> None:
        """``others``: rows that are not devices but are serviced alike (the audio output: ``name``,
        ``status()``, ``reset()``)."""
        self.devices = devices
        self._stock_cards = stock_cards
        self._others = {other.name: other for other in others}

    def names(self) -> list[str]:
        return [*self.devices.by_name(), *self._others]

    def _device(self, name: str) -> Any:
        device = self.devices.by_name().get(name) or self._others.get(name)
        if device is None:
            raise ServiceUnavailable(name, "device")
        return device

    def statuses(self) -> list[DeviceStatus]:
        return [device.status() for device in [*self.devices.by_name().values(), *self._others.values()]]

    def self_test(self, name: str, test_receipt: Receipt | None = None) -> SelfTest:
        """The device's own self-test when it has one; the printer prints a test receipt; else its status."""
        device = self._device(name)
        own_test = getattr(device, "self_test", None)
        if own_test is not None:
            own_test()
        elif name == "printer" and test_receipt is not None:
            device.print_receipt(test_receipt, 20.0)
        status: DeviceStatus = device.status()
        return SelfTest(name, status.state in WORKING, status.state.value, status.fault, status.detail)

    def reset(self, name: str) -> DeviceStatus:
        device = self._device(name)
        device.reset()
        status: DeviceStatus = device.status()
        return status

    def replenish_cards(self, count: int) -> int:
        """Staff put ``count`` blank cards in the hopper; returns the stock now."""
        if count <= 0:
            raise ValueError("load at least one card")
        dispenser = self._device("dispenser")
        load = getattr(dispenser, "load", None)
        if load is None or self._stock_cards is None:
            raise ServiceUnavailable("dispenser", "replenish")
        load(self._stock_cards(count))
        return int(dispenser.status().counters.get("stock", 0))

    def load_paper(self, receipts: int) -> int:
        """A new paper roll, good for ``receipts`` receipts; returns the count now."""
        if receipts <= 0:
            raise ValueError("a roll holds at least one receipt")
        printer = self._device("printer")
        load = getattr(printer, "load_paper", None)
        if load is None:
            raise ServiceUnavailable("printer", "load_paper")
        load(receipts)
        return int(printer.status().counters.get("paper", receipts))

    def load_a4(self, sheets: int) -> int:
        """A4 paper into the document printer's tray; returns the sheets now."""
        if sheets <= 0:
            raise ValueError("load at least one sheet")
        printer = self._device("docprinter")
        load = getattr(printer, "load_paper", None)
        if load is None:
            raise ServiceUnavailable("docprinter", "load_paper")
        load(sheets)
        return int(printer.status().counters.get("paper", sheets))

    def replace_toner(self) -> int:
        """A new toner cartridge in the document printer; returns the pages it is good for."""
        printer = self._device("docprinter")
        replace = getattr(printer, "replace_toner", None)
        if replace is None:
            raise ServiceUnavailable("docprinter", "replace_toner")
        replace()
        return int(printer.status().counters.get("toner", 0))

    def retained_cards(self) -> list[RetainedCardView]:
        cards = []
        for name in ("smartcard", "dispenser"):
            device = self.devices.by_name().get(name)
            listed = getattr(device, "retained", None)
            if listed is not None:
                cards += [_view(name, card) for card in listed()]
        return cards

    def empty_retain_bins(self) -> list[RetainedCardView]:
        """Staff take the cards out of every retain bin; returns what was in them."""
        cards = []
        for name in ("smartcard", "dispenser"):
            device = self.devices.by_name().get(name)
            empty = getattr(device, "empty_retain_bin", None)
            if empty is not None:
                cards += [_view(name, card) for card in empty()]
        return cards


def _view(device: str, card: Any) -> RetainedCardView:
    masked = card.pan_masked if "*" in card.pan_masked else mask_pan(card.pan_masked)
    return RetainedCardView(device, masked, card.reason, card.at.strftime("%Y-%m-%d %H:%M:%S"))
