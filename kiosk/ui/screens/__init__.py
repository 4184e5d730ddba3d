"""One screen class per screen kind."""

from __future__ import annotations

from kiosk.engine.screens import ScreenKind
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.choice import ChoiceScreen, ConfirmScreen
from kiosk.ui.screens.devices import BankCardScreen, FaceScreen, IdCardScreen, PinEntryScreen, ScanScreen
from kiosk.ui.screens.documents import AgreementScreen, InfoScreen
from kiosk.ui.screens.form import FormScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.status import (
    OutOfServiceScreen,
    ProcessingScreen,
    ReceiptScreen,
    ResultScreen,
    WaitingStaffScreen,
)

SCREENS: dict[ScreenKind, type[Screen]] = {
    cls.kind: cls
    for cls in (
        HomeScreen, InfoScreen, AgreementScreen, IdCardScreen, FaceScreen, ScanScreen, BankCardScreen, PinEntryScreen,
        FormScreen, ChoiceScreen, ConfirmScreen, ProcessingScreen, WaitingStaffScreen, ResultScreen,
        ReceiptScreen, OutOfServiceScreen,
    )
}

__all__ = ["SCREENS", "Screen"]
