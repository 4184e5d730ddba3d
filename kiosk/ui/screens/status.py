"""Screens that report: processing, waiting for staff, the result, the receipt, out of service."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.engine.screens import Outcome, ScreenKind, ScreenModel
from kiosk.ui.art import DeviceArt
from kiosk.ui.screens.base import Screen, centered
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import OutcomeIcon, RowsCard, Spinner, label, set_flag


class ProcessingScreen(Screen):
    """The kiosk works (host call, card from the hopper, the safe exit): a spinner, and the device
    picture when the customer has something to take."""

    kind = ScreenKind.PROCESSING

    def build(self) -> None:
        self.spinner = Spinner()
        self.art = DeviceArt("dispenser")
        self.body.addStretch(1)
        self.body.addLayout(centered(self.art))
        self.body.addLayout(centered(self.spinner))
        self.body.addStretch(2)

    def render_body(self, model: ScreenModel) -> None:
        hint = model.data.get("device_hint")
        self.spinner.set_size(self.px(150))
        self.art.set_size(self.px(300))
        self.art.setVisible(hint in ("dispenser", "bank_card"))  # a card comes out: take it


class WaitingStaffScreen(Screen):
    """A supervisor must approve: why, and that staff have been called."""

    kind = ScreenKind.WAITING_STAFF

    def build(self) -> None:
        self.spinner = Spinner()
        self.rows = RowsCard()
        self.body.addWidget(self.rows)
        self.body.addStretch(1)
        self.body.addLayout(centered(self.spinner))
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        self.spinner.set_size(self.px(150))
        self.rows.set_rows(model.rows, model.lang, self.scale)


def outcome_kind(model: ScreenModel) -> str:
    return "success" if model.outcome in (Outcome.COMPLETED, None) else "failure"


class ResultScreen(Screen):
    """Done or not done, said with an icon and in words, never by colour alone."""

    kind = ScreenKind.RESULT

    def build(self) -> None:
        self.icon = OutcomeIcon()
        self.words = label("", "OutcomeWords")
        self.rows = RowsCard()
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.icon)
        row.addWidget(self.words, 1)
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertLayout(0, row)  # the outcome first, above the title and the reason
        self.body.addWidget(self.rows)
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        kind = outcome_kind(model)
        words = ui_text(model.lang, f"ui.result.{kind}")
        self.icon.set_size(self.px(88))
        self.icon.set_kind(kind)
        self.words.setText(words)
        set_flag(self.words, "outcome", kind)
        self.title.setVisible(model.title != words)  # said once is enough
        set_flag(self.prompt, "emphasis", "true" if kind == "failure" else "false")  # the reason matters most
        self.rows.set_rows(model.rows, model.lang, self.scale)


class ReceiptScreen(Screen):
    """The receipt prints; then Finish."""

    kind = ScreenKind.RECEIPT

    def build(self) -> None:
        self.art = DeviceArt("printer")
        self.spinner = Spinner()
        self.status = label("", "Status")
        self.body.addStretch(1)
        self.body.addLayout(centered(self.art))
        self.body.addLayout(centered(self.spinner))
        self.body.addLayout(centered(self.status))
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        printed = model.data.get("printed")
        self.art.set_size(self.px(300))
        self.spinner.set_size(self.px(90))
        self.spinner.setVisible(printed is None)
        state = "printing" if printed is None else ("printed" if printed else "not_printed")
        what = "document" if model.data.get("document") else "receipt"  # an A4 document or a receipt
        self.status.setText(ui_text(model.lang, f"ui.{what}.{state}"))


class OutOfServiceScreen(Screen):
    kind = ScreenKind.OUT_OF_SERVICE

    def build(self) -> None:
        self.icon = OutcomeIcon("warning")
        self.body.insertLayout(0, centered(self.icon))
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        self.icon.set_size(self.px(200))
