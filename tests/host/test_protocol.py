"""The wire: malformed requests, headers, and replies the client must not trust."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from kiosk.host.client import HostClient
from kiosk.host.errors import (
    HostOutcomeUnknown,
    HostProtocolError,
    HostRejected,
    HostRequestInvalid,
    HostUnavailable,
)
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import ZHANG_ID, SimControl, call, new_key

LOOKUP = {"id_number": ZHANG_ID}


def _post(base_url: str, op: str, body: Any, **headers: str) -> requests.Response:
    sent = {"Idempotency-Key": new_key(), "X-Request-Id": new_key(), **headers}
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(f"{base_url}/v1/ops/{op}", data=data, headers=sent, timeout=5)


def test_reply_envelope_and_request_id_echo(simulator: HostSimulatorProcess, sim: SimControl) -> None:
    request_id = new_key()
    response = _post(simulator.base_url, "customers.lookup", LOOKUP, **{"X-Request-Id": request_id})
    assert response.status_code == 200
    assert response.headers["X-Request-Id"] == request_id
    assert response.json()["request_id"] == request_id
    assert response.json()["ok"] is True


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        (LOOKUP, {"Idempotency-Key": ""}, 400, "bad_request"),
        (LOOKUP, {"Idempotency-Key": "not-a-uuid"}, 400, "bad_request"),
        (b"{not json", {}, 400, "bad_request"),
        ([1, 2], {}, 400, "bad_request"),
        ({"id_number": "12345"}, {}, 400, "bad_request"),
        ({**LOOKUP, "extra": 1}, {}, 400, "bad_request"),
    ],
)
def test_malformed_requests(simulator: HostSimulatorProcess, sim: SimControl, body: Any, headers: dict[str, str],
                            status: int, code: str) -> None:
    response = _post(simulator.base_url, "customers.lookup", body, **headers)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_validation_errors_do_not_echo_values(simulator: HostSimulatorProcess, sim: SimControl) -> None:
    response = _post(simulator.base_url, "si.pay", {"id_number": ZHANG_ID, "amount_fen": "100"})
    assert response.status_code == 400
    assert ZHANG_ID not in response.text
    locations = {tuple(e["loc"]) for e in response.json()["error"]["details"]["errors"]}
    assert ("amount_fen",) in locations


def test_money_must_be_integer_fen(simulator: HostSimulatorProcess, sim: SimControl) -> None:
    body = {"id_number": ZHANG_ID, "bill_ids": ["SI000001"], "amount_fen": 1128.00, "pan": "6228480402564890018",
            "pin_block": "00" * 16, "key_id": "TPK-DEMO-01"}
    assert _post(simulator.base_url, "si.pay", body).status_code == 400


def test_unknown_operation(simulator: HostSimulatorProcess, sim: SimControl) -> None:
    response = _post(simulator.base_url, "accounts.no_such_operation", {})
    assert (response.status_code, response.json()["error"]["code"]) == (404, "unknown_operation")


def test_health(simulator: HostSimulatorProcess, client: HostClient) -> None:
    assert client.health() is True
    assert requests.get(f"{simulator.base_url}/health", timeout=5).json()["status"] == "ok"


def test_client_refuses_bad_requests_before_sending(client: HostClient) -> None:
    with pytest.raises(HostRequestInvalid) as unknown:
        call(client, "accounts.no_such_operation", {})
    assert unknown.value.code == "unknown_operation"
    with pytest.raises(HostRequestInvalid) as invalid:
        call(client, "customers.lookup", {"id_number": "12345"})
    assert invalid.value.code == "bad_request"
    with pytest.raises(HostRequestInvalid):
        client.call("customers.lookup", LOOKUP, "not-a-uuid", "S-TEST")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_nothing_listening_is_unavailable() -> None:
    with HostClient(f"http://127.0.0.1:{_free_port()}", "K", connect_timeout=0.5, retries=1,
                    retry_backoff=0.01) as host, pytest.raises(HostUnavailable):
        host.call("customers.lookup", LOOKUP, new_key(), "S-TEST")


def test_an_address_given_later_is_asked_once_on_first_use(simulator: HostSimulatorProcess, sim: SimControl) -> None:
    asked: list[int] = []

    def address() -> str:  # a host simulator still starting: kiosk.app.host_start hands over its wait_ready
        asked.append(1)
        return simulator.base_url

    with HostClient(address, "K", retries=0) as host:
        assert asked == []  # making the client does not wait for the host
        assert host.call("customers.lookup", LOOKUP, new_key(), "S-TEST")["known"] is True
        assert host.health()
        assert asked == [1]


def test_a_host_that_never_came_up_is_unavailable_on_each_call() -> None:
    def address() -> str:
        raise RuntimeError("the host simulator exited with code 2")

    with HostClient(address, "K", retries=0) as host:
        with pytest.raises(HostUnavailable, match="exited with code 2") as raised:
            host.call("customers.lookup", LOOKUP, new_key(), "S-TEST")
        assert raised.value.op == "customers.lookup"
        assert not host.health()


# -- a stub host that answers badly ---------------------------------------------------------------------

Answer = Callable[[str], tuple[int, bytes]]  # request id -> (status, body)


class StubHost(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _StubHandler)
        self.answer: Answer = lambda rid: (500, b"")
        self.seen: list[dict[str, str]] = []
        self.client = HostClient(f"http://127.0.0.1:{self.server_address[1]}", "K", retries=1, retry_backoff=0.01)


class _StubHandler(BaseHTTPRequestHandler):
    server: StubHost

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append(dict(self.headers))
        status, body = self.server.answer(self.headers["X-Request-Id"])
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def stub() -> Iterator[StubHost]:
    server = StubHost()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.client.close()
    server.shutdown()
    server.server_close()
    thread.join(timeout=2)


def _json(status: int, body: dict[str, Any]) -> tuple[int, bytes]:
    return status, json.dumps(body).encode()


GOOD_RESULT = {"known": False, "customer_id": None, "name_masked": None, "has_class1_account": False}


@pytest.mark.parametrize(
    "answer",
    [
        lambda rid: (200, b"<html>gateway</html>"),
        lambda rid: _json(200, {"request_id": new_key(), "ok": True, "result": GOOD_RESULT}),
        lambda rid: _json(200, {"request_id": None, "ok": True, "result": GOOD_RESULT}),
        lambda rid: _json(200, {"request_id": rid, "ok": True, "result": {"known": "perhaps"}}),
        lambda rid: _json(200, {"request_id": rid, "ok": True}),
        lambda rid: _json(200, {"request_id": rid, "ok": False}),
        lambda rid: _json(500, {"request_id": rid, "ok": False, "error": {"code": "x", "message": "y"}}),
        lambda rid: _json(422, {"request_id": new_key(), "ok": False, "error": {"code": "x", "message": "y"}}),
    ],
    ids=["not-json", "other-request-id", "no-request-id", "result-fails-model", "no-result", "no-error",
         "http-500", "refusal-for-another-request"],
)
def test_untrustworthy_replies_are_protocol_errors(stub: StubHost, answer: Answer) -> None:
    stub.answer = answer
    with pytest.raises(HostProtocolError):
        stub.client.call("customers.lookup", LOOKUP, new_key(), "S-TEST")


def test_stub_good_reply_and_refusal(stub: StubHost) -> None:
    stub.answer = lambda rid: _json(200, {"request_id": rid, "ok": True, "result": {**GOOD_RESULT, "new": 1}})
    assert stub.client.call("customers.lookup", LOOKUP, new_key(), "S-TEST") == GOOD_RESULT
    stub.answer = lambda rid: _json(422, {"request_id": rid, "ok": False,
                                          "error": {"code": "card_lost", "message": "lost", "details": {"a": 1}}})
    with pytest.raises(HostRejected) as refused:
        stub.client.call("customers.lookup", LOOKUP, new_key(), "S-TEST")
    assert (refused.value.code, refused.value.details) == ("card_lost", {"a": 1})


def test_gateway_timeout_is_outcome_unknown(stub: StubHost) -> None:
    stub.answer = lambda rid: (504, b"gateway timeout")
    with pytest.raises(HostOutcomeUnknown):
        stub.client.call("customers.lookup", LOOKUP, new_key(), "S-TEST")
    assert len(stub.seen) == 2


def test_retries_reuse_the_key_with_fresh_request_ids(stub: StubHost) -> None:
    statuses = iter([503, 200])

    def answer(rid: str) -> tuple[int, bytes]:
        status = next(statuses)
        return _json(status, {"request_id": rid, "ok": status == 200, "result": GOOD_RESULT})

    stub.answer = answer
    key = new_key()
    assert stub.client.call("customers.lookup", LOOKUP, key, "S-7")["known"] is False
    assert [h["Idempotency-Key"] for h in stub.seen] == [key, key]
    assert len({h["X-Request-Id"] for h in stub.seen}) == 2
    assert {(h["X-Kiosk-Id"], h["X-Session-Id"]) for h in stub.seen} == {("K", "S-7")}


def test_https_to_a_plain_http_host_fails_without_retrying(simulator: HostSimulatorProcess, sim: SimControl) -> None:
    tls_url = simulator.base_url.replace("http://", "https://")
    with HostClient(tls_url, "K", retries=2, retry_backoff=5.0) as host:
        attempts = []
        attempt = host._attempt
        host._attempt = lambda *args: attempts.append(args[-1]) or attempt(*args)
        with pytest.raises(HostUnavailable, match="TLS"):
            host.call("customers.lookup", LOOKUP, new_key(), "S-TEST")
    assert attempts == [0]  # no retry
