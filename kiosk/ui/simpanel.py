"""The simulate-mode panel: a second window where a tester (or a demo) does with a mouse what a
customer does with their hands, answers approvals as a supervisor, and injects device faults.

It gets a ``controls`` object (duck-typed, see :class:`SimulatorHands`; the app passes its
SimulatorControls) and a ``send`` callable for the supervisor's decision. It never imports the app."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine.screens import Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.text import ui_text

CAMERA_SCENES = ("person", "photo", "nobody", "two_people")
CODE_SYMBOLOGIES = ("auto", "code128", "qrcode")  # auto: digits make a barcode, anything else a QR code
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
MAX_BARCODE_DIGITS = 24  # a longer number is drawn as a QR code too
PIN_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "E")
STATUS_MS = 1000


def symbology_for(text: str, chosen: str) -> str:
    """The symbology a code is drawn in: as chosen, or (``auto``) a barcode for a number a bill would carry and a
    QR code for anything else (an appointment's signed code, a link)."""
    if chosen != "auto":
        return chosen
    return "code128" if text.isascii() and text.isdigit() and len(text) <= MAX_BARCODE_DIGITS else "qrcode"


class SimulatorHands(Protocol):
    """What the panel needs from the app's simulator controls."""

    def place_id_card(self, person: str) -> None: ...
    def remove_id_card(self) -> None: ...
    def insert_bank_card(self, key: str) -> None: ...
    def take_bank_card(self) -> None: ...
    def take_new_card(self) -> None: ...
    def take_receipt(self) -> None: ...
    def take_document(self) -> None: ...
    def press_keys(self, keys: str) -> None: ...
    def show_camera(self, spec: str) -> None: ...
    def show_code(self, text: str, symbology: str = "code128", damaged: bool = False) -> None: ...
    def show_picture(self, path: str) -> None: ...
    def show_document(self, *, licence: str | None = None, picture: str | None = None, code: str | None = None,
                      symbology: str = "qrcode", damaged: bool = False) -> None: ...
    def clear_document(self) -> None: ...
    def licence_keys(self) -> Sequence[tuple[str, str]]: ...  # (company key, label): licences the platen can take
    def device_fault(self, device: str, fault: str, times: int = 1) -> None: ...
    def fault_choices(self) -> Sequence[tuple[str, str]]: ...  # (device or "host", fault)
    def inject(self, target: str, fault: str) -> None: ...
    def clear_device_faults(self) -> None: ...
    def id_card_keys(self) -> Sequence[tuple[str, str]]: ...  # (key, label)
    def bank_card_keys(self) -> Sequence[tuple[str, str]]: ...
    def device_statuses(self) -> Sequence[Any]: ...  # devices.api.DeviceStatus
    def last_sms_code(self) -> str | None: ...


class SimPanel(QWidget):
    def __init__(self, controls: SimulatorHands, send: Callable[[Input], None], lang: str = "zh_CN",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SimPanel")
        self.controls, self._send, self.lang = controls, send, lang
        self.setWindowTitle(self.t("ui.sim.title"))
        grid = QGridLayout(self)
        grid.addWidget(self._id_card_box(), 0, 0)
        grid.addWidget(self._bank_card_box(), 0, 1)
        grid.addWidget(self._pinpad_box(), 1, 0)
        grid.addWidget(self._camera_box(), 1, 1)
        grid.addWidget(self._approval_box(), 2, 0)
        grid.addWidget(self._fault_box(), 2, 1)
        grid.addWidget(self._doccamera_box(), 3, 0, 1, 2)
        grid.addWidget(self._status_box(), 4, 0, 1, 2)
        self.message = QLabel("")
        self.message.setObjectName("sim-message")
        self.message.setWordWrap(True)
        grid.addWidget(self.message, 5, 0, 1, 2)
        self.timer = QTimer(self)
        self.timer.setInterval(STATUS_MS)
        self.timer.timeout.connect(self.refresh_status)
        self.timer.start()
        self.refresh_status()
        self.show_model(None)

    def t(self, key: str, **params: Any) -> str:
        return ui_text(self.lang, key, **params)

    # --- sections ----------------------------------------------------------------------------
    def _box(self, title_key: str) -> tuple[QGroupBox, QVBoxLayout]:
        box = QGroupBox(self.t(title_key))
        return box, QVBoxLayout(box)

    def _button(self, key: str, name: str, action: Callable[[], object]) -> QPushButton:
        b = QPushButton(self.t(key))
        b.setObjectName(name)
        b.clicked.connect(lambda _=False: self.act(action))
        return b

    def _combo(self, name: str, items: Sequence[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for key, text in items:
            combo.addItem(text, key)
        return combo

    def _row(self, *widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget)
        return row

    def _id_card_box(self) -> QGroupBox:
        box, column = self._box("ui.sim.id_card")
        self.person = self._combo("sim-id-person", self.controls.id_card_keys())
        column.addWidget(self.person)
        column.addLayout(self._row(
            self._button("ui.sim.place", "sim-place-id", lambda: self.controls.place_id_card(self.person.currentData())),
            self._button("ui.sim.remove", "sim-remove-id", self.controls.remove_id_card)))
        return box

    def _bank_card_box(self) -> QGroupBox:
        box, column = self._box("ui.sim.bank_card")
        self.card = self._combo("sim-bank-card", self.controls.bank_card_keys())
        column.addWidget(self.card)
        column.addLayout(self._row(
            self._button("ui.sim.insert", "sim-insert-card",
                         lambda: self.controls.insert_bank_card(self.card.currentData())),
            self._button("ui.sim.take", "sim-take-card", self.controls.take_bank_card)))
        column.addWidget(self._button("ui.sim.take_new_card", "sim-take-new-card", self.controls.take_new_card))
        column.addWidget(self._button("ui.sim.take_receipt", "sim-take-receipt", self.controls.take_receipt))
        column.addWidget(self._button("ui.sim.take_document", "sim-take-document", self.controls.take_document))
        return box

    def _pinpad_box(self) -> QGroupBox:
        box, column = self._box("ui.sim.pinpad")
        keys = QGridLayout()
        for index, key in enumerate(PIN_KEYS):
            b = QPushButton(key if key.isdigit() else self.t(f"ui.sim.key.{key}"))
            b.setObjectName(f"sim-key-{key}")
            b.clicked.connect(lambda _=False, k=key: self.act(lambda: self.controls.press_keys(k)))
            keys.addWidget(b, index // 3, index % 3)
        column.addLayout(keys)
        column.addWidget(self._button("ui.sim.key.X", "sim-key-X", lambda: self.controls.press_keys("X")))
        return box

    def _camera_box(self) -> QGroupBox:
        box, column = self._box("ui.sim.camera")
        self.scene = self._combo("sim-camera-scene", [(s, self.t(f"ui.sim.scene.{s}")) for s in CAMERA_SCENES])
        self.face = self._combo("sim-camera-person", self.controls.id_card_keys())
        column.addLayout(self._row(self.scene, self.face))
        column.addWidget(self._button("ui.sim.show", "sim-camera-show", self._show_camera))
        self.code = QLineEdit("")
        self.code.setObjectName("sim-camera-code")
        self.code.setPlaceholderText(self.t("ui.sim.code_hint"))
        column.addWidget(self.code)
        self.symbology = self._combo("sim-camera-symbology",
                                     [(s, self.t(f"ui.sim.symbology.{s}")) for s in CODE_SYMBOLOGIES])
        self.damaged = QCheckBox(self.t("ui.sim.code_damaged"))
        self.damaged.setObjectName("sim-camera-damaged")
        column.addLayout(self._row(self.symbology, self.damaged))
        column.addWidget(self._button("ui.sim.hold_up", "sim-camera-hold-up", self._hold_up))
        column.addWidget(self._button("ui.sim.sms", "sim-sms", self._show_sms))
        self.sms = QLabel("")
        self.sms.setObjectName("sim-sms-code")
        column.addWidget(self.sms)
        return box

    def _doccamera_box(self) -> QGroupBox:
        """The document camera's platen: a demo company's licence (its QR code stained or not), or a picture."""
        box, column = self._box("ui.sim.doccamera")
        self.licence = self._combo("sim-doccamera-licence", self.controls.licence_keys())
        self.licence_damaged = QCheckBox(self.t("ui.sim.licence_damaged"))
        self.licence_damaged.setObjectName("sim-doccamera-damaged")
        column.addLayout(self._row(self.licence, self.licence_damaged))
        self.document_picture = QLineEdit("")
        self.document_picture.setObjectName("sim-doccamera-picture")
        self.document_picture.setPlaceholderText(self.t("ui.sim.picture_hint"))
        column.addWidget(self.document_picture)
        column.addLayout(self._row(
            self._button("ui.sim.lay_document", "sim-doccamera-lay", self._lay_document),
            self._button("ui.sim.clear_document", "sim-doccamera-clear", self.controls.clear_document)))
        return box

    def _approval_box(self) -> QGroupBox:
        box, column = self._box("ui.sim.approval")
        self.staff = QLineEdit("S1001")
        self.staff.setObjectName("sim-staff")
        self.reason = QLineEdit("")
        self.reason.setObjectName("sim-reason")
        self.reason.setPlaceholderText(self.t("ui.sim.reason"))
        column.addWidget(self.staff)
        column.addWidget(self.reason)
        self.approve = self._button("ui.sim.approve", "sim-approve", lambda: self._decide("approve"))
        self.reject = self._button("ui.sim.reject", "sim-reject", lambda: self._decide("reject"))
        column.addLayout(self._row(self.approve, self.reject))
        return box

    def _fault_box(self) -> QGroupBox:
        box, column = self._box("ui.sim.faults")
        self.fault = self._combo("sim-fault", [(f"{d}:{f}", f"{d}: {f}") for d, f in self.controls.fault_choices()])
        column.addWidget(self.fault)
        column.addLayout(self._row(
            self._button("ui.sim.inject", "sim-inject", self._inject),
            self._button("ui.sim.clear_faults", "sim-clear-faults", self.controls.clear_device_faults)))
        return box

    def _status_box(self) -> QGroupBox:
        box, column = self._box("ui.sim.status")
        self.status = QLabel("")
        self.status.setObjectName("sim-status")
        column.addWidget(self.status)
        return box

    # --- actions -----------------------------------------------------------------------------
    def act(self, action: Callable[[], object]) -> None:
        """Run a QA action; a refusal (no such card, slot full) is shown, not raised."""
        try:
            action()
        except (ValueError, RuntimeError, OSError) as exc:
            self.message.setText(self.t("ui.sim.refused", reason=str(exc)))
            return
        self.message.setText("")
        self.refresh_status()

    def _show_camera(self) -> None:
        scene = self.scene.currentData()
        self.controls.show_camera(f"{scene}:{self.face.currentData()}" if scene in ("person", "photo") else scene)

    def _hold_up(self) -> None:
        """A code typed in the field (a slip is drawn with it), or the path of a picture file (a bill's photo,
        the QR code ``kiosk appointments book`` wrote)."""
        text = self.code.text().strip()
        if not text:
            raise ValueError(self.t("ui.sim.code_missing"))
        picture = Path(text).expanduser()
        if text.lower().endswith(PICTURE_SUFFIXES) or picture.is_file():
            self.controls.show_picture(str(picture))
        else:
            self.controls.show_code(text, symbology_for(text, str(self.symbology.currentData())),
                                    self.damaged.isChecked())

    def _lay_document(self) -> None:
        """The picture whose path is typed, or else the licence chosen, on the platen."""
        picture = self.document_picture.text().strip()
        if picture:
            self.controls.show_document(picture=picture)
        elif self.licence.currentData() is None:
            raise ValueError(self.t("ui.sim.no_licences"))
        else:
            self.controls.show_document(licence=str(self.licence.currentData()), damaged=self.licence_damaged.isChecked())

    def _show_sms(self) -> None:
        code = self.controls.last_sms_code()
        self.sms.setText(self.t("ui.sim.sms_code", code=code) if code else self.t("ui.sim.no_sms"))

    def _inject(self) -> None:
        device, _, fault = str(self.fault.currentData()).partition(":")
        self.controls.inject(device, fault)

    def _decide(self, choice: str) -> None:
        self._send(Input(InputKind.APPROVE, choice, staff=self.staff.text().strip(), reason=self.reason.text().strip()))

    # --- state -------------------------------------------------------------------------------
    def show_model(self, model: ScreenModel | None) -> None:
        waiting = model is not None and model.kind is ScreenKind.WAITING_STAFF
        self.approve.setEnabled(waiting)
        self.reject.setEnabled(waiting)

    def refresh_status(self) -> None:
        lines = []
        for status in self.controls.device_statuses():
            fault = f" ({status.fault})" if status.fault else ""
            lines.append(f"{status.device}: {status.state}{fault}  {status.detail}".rstrip())
        self.status.setText("\n".join(lines))
