"""What the engine is given by the composition root: devices, host, journal, face verifier, clock, settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from devices.camera.api import Camera
from devices.dispenser.api import CardDispenser
from devices.doccamera.api import DocumentCamera
from devices.docprinter.api import DocumentPrinter
from devices.idcard.api import IdCardReader
from devices.pinpad.api import PinPad
from devices.printer.api import ReceiptPrinter
from devices.smartcard.api import BankCardReader
from kiosk.core.clock import Clock
from kiosk.engine.settings import EngineSettings
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
    docprinter: DocumentPrinter | None = None
    doccamera: DocumentCamera | None = None

    def by_name(self) -> dict[str, Any]:
        return {name: dev for name, dev in vars(self).items() if dev is not None}


@dataclass
class Services:
    devices: Devices
    host: HostApi
    journal: Journal
    face: FaceVerifier
    clock: Clock
    settings: EngineSettings
