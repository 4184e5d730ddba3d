"""The bank host: the API client the kiosk uses, and the embedded host simulator (its own process).

The wire protocol is documented in docs/host-api.md; request and result models are in
:mod:`kiosk.host.api`. The names below are loaded on first use: importing a submodule (the simulator's
process, the API models) does not pull in the HTTP client (requests).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.host.client import HostClient
    from kiosk.host.errors import (
        HostError,
        HostIdempotencyConflict,
        HostOutcomeUnknown,
        HostProtocolError,
        HostRejected,
        HostRequestInvalid,
        HostUnavailable,
    )

_WHERE = {"HostClient": "kiosk.host.client", **dict.fromkeys((
    "HostError", "HostIdempotencyConflict", "HostOutcomeUnknown", "HostProtocolError", "HostRejected",
    "HostRequestInvalid", "HostUnavailable"), "kiosk.host.errors")}

__all__ = [
    "HostClient",
    "HostError",
    "HostIdempotencyConflict",
    "HostOutcomeUnknown",
    "HostProtocolError",
    "HostRejected",
    "HostRequestInvalid",
    "HostUnavailable",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
