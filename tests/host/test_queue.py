"""The branch's queue (取号) on the host simulator, over HTTP: the waits, the businesses with their queues, a
number taken once, the priority queue from the ID number's birth date, one waiting number per person and
business, the queues moving on with the simulator's clock, and each refusal with nothing issued."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import LI_ID, ZHANG_ID, SimControl, new_key

SEEDED_WAITING = {"A": 6, "B": 2, "C": 2, "D": 2, "E": 1, "V": 1}  # people.toml's queue_queue, with 李秀英's C003


def status(client: HostClient) -> dict[str, Any]:
    return client.call("queue.status", {}, new_key(), "s1")


def board(client: HostClient) -> dict[str, Any]:
    return client.call("queue.board", {}, new_key(), "s1")


def take(client: HostClient, business: str, id_number: str | None = None, key: str | None = None) -> dict[str, Any]:
    body = {"business": business, **({"id_number": id_number} if id_number else {})}
    return client.call("queue.take", body, key or new_key(), "s1")


def refused(client: HostClient, business: str, id_number: str | None = None) -> HostRejected:
    with pytest.raises(HostRejected) as caught:
        take(client, business, id_number)
    return caught.value


def waiting(client: HostClient) -> dict[str, int]:
    """People waiting in each queue, by its letter."""
    reply = board(client)
    queues = {b["queue"]: b["waiting"] for b in reply["businesses"]}
    return {**queues, reply["priority_queue"]: reply["priority_waiting"]}


@pytest.fixture
def writable(simulator: HostSimulatorProcess) -> Iterator[sqlite3.Connection]:
    """The simulator's database, to close a queue as the branch's staff would."""
    conn = sqlite3.connect(Path(simulator.db_path), timeout=10, isolation_level=None)
    yield conn
    conn.close()


def test_the_home_line_counts_everyone_waiting_and_the_longest_wait(client: HostClient) -> None:
    reply = status(client)
    assert reply["waiting"] == sum(SEEDED_WAITING.values()) == 14
    assert reply["longest_wait_minutes"] == 24  # A: 6 x 4 min, D: 2 x 12 min


def test_the_board_lists_each_business_with_its_queue_and_wait(client: HostClient) -> None:
    reply = board(client)
    shown = [(b["code"], b["queue"], b["waiting"], b["wait_minutes"], b["open"], b["priority"])
             for b in reply["businesses"]]
    assert shown == [("cash_large", "A", 6, 24, True, True), ("foreign_cash", "B", 2, 12, True, True),
                     ("safe_box", "C", 2, 20, True, False), ("corporate", "D", 2, 24, True, False),
                     ("wealth_advice", "E", 1, 15, True, False)]
    assert (reply["priority_queue"], reply["priority_open"], reply["priority_waiting"],
            reply["priority_wait_minutes"], reply["priority_age"]) == ("V", True, 1, 4, 60)
    assert reply["businesses"][0]["name"] == "大额现金存取"


def test_a_number_is_the_next_of_its_queue_with_the_people_ahead_and_the_wait(client: HostClient) -> None:
    first = take(client, "cash_large")
    assert (first["ticket_no"], first["queue"], first["priority"], first["ahead"], first["wait_minutes"]) == (
        "A012", "A", False, 6, 24)
    assert (first["business_name"], first["queue_name"], first["avg_minutes"]) == ("大额现金存取", "个人业务", "4")
    second = take(client, "cash_large")
    assert (second["ticket_no"], second["ahead"], second["wait_minutes"]) == ("A013", 7, 28)
    assert waiting(client)["A"] == 8
    assert status(client)["waiting"] == 16


def test_a_number_is_issued_once_under_one_key(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    first = take(client, "corporate", key=key)
    again = take(client, "corporate", key=key)  # a retry replays the number
    assert again == first
    assert waiting(client)["D"] == 3
    assert [p["op"] for p in sim.state()["postings"]] == ["queue.take"]


def test_a_customer_of_60_or_more_gets_the_priority_queue(client: HostClient) -> None:
    ticket = take(client, "foreign_cash", LI_ID)  # 李秀英, born 1950
    assert (ticket["ticket_no"], ticket["queue"], ticket["priority"], ticket["ahead"], ticket["wait_minutes"]) == (
        "V004", "V", True, 1, 4)
    assert ticket["business"] == "foreign_cash"
    assert ticket["queue_name_en"] == "Priority (60 and over)"


def test_a_business_without_priority_gives_a_senior_its_own_queue(client: HostClient) -> None:
    ticket = take(client, "wealth_advice", LI_ID)
    assert (ticket["ticket_no"], ticket["priority"]) == ("E003", False)


def test_a_customer_under_60_gets_the_business_queue_even_with_the_id_card(client: HostClient) -> None:
    ticket = take(client, "cash_large", ZHANG_ID)  # 张伟, born 1985
    assert (ticket["ticket_no"], ticket["priority"]) == ("A012", False)


def test_one_waiting_number_a_person_and_business(client: HostClient) -> None:
    error = refused(client, "safe_box", LI_ID)  # seeded: she holds C003, C002 before her
    assert (error.code, error.details) == ("already_waiting", {
        "ticket_no": "C003", "ahead": 1, "business": "保管箱", "business_en": "Safe deposit box"})
    assert waiting(client)["C"] == 2  # nothing issued
    take(client, "cash_large", LI_ID)  # another business is another number
    with pytest.raises(HostRejected):
        take(client, "cash_large", LI_ID)
    assert take(client, "cash_large")["ticket_no"] == "A012"  # without the ID card nobody is recognised


def test_the_queues_move_on_with_the_simulator_clock(client: HostClient, sim: SimControl) -> None:
    sim.advance(4 * 60 + 5)  # A and V call one number each (every 4 min)
    now = waiting(client)
    assert (now["A"], now["V"], now["B"]) == (5, 0, 2)
    sim.advance(20 * 60)  # C (10 min): C002 and 李秀英's C003 are called by now
    assert waiting(client)["C"] == 0
    assert take(client, "safe_box", LI_ID)["ticket_no"] == "C004"  # called: she may take another
    sim.advance(3 * 3600)
    assert status(client)["waiting"] == 0
    alone = take(client, "foreign_cash")
    assert (alone["ahead"], alone["wait_minutes"]) == (0, 0)
    assert status(client)["waiting"] == 0  # an idle counter calls the number at once


def test_an_unknown_business_is_refused(client: HostClient) -> None:
    assert refused(client, "mortgage").code == "business_unknown"


def test_a_closed_queue_issues_no_number(client: HostClient, writable: sqlite3.Connection) -> None:
    writable.execute("UPDATE queue_queues SET open = 0 WHERE prefix = 'D'")
    corporate = next(b for b in board(client)["businesses"] if b["code"] == "corporate")
    assert not corporate["open"]
    error = refused(client, "corporate")
    assert (error.code, error.details) == ("queue_closed", {"business": "对公业务", "business_en": "Corporate business"})
    assert waiting(client)["D"] == 2
    assert status(client)["longest_wait_minutes"] == 24  # a closed queue's wait is nobody's


def test_a_closed_priority_queue_gives_a_senior_the_business_queue(client: HostClient,
                                                                    writable: sqlite3.Connection) -> None:
    writable.execute("UPDATE queue_queues SET open = 0 WHERE priority = 1")
    assert board(client)["priority_open"] is False
    ticket = take(client, "cash_large", LI_ID)
    assert (ticket["queue"], ticket["priority"]) == ("A", False)


def test_the_queue_keeps_a_digest_of_the_id_number_never_the_number(client: HostClient,
                                                                   simulator: HostSimulatorProcess) -> None:
    take(client, "cash_large", LI_ID)
    conn = sqlite3.connect(f"file:{Path(simulator.db_path)}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT * FROM queue_tickets").fetchall()
    finally:
        conn.close()
    assert len(rows) == 2  # the seeded C003 and this one
    assert LI_ID not in repr(rows)
