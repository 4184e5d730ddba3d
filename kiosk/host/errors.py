"""What can go wrong when the kiosk talks to the bank host.

The class says what the kiosk may conclude about the posting:

- :class:`HostUnavailable`: nothing was processed (not reached, or the host answered 503).
- :class:`HostOutcomeUnknown`: the request may have been processed; reconcile with
  ``operations.status`` under the same idempotency key before telling the customer anything.
- :class:`HostRejected`: the host answered and refused (a business refusal, code in ``code``).
- :class:`HostProtocolError`: the host answered something the kiosk cannot trust.
"""

from __future__ import annotations

from datetime import datetime
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
        self.details = details if isinstance(details, dict) else {}

    # A refusal's details are JSON of any shape the host sent: a flow reads them through these, so a
    # missing or mistyped detail shows the refusal without its figure instead of failing the session.
    def detail_int(self, name: str, default: int = 0) -> int:
        """The whole-number detail ``name`` (fen, counts); ``default`` when missing or not an integer."""
        value = self.details.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else default

    def detail_text(self, name: str, default: str = "") -> str:
        """The text detail ``name``; ``default`` when missing or not a string."""
        value = self.details.get(name)
        return value if isinstance(value, str) else default

    def detail_time(self, name: str) -> datetime | None:
        """The ISO 8601 moment ``name`` in the kiosk's local time (a naive one is taken as local); None when
        missing or not a moment the kiosk can show (year 1 at +08:00 is before the calendar starts here)."""
        try:
            moment = datetime.fromisoformat(self.detail_text(name))
            return moment.astimezone() if moment.tzinfo is not None else moment
        except (ValueError, OverflowError, OSError):
            return None


class HostRequestInvalid(HostRejected):
    """The request itself is malformed (HTTP 400, unknown operation, or refused before sending)."""


class HostIdempotencyConflict(HostRejected):
    """The idempotency key was already used with a different request body (HTTP 409)."""


class HostProtocolError(HostError):
    """The reply is not JSON, echoes another request id, or does not fit the result model."""
