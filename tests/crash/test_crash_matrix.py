"""Crash at every durable boundary of a flow's happy path, restart on the same journal, device state and host
database, recover before service, and check the invariants (kiosk/app/crash_matrix.py, kiosk/app/invariants.py).

The default run takes a representative subset: a payment (money, nothing to deliver), an account opening (a card
delivered after a posting that cannot be reversed), a paid document (delivered by the A4 printer) and a transfer.
``-m crash`` runs every flow of the catalogue.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import catalogue
from kiosk.app.crash_matrix import happy_path, run_matrix
from kiosk.core.crash import POINTS

REPRESENTATIVE = ("si_payment", "account_opening", "statement_print", "transfer")


def _check(flow_id: str, root: Path) -> None:
    results = run_matrix(flows=[flow_id], jobs=2, keep=root)
    assert results, f"{flow_id}: its happy path passes no crash point"
    assert {r.point for r in results} <= set(POINTS)
    broken = [f"{r.point}:{r.nth}: {'; '.join(r.problems)}" for r in results if not r.ok]
    assert not broken, "\n".join(broken)


@pytest.mark.slow
@pytest.mark.parametrize("flow_id", REPRESENTATIVE)
def test_a_crash_at_any_point_recovers_to_the_invariants(flow_id: str, tmp_path: Path) -> None:
    _check(flow_id, tmp_path)


@pytest.mark.crash
@pytest.mark.parametrize("flow_id", sorted(set(catalogue()) - set(REPRESENTATIVE)))
def test_every_flow_recovers_from_a_crash_at_any_point(flow_id: str, tmp_path: Path) -> None:
    _check(flow_id, tmp_path)


def test_every_flow_has_a_happy_path_to_crash() -> None:
    assert [f for f in catalogue() if happy_path(f) is None] == []
