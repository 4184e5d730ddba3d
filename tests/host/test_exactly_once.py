"""Exactly once: idempotent replays, key conflicts, concurrent duplicates and injected faults."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostIdempotencyConflict, HostOutcomeUnknown, HostRejected, HostUnavailable
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import ZHANG_ID, ZHANG_PAN, SimControl, call, new_key, pay_payload

PAY = pay_payload(["SI000001"], 112800)


def _postings(sim: SimControl, key: str) -> list[dict[str, object]]:
    return [p for p in sim.state()["postings"] if p["idempotency_key"] == key]


def _assert_paid_once(sim: SimControl, key: str) -> None:
    state = sim.state()
    postings = [p for p in state["postings"] if p["idempotency_key"] == key]
    assert [(p["op"], p["status"], p["amount_fen"]) for p in postings] == [("si.pay", "committed", 112800)]
    assert [p["idempotency_key"] for p in state["payments"]] == [key]
    assert sim.balance(ZHANG_PAN) == 500000 - 112800


@pytest.fixture
def impatient(simulator: HostSimulatorProcess, sim: SimControl) -> Iterator[HostClient]:
    """A client that gives up reading after half a second."""
    with HostClient(simulator.base_url, "KIOSK-T2", connect_timeout=1.0, read_timeout=0.5, retries=2,
                    retry_backoff=0.05) as host:
        yield host


@pytest.fixture
def single_shot(simulator: HostSimulatorProcess, sim: SimControl) -> Iterator[HostClient]:
    with HostClient(simulator.base_url, "KIOSK-T3", retries=0) as host:
        yield host


def test_same_key_replays_the_stored_reply(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    first = call(client, "si.pay", PAY, key)
    assert call(client, "si.pay", PAY, key) == first
    _assert_paid_once(sim, key)


def test_stored_refusal_is_replayed_without_another_try(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    wrong = pay_payload(["SI000001"], 112800, pin="000000")
    for _ in range(3):
        with pytest.raises(HostRejected) as refused:
            call(client, "si.pay", wrong, key)
        assert refused.value.details == {"tries_left": 2}
    assert [c["pin_wrong"] for c in sim.state()["cards"] if c["card_ref"] == "K00000001"] == [1]


def test_same_key_other_body_conflicts(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    call(client, "si.pay", PAY, key)
    with pytest.raises(HostIdempotencyConflict) as conflict:
        call(client, "si.pay", pay_payload(["SI000002"], 38000), key)
    assert conflict.value.code == "idempotency_conflict"
    with pytest.raises(HostIdempotencyConflict):
        call(client, "cards.report_loss", {"id_number": ZHANG_ID, "card_ref": "K00000001", "kind": "verbal"}, key)
    _assert_paid_once(sim, key)


def test_concurrent_duplicates_post_once(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    sim.fault("delay", op="si.pay", times=1, delay_s=0.3)  # the first one is slow to arrive
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(pool.map(lambda _: call(client, "si.pay", PAY, key), range(6)))
    assert all(reply == replies[0] for reply in replies)
    time.sleep(0.1)
    _assert_paid_once(sim, key)


def test_refuse_means_unavailable_and_nothing_posted(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    sim.fault("refuse", op="si.pay", times=-1)
    with pytest.raises(HostUnavailable) as unavailable:
        call(client, "si.pay", PAY, key)
    assert (unavailable.value.op, unavailable.value.idempotency_key) == ("si.pay", key)
    assert sim.state()["postings"] == []
    assert sim.balance(ZHANG_PAN) == 500000


def test_refuse_once_then_the_retry_posts(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    sim.fault("refuse", op="*", times=1)
    call(client, "si.pay", PAY, key)
    _assert_paid_once(sim, key)


def test_delay_beyond_read_timeout_retries_with_the_same_key(impatient: HostClient, sim: SimControl) -> None:
    key = new_key()
    sim.fault("delay", op="si.pay", times=1, delay_s=1.2)
    paid = call(impatient, "si.pay", PAY, key)
    time.sleep(1.0)  # let the delayed first attempt wake up, find the posting and replay it
    _assert_paid_once(sim, key)
    status = call(impatient, "operations.status", {"idempotency_key": key})
    assert status["reply"] == {"ok": True, "result": paid}


def test_delay_within_read_timeout_is_just_slow(client: HostClient, sim: SimControl) -> None:
    sim.fault("delay", op="customers.lookup", times=1, delay_s=0.3)
    attempts = []
    attempt = client._attempt
    client._attempt = lambda *args: attempts.append(args[-1]) or attempt(*args)
    assert call(client, "customers.lookup", {"id_number": ZHANG_ID})["known"] is True
    assert attempts == [0]  # answered on the first attempt, late: no retry


def test_reset_once_then_the_retry_succeeds(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    sim.fault("reset", op="si.pay", times=1)
    call(client, "si.pay", PAY, key)
    _assert_paid_once(sim, key)


def test_reset_every_time_leaves_the_outcome_unknown(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    sim.fault("reset", op="si.pay", times=-1)
    with pytest.raises(HostOutcomeUnknown):
        call(client, "si.pay", PAY, key)
    sim.clear_faults()
    assert call(client, "operations.status", {"idempotency_key": key})["found"] is False
    assert sim.balance(ZHANG_PAN) == 500000


def test_drop_reply_then_the_retry_replays(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    sim.fault("drop_reply", op="si.pay", times=1)
    paid = call(client, "si.pay", PAY, key)
    assert paid["debited_fen"] == 112800
    _assert_paid_once(sim, key)


def test_dropped_reply_is_reconciled_by_status(single_shot: HostClient, sim: SimControl) -> None:
    key = new_key()
    sim.fault("drop_reply", op="si.pay", times=1)
    with pytest.raises(HostOutcomeUnknown) as unknown:
        call(single_shot, "si.pay", PAY, key)
    assert unknown.value.idempotency_key == key
    status = call(single_shot, "operations.status", {"idempotency_key": key})
    assert (status["found"], status["op"], status["status"]) == (True, "si.pay", "committed")
    assert call(single_shot, "si.pay", PAY, key) == status["reply"]["result"]
    _assert_paid_once(sim, key)


def test_faults_apply_to_their_operation_only(client: HostClient, sim: SimControl) -> None:
    sim.fault("refuse", op="si.pay", times=-1)
    assert call(client, "customers.lookup", {"id_number": ZHANG_ID})["known"] is True
    assert sim.state()["faults"] == [{"op": "si.pay", "kind": "refuse", "times": -1, "delay_s": 0.0}]
    sim.clear_faults()
    assert sim.state()["faults"] == []
