"""The bank host: the API client the kiosk uses, and the embedded host simulator (its own process).

The wire protocol is documented in docs/host-api.md; request and result models are in
:mod:`kiosk.host.api`.
"""

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
