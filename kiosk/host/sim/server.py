"""The host simulator's HTTP front: ``/v1/ops/<op>``, ``/health`` and the QA endpoints under ``/sim``."""

from __future__ import annotations

import json
import logging
import socket
import struct
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pydantic import BaseModel, ValidationError

from kiosk.core.masking import mask_text
from kiosk.host.api import OPERATIONS, Operation, Request, is_uuid
from kiosk.host.sim.faults import Fault, FaultBoard
from kiosk.host.sim.ledger import Ledger, Origin, Outcome
from kiosk.host.sim.logsafe import safe_payload
from kiosk.host.sim.seed import SeedData
from kiosk.host.sim.simstate import snapshot

log = logging.getLogger("kiosk.host.sim.simulator")

MAX_BODY = 1 << 20
OPS_PREFIX = "/v1/ops/"


class BadRequest(Exception):
    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.details = details


class ClockAdvance(BaseModel):
    advance_s: float


class HostSimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], ledger: Ledger, seed: SeedData) -> None:
        super().__init__(address, HostRequestHandler)
        self.ledger = ledger
        self.seed_data = seed
        self.faults = FaultBoard()

    def reset(self) -> None:
        """Forget faults, clock offset and everything that happened; reseed the demo bank."""
        self.faults.clear()
        self.ledger.clock.reset()
        self.ledger.seed(self.seed_data, reset=True)


