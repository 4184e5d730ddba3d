"""What the journal keeps of an operation's outcome: the facts, masked, never secrets."""

from __future__ import annotations

import dataclasses
from typing import Any

from devices.api import DeviceError
from kiosk.core.masking import scrub
from kiosk.engine.ops import OpResult
from kiosk.host.errors import HostError, HostRejected

# The fields of each result type the journal keeps (scrubbed); anything else is noted by type only.
_KEEP = {
    "FaceDecision": ("match", "reason", "distance", "threshold", "liveness", "faces"),
    "PrintResult": ("job_id", "paper_low"),
    "DocPrintResult": ("job_id", "pages", "paper_low", "toner_low"),
    "StockCard": ("pan", "expiry"),
    "BankCard": ("pan", "card_type", "aid", "label"),
    "IdCard": ("id_number", "name", "valid_to"),
    "PinBlock": ("key_id", "algorithm"),
    "ScannedCode": ("symbology",),  # never what the code says
}


def describe_result(result: OpResult) -> dict[str, Any]:
    if result.error is not None:
        return describe_error(result.error)
    value = result.value
    if value is None or isinstance(value, bool | int | str):
        return {"ok": True, "value": scrub(value)}
    name = type(value).__name__
    if isinstance(value, dict):
        return {"ok": True, "reply": scrub(value)}
    if dataclasses.is_dataclass(value) and name in _KEEP:
        fields = {f: _plain(getattr(value, f)) for f in _KEEP[name]}
        return {"ok": True, "type": name, "value": scrub(fields)}
    return {"ok": True, "type": name}


def describe_error(error: BaseException) -> dict[str, Any]:
    if isinstance(error, DeviceError):
        return {"ok": False, "device": error.device, "code": error.code.value, "reason": error.reason}
    if isinstance(error, HostRejected):
        return {"ok": False, "host": type(error).__name__, "code": error.code}
    if isinstance(error, HostError):
        return {"ok": False, "host": type(error).__name__}
    return {"ok": False, "error": type(error).__name__}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
