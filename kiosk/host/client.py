"""The bank host API client: one generic call by operation name, exactly-once friendly.

Every call carries an idempotency key chosen by the caller (the engine journals it first).
Retries reuse that key, so the host posts at most once; the error class tells the caller what
it may conclude (kiosk/host/errors.py). Logs carry the operation, key and request id only.

``requests`` (about 0.1 s to import) is loaded with the first call, not with this module: the kiosk
builds its client before the first screen and makes its first call after it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from devices.pinpad.api import PinBlock
from kiosk.host.api import OPERATIONS, Operation, Reply, Request, Result, is_uuid
from kiosk.host.errors import (
    HostIdempotencyConflict,
    HostOutcomeUnknown,
    HostProtocolError,
    HostRejected,
    HostRequestInvalid,
    HostUnavailable,
)

if TYPE_CHECKING:
    import requests

log = logging.getLogger("kiosk.host.client")


class _Retry(Exception):
    """One attempt got no usable reply; ``maybe_processed`` unless it surely never reached the host."""

    def __init__(self, maybe_processed: bool, reason: str) -> None:
        super().__init__(reason)
        self.maybe_processed = maybe_processed
        self.reason = reason


def _never_sent(exc: requests.exceptions.ConnectionError) -> bool:
    from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

    cause = exc.args[0] if exc.args else None
    return isinstance(cause, MaxRetryError) and isinstance(cause.reason, NewConnectionError | ConnectTimeoutError)


def wire_payload(payload: Mapping[str, Any], operation: Operation) -> dict[str, Any]:
    """The payload as the wire has it: a :class:`PinBlock` becomes its hex ciphertext, and the request's
    ``key_id`` (when it has one and the caller gave none) is the working key of the first PIN block."""
    wire = {name: value.ciphertext.hex().upper() if isinstance(value, PinBlock) else value
            for name, value in payload.items()}
    blocks = [value for value in payload.values() if isinstance(value, PinBlock)]
    if blocks and "key_id" in operation.request.model_fields and wire.get("key_id") is None:
        wire["key_id"] = blocks[0].key_id
    return wire


def _validation_details(exc: ValidationError) -> dict[str, Any]:
    errors = exc.errors(include_input=False, include_url=False, include_context=False)
    return {"errors": [{"loc": list(e["loc"]), "msg": e["msg"]} for e in errors]}


class HostClient:
    def __init__(
        self,
        base_url: str | Callable[[], str],
        kiosk_id: str,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        retries: int = 2,
        retry_backoff: float = 0.2,
        verify: bool | str = True,
        client_cert: tuple[str, str] | None = None,
    ) -> None:
        # A callable: the address is known later (a host simulator still starting); asked on first use.
        self._base_url: str | None = None if callable(base_url) else base_url.rstrip("/")
        self._find_url = base_url if callable(base_url) else None
        self.kiosk_id = kiosk_id
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self.retry_backoff = retry_backoff
        self._verify = verify  # True, or the path of the bank's CA bundle
        self._client_cert = client_cert  # (certificate file, key file)
        self._http: requests.Session | None = None
        self._http_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """The host's address; when it was given as a callable, asked once (raises HostUnavailable if it fails)."""
        with self._http_lock:
            if self._base_url is None:
                assert self._find_url is not None
                try:
                    self._base_url = self._find_url().rstrip("/")
                except Exception as exc:
                    raise HostUnavailable(f"the host is not reachable: {exc}", "", "") from exc
            return self._base_url

    @property
    def _session(self) -> requests.Session:
        """The HTTP session, made on first use."""
        with self._http_lock:
            if self._http is None:
                import requests
                from requests.adapters import HTTPAdapter

                session = requests.Session()
                adapter = HTTPAdapter(max_retries=0)  # the only retries are ours, with the same idempotency key
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                session.verify = self._verify
                if self._client_cert is not None:
                    session.cert = self._client_cert
                self._http = session
            return self._http

    def warm(self) -> None:
        """Find the host and make the HTTP session now (off the UI thread), not with the first call."""
        self.base_url  # noqa: B018
        self._session  # noqa: B018

    def call(self, op: str, payload: Mapping[str, Any], idempotency_key: str, session_id: str) -> dict[str, Any]:
        """Run host operation ``op``; the validated result as JSON-ready data. Raises a HostError.

        PIN blocks go in the payload as :class:`PinBlock` objects; the client hex-encodes them."""
        return self.call_result(op, payload, idempotency_key, session_id).model_dump(mode="json")

    def call_result(self, op: str, payload: Mapping[str, Any], idempotency_key: str, session_id: str) -> Result:
        """Like :meth:`call`, but the result model (``kiosk.host.api.OPERATIONS[op].result``)."""
        operation, request = self._request(op, payload, idempotency_key)
        body = json.dumps(request.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")
        maybe_processed, reason = False, ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.retry_backoff * 2 ** (attempt - 1))
            try:
                return self._attempt(operation, body, idempotency_key, session_id, attempt)
            except _Retry as failed:
                maybe_processed |= failed.maybe_processed
                reason = failed.reason
                log.warning("host %s key=%s attempt %d failed: %s", op, idempotency_key, attempt + 1, reason)
        error = HostOutcomeUnknown if maybe_processed else HostUnavailable
        raise error(f"{op}: no reply after {self.retries + 1} attempts ({reason})", op, idempotency_key)

    def health(self) -> bool:
        import requests

        try:
            return self._session.get(f"{self.base_url}/health", timeout=self.timeout).status_code == 200
        except (requests.RequestException, HostUnavailable):
            return False

    def close(self) -> None:
        with self._http_lock:
            if self._http is not None:
                self._http.close()

    def __enter__(self) -> HostClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @staticmethod
    def _request(op: str, payload: Mapping[str, Any], key: str) -> tuple[Operation, Request]:
        operation = OPERATIONS.get(op)
        if operation is None:
            raise HostRequestInvalid(op, key, "unknown_operation", f"no host operation {op!r}")
        if not is_uuid(key):
            raise HostRequestInvalid(op, key, "bad_request", "the idempotency key must be a uuid")
        try:
            return operation, operation.request.model_validate(wire_payload(payload, operation))
        except ValidationError as exc:
            raise HostRequestInvalid(op, key, "bad_request", "the request does not fit the operation",
                                     _validation_details(exc)) from None

    def _attempt(self, operation: Operation, body: bytes, key: str, session_id: str, attempt: int) -> Result:
        import requests

        request_id = str(uuid.uuid4())
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key,
                   "X-Request-Id": request_id, "X-Kiosk-Id": self.kiosk_id, "X-Session-Id": session_id}
        try:
            base_url = self.base_url
        except HostUnavailable as exc:
            raise HostUnavailable(str(exc), operation.name, key) from exc.__cause__
        started = time.monotonic()
        try:
            response = self._session.post(f"{base_url}/v1/ops/{operation.name}", data=body, headers=headers,
                                          timeout=self.timeout)
        except requests.exceptions.SSLError as exc:
            raise HostUnavailable(f"{operation.name}: TLS failed: {exc}", operation.name, key) from None
        except requests.exceptions.ConnectTimeout:
            raise _Retry(False, "connect timeout") from None
        except requests.exceptions.ReadTimeout:
            raise _Retry(True, "read timeout") from None
        except requests.exceptions.ConnectionError as exc:
            raise _Retry(not _never_sent(exc), "connection failed" if _never_sent(exc) else "connection lost") from None
        except requests.exceptions.ChunkedEncodingError:
            raise _Retry(True, "reply cut off") from None
        log.info("host %s key=%s request_id=%s attempt=%d -> HTTP %d in %d ms", operation.name, key, request_id,
                 attempt + 1, response.status_code, (time.monotonic() - started) * 1000)
        return self._reply(operation, response, request_id, key)

    def _reply(self, operation: Operation, response: requests.Response, request_id: str, key: str) -> Result:
        op, status = operation.name, response.status_code
        if status == 503:
            raise _Retry(False, "host unavailable (503)")
        if status in (502, 504):
            raise _Retry(True, f"gateway error ({status})")
        reply = self._envelope(response, request_id, op, key)
        if status == 200 and reply.ok and reply.result is not None:
            try:
                return operation.result.model_validate(reply.result)
            except ValidationError as exc:
                raise HostProtocolError(f"{op}: the result does not fit its model: {exc.error_count()} errors",
                                        op, key) from None
        error = reply.error
        if reply.ok or error is None:
            raise HostProtocolError(f"{op}: HTTP {status} with an inconsistent reply", op, key)
        rejected = {422: HostRejected, 409: HostIdempotencyConflict, 400: HostRequestInvalid,
                    404: HostRequestInvalid}.get(status)
        if rejected is None:
            raise HostProtocolError(f"{op}: unexpected HTTP {status} ({error.code})", op, key)
        raise rejected(op, key, error.code, error.message, error.details)

    @staticmethod
    def _envelope(response: requests.Response, request_id: str, op: str, key: str) -> Reply:
        try:
            reply = Reply.model_validate(response.json())
        except (ValueError, ValidationError, RecursionError):  # RecursionError: JSON nested a thousand deep
            raise HostProtocolError(f"{op}: HTTP {response.status_code} reply is not the JSON envelope", op,
                                    key) from None
        if reply.request_id != request_id:
            raise HostProtocolError(f"{op}: the reply belongs to another request", op, key)
        return reply
