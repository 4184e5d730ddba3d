"""What can go wrong when the kiosk talks to the bank host.

The class says what the kiosk may conclude about the posting:

- :class:`HostUnavailable`: nothing was processed (not reached, or the host answered 503).
- :class:`HostOutcomeUnknown`: the request may have been processed; reconcile with
  ``operations.status`` under the same idempotency key before telling the customer anything.
- :class:`HostRejected`: the host answered and refused (a business refusal, code in ``code``).
- :class:`HostProtocolError`: the host answered something the kiosk cannot trust.
"""

from __future__ import annotations

from typing import Any


class HostError(Exception):
    """Base of every host call failure; carries the operation and its idempotency key."""

    def __init__(self, message: str, op: str, idempotency_key: str) -> None:
        super().__init__(message)
        self.op = op
        self.idempotency_key = idempotency_key


class HostUnavailable(HostError):
    """The host was not reached or said 503 on every attempt: nothing was processed."""


class HostOutcomeUnknown(HostError):
    """At least one attempt may have been processed, but no reply came after all retries."""


class HostRejected(HostError):
    """The host refused the request (HTTP 422): ``code`` is the business reason."""

    def __init__(
        self, op: str, idempotency_key: str, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{op} refused: {code}: {message}", op, idempotency_key)
        self.code = code
        self.message = message
        self.details = details or {}


class HostRequestInvalid(HostRejected):
    """The request itself is malformed (HTTP 400, unknown operation, or refused before sending)."""


class HostIdempotencyConflict(HostRejected):
    """The idempotency key was already used with a different request body (HTTP 409)."""


class HostProtocolError(HostError):
    """The reply is not JSON, echoes another request id, or does not fit the result model."""
