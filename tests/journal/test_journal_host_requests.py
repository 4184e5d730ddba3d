from __future__ import annotations

import itertools

import pytest

from kiosk.journal import HostStatus, Journal, JournalError

from .conftest import open_demo_session

FINAL = [s for s in HostStatus if s not in (HostStatus.SENT, HostStatus.UNKNOWN)]
RECONCILED = [HostStatus.RECONCILED_COMMITTED, HostStatus.RECONCILED_ABSENT]


def _allowed(current: HostStatus, new: HostStatus) -> bool:
    if current is HostStatus.SENT:
        return new is not HostStatus.SENT
    return current is HostStatus.UNKNOWN and new in RECONCILED


def _request_in(journal: Journal, status: HostStatus) -> str:
    key = f"key-{status}"
    journal.host_request_started(key, open_demo_session(journal), "payments.social_insurance", posting=True,
                                 amount_fen=150000)
    if status is HostStatus.UNKNOWN or status in FINAL:
        journal.host_request_finished(key, HostStatus.UNKNOWN if status in RECONCILED else status)
    if status in RECONCILED:
        journal.host_request_finished(key, status)
    return key


@pytest.mark.parametrize(("current", "new"), list(itertools.product(HostStatus, HostStatus)))
def test_a_status_only_moves_forward(journal: Journal, current: HostStatus, new: HostStatus) -> None:
    key = _request_in(journal, current)
    request = journal.host_request(key)
    assert request is not None
    assert request.status is current
    if _allowed(current, new):
        journal.host_request_finished(key, new)
        assert journal.host_request(key).status is new  # type: ignore[union-attr]
    else:
        with pytest.raises(JournalError, match="cannot move"):
            journal.host_request_finished(key, new)
        assert journal.host_request(key).status is current  # type: ignore[union-attr]


def test_a_request_is_recorded_with_its_key(journal: Journal) -> None:
    session_id = open_demo_session(journal)
    journal.host_request_started("k1", session_id, "cards.report_loss", posting=False, detail={"kind": "formal"})
    journal.host_request_finished("k1", "committed", {"host_ref": "H123"})
    [request] = journal.host_requests(session_id)
    assert (request.idempotency_key, request.op, request.posting, request.amount_fen) == (
        "k1", "cards.report_loss", False, None)
    assert request.status is HostStatus.COMMITTED
    assert request.finished_at is not None
    assert request.detail == {"kind": "formal", "host_ref": "H123"}


def test_a_key_is_journaled_once(journal: Journal) -> None:
    journal.host_request_started("k1", None, "accounts.open", posting=False)
    with pytest.raises(JournalError, match="already journaled"):
        journal.host_request_started("k1", None, "accounts.open", posting=False)


def test_unknown_keys_and_sessions_are_refused(journal: Journal) -> None:
    with pytest.raises(JournalError, match="unknown"):
        journal.host_request_finished("nope", "committed")
    with pytest.raises(JournalError, match="unknown"):
        journal.host_request_started("k2", "no-such-session", "accounts.open", posting=False)
    with pytest.raises(ValueError, match="maybe"):
        journal.host_request_finished("nope", "maybe")


@pytest.mark.parametrize("amount", [1.5, "100", True])
def test_an_amount_is_whole_fen(journal: Journal, amount: object) -> None:
    with pytest.raises(TypeError):
        journal.host_request_started("k3", None, "payments.x", posting=True, amount_fen=amount)  # type: ignore[arg-type]


def test_unfinished_requests_are_sent_or_unknown(journal: Journal) -> None:
    keys = {status: _request_in(journal, status) for status in HostStatus}
    unfinished = journal.unfinished_host_requests()
    assert [r.idempotency_key for r in unfinished] == [keys[HostStatus.SENT], keys[HostStatus.UNKNOWN]]
    assert all(r.status.needs_reconciliation for r in unfinished)