class HostRequestHandler(BaseHTTPRequestHandler):
    server: HostSimulatorServer
    server_version = "KioskHostSimulator/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        log.debug("http %s", mask_text(format % args))

    # -- routing --------------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/health":
            self._send_json(200, {"status": "ok", "now": self.server.ledger.clock.now().isoformat()})
        elif self.path == "/sim/state":
            self._send_json(200, self._state())
        elif self.path.startswith("/sim/sms/"):
            self._sms_code(self.path.removeprefix("/sim/sms/"))
        else:
            self._send_json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        try:
            if self.path.startswith(OPS_PREFIX):
                self._operation(self.path.removeprefix(OPS_PREFIX))
            elif self.path == "/sim/faults":
                self.server.faults.add(Fault.model_validate(self._json_body()))
                self._send_json(200, {"ok": True, "faults": self.server.faults.snapshot()})
            elif self.path == "/sim/reset":
                self.server.reset()
                self._send_json(200, {"ok": True})
            elif self.path == "/sim/clock":
                self.server.ledger.clock.advance(ClockAdvance.model_validate(self._json_body()).advance_s)
                self._send_json(200, {"ok": True, "now": self.server.ledger.clock.now().isoformat()})
            else:
                self._send_json(404, {"error": "not_found"})
        except (BadRequest, ValidationError, ValueError) as exc:
            self._send_json(400, {"ok": False, "error": mask_text(str(exc).splitlines()[0])})

    def do_DELETE(self) -> None:  # noqa: N802
        if self.path == "/sim/faults":
            self.server.faults.clear()
            self._send_json(200, {"ok": True})
        else:
            self._send_json(404, {"error": "not_found"})

    # -- the host operations --------------------------------------------------------------------------

    def _operation(self, name: str) -> None:
        started = time.monotonic()
        request_id = self.headers.get("X-Request-Id")
        op = OPERATIONS.get(name)
        try:
            self._raw_body()
        except BadRequest as exc:
            self._send_reply(Outcome.refused(400, "bad_request", str(exc)), request_id)
            return
        if op is None:
            self._send_reply(Outcome.refused(404, "unknown_operation", "no such operation"), request_id)
            return
        fault = self.server.faults.take(name)
        if fault is not None and not self._before_processing(fault, request_id):
            log.info("op=%s fault=%s request_id=%s", name, fault.kind, request_id)
            return
        outcome, key = self._execute(op, request_id)
        log.info("op=%s key=%s kiosk=%s status=%s code=%s ms=%d", name, key, self.headers.get("X-Kiosk-Id"),
                 outcome.http_status, _error_code(outcome), (time.monotonic() - started) * 1000)
        if fault is not None and fault.kind == "drop_reply":
            log.info("op=%s key=%s fault=drop_reply: committed, reply dropped", name, key)
            self._abort_connection()
            return
        self._send_reply(outcome, request_id)

    def _before_processing(self, fault: Fault, request_id: str | None) -> bool:
        """Apply a fault's part that comes before processing; False when the request ends here."""
        if fault.kind == "refuse":
            self._send_reply(Outcome.refused(503, "host_unavailable", "the host is unavailable"), request_id)
            return False
        if fault.kind == "reset":
            self._abort_connection()
            return False
        if fault.kind == "delay":
            time.sleep(fault.delay_s)
        return True

    def _execute(self, op: Operation, request_id: str | None) -> tuple[Outcome, str | None]:
        key = self.headers.get("Idempotency-Key")
        try:
            request = self._parse_request(op, request_id, key)
        except BadRequest as exc:
            return Outcome.refused(400, "bad_request", str(exc), **exc.details), key
        assert key is not None
        log.info("op=%s key=%s request=%s", op.name, key, safe_payload(request.model_dump(mode="json")))
        try:
            origin = Origin(_header(self.headers.get("X-Kiosk-Id")), _header(self.headers.get("X-Session-Id")))
            return self.server.ledger.execute(op, request, key.lower(), origin), key
        except Exception as exc:  # a bug: the transaction was rolled back, nothing was stored
            log.error("op=%s key=%s failed: %s\n%s", op.name, key, mask_text(repr(exc)),
                      "".join(traceback.format_tb(exc.__traceback__)))
            return Outcome.refused(500, "internal_error", "the host failed; nothing was posted"), key

    def _parse_request(self, op: Operation, request_id: str | None, key: str | None) -> Request:
        if not key or not is_uuid(key):
            raise BadRequest("the Idempotency-Key header must be a uuid")
        if not request_id or not is_uuid(request_id):
            raise BadRequest("the X-Request-Id header must be a uuid")
        body = self._json_body()
        try:
            return op.request.model_validate(body)
        except ValidationError as exc:
            errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
                      for e in exc.errors(include_input=False, include_url=False, include_context=False)]
            raise BadRequest("the request body does not fit the operation", errors=errors) from None

    # -- QA ------------------------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        with self.server.ledger.store.transaction() as conn:
            state = snapshot(conn)
        state["now"] = self.server.ledger.clock.now().isoformat()
        state["faults"] = self.server.faults.snapshot()
        return state

    def _sms_code(self, sms_ref: str) -> None:
        with self.server.ledger.store.transaction() as conn:
            row = conn.execute("SELECT code FROM sms WHERE sms_ref = ?", (sms_ref,)).fetchone()
        if row is None:
            self._send_json(404, {"error": "sms_ref_unknown"})
        else:
            self._send_json(200, {"code": row["code"]})

    # -- wire ----------------------------------------------------------------------------------------

    def _raw_body(self) -> bytes:
        """The request body, read once (a reply must not leave unread bytes: closing would reset)."""
        cached: bytes | None = getattr(self, "_body", None)
        if cached is not None:
            return cached
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise BadRequest("the Content-Length header is not a number") from None
        if not 0 <= length <= MAX_BODY:
            raise BadRequest("the body is too large")
        self._body = self.rfile.read(length)
        return self._body

    def _json_body(self) -> Any:
        raw = self._raw_body()
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BadRequest("the body is not JSON") from None
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object")
        return body

    def _send_reply(self, outcome: Outcome, request_id: str | None) -> None:
        headers = {"X-Request-Id": request_id} if request_id else {}
        self._send_json(outcome.http_status, {"request_id": request_id, **outcome.body}, headers)

    def _send_json(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            log.info("the client left before the reply (status %s)", status)

    def _abort_connection(self) -> None:
        """Close the TCP connection with a reset and without a reply."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.connection.close()


def _header(value: str | None) -> str | None:
    """A kiosk or session id header as stored with a posting: at most 64 characters, masked like a log line."""
    return mask_text(value.strip())[:64] if value and value.strip() else None


def _error_code(outcome: Outcome) -> str:
    error = outcome.body.get("error")
    return str(error["code"]) if error else "-"
