"""Screen models (what the engine publishes) and inputs (what a person did).

The Qt UI renders a ScreenModel and sends back an Input; the headless driver does the same
without a window. All text in a model is already in the session's language, from the catalogs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ScreenKind(StrEnum):
    HOME = "home"
    INFO = "info"
    AGREEMENT = "agreement"
    ID_CARD = "id_card"
    FACE = "face"
    SCAN = "scan"  # a barcode or QR code held up to the camera
    BANK_CARD = "bank_card"
    PIN_ENTRY = "pin_entry"
    FORM = "form"
    CHOICE = "choice"
    CONFIRM = "confirm"
    PROCESSING = "processing"
    WAITING_STAFF = "waiting_staff"
    RESULT = "result"
    RECEIPT = "receipt"
    OUT_OF_SERVICE = "out_of_service"


class Outcome(StrEnum):
    """How a session ended, as journaled and reported by scenarios."""

    COMPLETED = "completed"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"
    FAILED = "failed"  # refused by a rule, the host or staff; nothing posted
    DEVICE_FAULT = "device_fault"
    HOST_FAULT = "host_fault"
    UNKNOWN = "unknown"  # a posting whose outcome the host could not confirm; reconciled later


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    detail: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    input: str = "digits"  # "digits", "phone", "code", "amount"
    min_length: int = 1
    max_length: int = 32
    value: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class ScreenModel:
    kind: ScreenKind
    step: str
    title: str
    prompt: str = ""
    voice: str = ""
    flow_id: str | None = None
    session_id: str | None = None
    choices: tuple[Choice, ...] = ()
    fields: tuple[FormField, ...] = ()
    rows: tuple[Row, ...] = ()
    error: str | None = None
    notice: str | None = None
    progress: tuple[int, int] | None = None  # step x of y
    can_back: bool = False
    can_cancel: bool = True
    can_help: bool = True
    timeout_s: float | None = None
    warning_s_left: int | None = None  # the inactivity warning is showing, with this many seconds left
    busy: bool = False  # an operation is running; inputs other than cancel/help wait
    outcome: Outcome | None = None
    lang: str = "zh_CN"
    elderly: bool = False
    data: Mapping[str, Any] = field(default_factory=dict)
    seq: int = 0


class InputKind(StrEnum):
    START = "start"  # begin a flow from the home screen (choice = flow id)
    CHOOSE = "choose"  # one of the screen's choices
    SUBMIT = "submit"  # form values
    CONTINUE = "continue"  # acknowledge an information, result or receipt screen
    BACK = "back"
    CANCEL = "cancel"
    HELP = "help"  # call staff
    EXTEND = "extend"  # "I need more time" on the inactivity warning
    APPROVE = "approve"  # a supervisor's decision: choice "approve" or "reject"
    LANGUAGE = "language"  # choice = "zh_CN" or "en_US"
    ELDERLY = "elderly"  # choice = "on" or "off"


@dataclass(frozen=True)
class Input:
    kind: InputKind
    choice: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)
    staff: str | None = None  # staff number, for APPROVE
    reason: str = ""
    staff_token: str | None = field(default=None, repr=False)  # APPROVE: the supervisor's sign-in (kiosk/engine/staff/)

    def __repr__(self) -> str:  # form values can hold a phone number or an SMS code
        return f"Input({self.kind.value}, choice={self.choice!r}, fields={sorted(self.values)})"
