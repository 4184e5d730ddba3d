"""Screens where the customer uses a device: the ID card reader, the camera, the card reader, the PIN pad.

They show where to act and what the device reported (through the model); they never touch a device."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui.art import DeviceArt
from kiosk.ui.screens.base import Screen, centered
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import PinDots, Spinner, label


class DeviceScreen(Screen):
    """A picture of the device and one status line under it."""

    device = "idcard"

    def build(self) -> None:
        self.art = DeviceArt(self.device)
        self.status = label("", "Status", wrap=False)
        self.spinner = Spinner()
        self.body.addStretch(1)
        self.body.addLayout(centered(self.art))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.spinner)
        row.addWidget(self.status)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        self.art.set_size(self.px(340))
        self.spinner.set_size(self.px(56))
        status = self.status_text(model)
        self.status.setText(status)
        self.status.setVisible(bool(status))
        self.spinner.setVisible(bool(status) and not model.choices)

    def status_text(self, model: ScreenModel) -> str:
        return ""


class IdCardScreen(DeviceScreen):
    kind = ScreenKind.ID_CARD
    device = "idcard"

    def status_text(self, model: ScreenModel) -> str:
        return ui_text(model.lang, "ui.device.reading") if model.data.get("detected") else ""


class BankCardScreen(DeviceScreen):
    kind = ScreenKind.BANK_CARD
    device = "smartcard"

    def status_text(self, model: ScreenModel) -> str:
        return ui_text(model.lang, "ui.bank_card.reading") if model.data.get("inserted") else ""


class FaceScreen(DeviceScreen):
    """Look at the camera. After a failed check the model offers "try again" and "verify with staff"."""

    kind = ScreenKind.FACE
    device = "camera"

    def status_text(self, model: ScreenModel) -> str:
        return "" if model.choices else ui_text(model.lang, "ui.face.checking")


class PinEntryScreen(Screen):
    """Dots for the digits the PIN pad holds; the PIN is typed on the PIN pad, never on the screen."""

    kind = ScreenKind.PIN_ENTRY

    def build(self) -> None:
        self.art = DeviceArt("pinpad")
        self.dots = PinDots()
        self.count = label("", "Status")
        self.body.addStretch(1)
        self.body.addLayout(centered(self.dots))
        self.body.addLayout(centered(self.count))
        self.body.addLayout(centered(self.art))
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        digits = int(model.data.get("digits", 0) or 0)
        length = int(model.data.get("length", 6) or 6)
        self.dots.set_state(digits, length, self.px(56))
        self.art.set_size(self.px(220))
        self.count.setText(ui_text(model.lang, "ui.pin.count", digits=digits, length=length))
