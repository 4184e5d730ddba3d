"""What the engine is given by the composition root: devices, host, journal, face verifier, clock, settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from devices.camera.api import Camera
from devices.dispenser.api import CardDispenser
from devices.idcard.api import IdCardReader
from devices.pinpad.api import PinPad
from devices.printer.api import ReceiptPrinter
from devices.smartcard.api import BankCardReader
from kiosk.core.clock import Clock
from kiosk.host.api import Result
from kiosk.identity.face import FaceVerifier
from kiosk.journal.journal import Journal


class HostApi(Protocol):
    def call(self, op: str, payload: Mapping[str, Any], idempotency_key: str, session_id: str) -> dict[str, Any]: ...

    def call_result(self, op: str, payload: Mapping[str, Any], idempotency_key: str, session_id: str) -> Result: ...


@dataclass
class Devices:
    idcard: IdCardReader | None = None
    smartcard: BankCardReader | None = None
    camera: Camera | None = None
    pinpad: PinPad | None = None
    printer: ReceiptPrinter | None = None
    dispenser: CardDispenser | None = None

    def by_name(self) -> dict[str, Any]:
        return {name: dev for name, dev in vars(self).items() if dev is not None}


@dataclass(frozen=True)
class Timeouts:
    """Seconds. Elderly mode multiplies the customer-facing ones by ``elderly_factor``."""

    screen: float = 60.0
    warning: float = 15.0  # the warning shows this long before a screen times out
    pin: float = 45.0
    staff: float = 300.0
    card_take: float = 30.0
    processing: float = 120.0  # device or host work with nobody to wait for
    device: float = 20.0  # a device call that waits for no customer
    fraud_dwell: float = 6.0  # elderly mode: the fraud warning's Continue waits this long
    elderly_factor: float = 2.0


@dataclass(frozen=True)
class Limits:
    kiosk_payment_limit_fen: int = 5_000_000  # above: staff approval
    face_attempts: int = 3
    sms_attempts: int = 3
    pin_entry_attempts: int = 3
    card_read_attempts: int = 3
    minor_age: int = 16


@dataclass(frozen=True)
class EngineSettings:
    kiosk_id: str = "K0001"
    branch_id: str = "B0101"
    branch_name: str = ""
    bank_name: str = ""
    language: str = "zh_CN"
    pin_key_id: str = "TPK-DEMO-01"
    timeouts: Timeouts = field(default_factory=Timeouts)
    limits: Limits = field(default_factory=Limits)
    approvals: dict[str, tuple[str, ...]] = field(default_factory=dict)  # flow id -> approval rules that apply
    dual_control: tuple[str, ...] = ()  # approval rules ("identity" for rule None) that need two supervisors
    strict: bool = False  # tests: an unexpected exception in an operation is raised, not turned into a fault


@dataclass
class Services:
    devices: Devices
    host: HostApi
    journal: Journal
    face: FaceVerifier
    clock: Clock
    settings: EngineSettings
