"""取号 — a queue number for business the kiosk cannot do (cash above its limit, foreign cash, a safe deposit
box, corporate business, wealth management advice), done at the branch's counters.

Counter procedure (the lobby's queue machine): the host lists the businesses done at the counters, each with
its queue, the people waiting and the expected wait; the customer touches one and the number is taken and
printed at once: number, business, people ahead, expected wait and time. No consent and no ID card: a number
is anonymous, so the standard path is the list, the number on screen and the ticket.
Rules: customers aged 60 and over may have their ID card read first (the first tile, "长辈优先", greyed while
the ID card reader is down): after the consent to read it (declined: back to the list for a normal number),
the host takes the age from the ID number and gives the priority queue (``V``) for the businesses it serves
there; it keeps one waiting number per person and business (``already_waiting``: the number held is shown).
A customer under 60 who chose the tile is told so and gets the business's own queue; an expired ID card ends
the business. The expected wait is the people ahead times the queue's average minutes, rounded half up (the
host's, docs/host-api.md). Taking a number is a posting: under one idempotency key, one number whatever the
retries; the session completes there, and the journal keeps the host's reply (number, queue, priority, people
ahead, wait). A printer fault leaves the number on the screen. The home screen shows the branch's current wait
(``queue.status``, a ``HomeLine``: asked after the first paint, every 30 s, and as each session ends).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.printer.api import Receipt
from flows.common import SERVICES, id_card, local_time
from kiosk.core import i18n
from kiosk.engine import render
from kiosk.engine.flow import Fail, Flow, HomeLine, Verdict
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import Agreement, Choose, HostCall, PrintReceipt, ReadIdCard, Result
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api_queue import QueueBoardResult, QueueBusiness, QueueStatusResult, QueueTakeResult
from kiosk.host.errors import HostRejected

PRIORITY = "priority"  # the business screen's tile: read the ID card for the priority queue
T = "flow.queue_ticket."


@dataclass
class QueueTicket:
    board: QueueBoardResult = later()
    business: str = later()  # a business code, or "priority"
    priority_pick: str | None = None  # the business chosen after the ID card was read
    ticket: QueueTakeResult = later()


def visit(s: Session) -> QueueTicket:
    return s.data_as(QueueTicket)


def wants_priority(s: Session) -> bool:
    return visit(s).business == PRIORITY


def is_senior(s: Session) -> bool:
    age = s.slots.age
    return wants_priority(s) and age is not None and age >= visit(s).board.priority_age


def is_under_age(s: Session) -> bool:
    return wants_priority(s) and s.slots.age is not None and not is_senior(s)


def chosen(s: Session) -> str:
    v = visit(s)
    return v.priority_pick if wants_priority(s) and v.priority_pick else v.business


def named(s: Session, zh: str, en: str) -> str:
    return en if s.lang == "en_US" else zh


def waits(s: Session, people: int, minutes: int) -> str:
    return s.t(T + "wait_detail", people=people, minutes=minutes) if people else s.t(T + "no_wait")


def business_choice(s: Session, b: QueueBusiness, priority: bool = False) -> Choice:
    board = visit(s).board
    if not b.open:
        return Choice(b.code, named(s, b.name, b.name_en), s.t(T + "closed"), enabled=False)
    if priority and b.priority and board.priority_open:
        detail = s.t(T + "priority_detail", wait=waits(s, board.priority_waiting, board.priority_wait_minutes))
    else:
        detail = waits(s, b.waiting, b.wait_minutes)
    return Choice(b.code, named(s, b.name, b.name_en), detail)


def id_reader_working(s: Session) -> bool:
    return render.devices_working(s.services, ["idcard"])["idcard"]


def business_options(s: Session) -> list[Choice]:
    """The tile for the priority queue first (the ID card is read for it: greyed while the ID card reader is
    down), then the counters' businesses with their waits."""
    reader = id_reader_working(s)
    tile = Choice(PRIORITY, s.t(T + "priority", age=visit(s).board.priority_age),
                  s.t(T + "priority.detail") if reader else s.t(T + "priority.no_reader"), enabled=reader)
    return [tile, *(business_choice(s, b) for b in visit(s).board.businesses)]


def priority_options(s: Session) -> list[Choice]:
    """The businesses with a priority number first."""
    businesses = sorted(visit(s).board.businesses, key=lambda b: not b.priority)
    return [business_choice(s, b, priority=True) for b in businesses]


def regular_options(s: Session) -> list[Choice]:
    return [business_choice(s, b) for b in visit(s).board.businesses]


def any_open(s: Session) -> Verdict | None:
    return None if any(b.open for b in visit(s).board.businesses) else Fail(T + "all_closed")


def take_request(s: Session) -> dict[str, Any]:
    holder = {"id_number": id_card(s).id_number} if wants_priority(s) and s.slots.id_card else {}
    return {"business": chosen(s), **holder}


def already_waiting(s: Session, error: HostRejected) -> Verdict:
    d = error.details
    return Fail(T + "already_waiting", params={"ticket_no": d.get("ticket_no", ""), "ahead": d.get("ahead", 0),
                                               "business": named(s, d.get("business", ""), d.get("business_en", ""))})


def queue_closed(s: Session, error: HostRejected) -> Verdict:
    d = error.details
    return Fail(T + "queue_closed", params={"business": named(s, d.get("business", ""), d.get("business_en", ""))})


def number_row(s: Session) -> Row:
    t = visit(s).ticket
    return Row(s.t(T + "row.number"),
               s.t(T + "number_value", number=t.ticket_no, queue=named(s, t.queue_name, t.queue_name_en)))


def business_row(s: Session) -> Row:
    t = visit(s).ticket
    return Row(s.t("row.service"), named(s, t.business_name, t.business_name_en))


def result_rows(s: Session) -> list[Row]:
    """What the screen shows of the number: three rows, so that the wait is seen without paging (also with
    the elderly-mode offer above them)."""
    t = visit(s).ticket
    wait = s.t(T + "ahead_wait", people=t.ahead, minutes=t.wait_minutes) if t.ahead else s.t(T + "no_wait")
    return [number_row(s), business_row(s), Row(s.t(T + "row.wait"), wait)]


def ticket(s: Session) -> Receipt:
    """The printed ticket: the number, business, people ahead, expected wait, and the time it was taken."""
    t = visit(s).ticket
    wait = s.t(T + "minutes", minutes=t.wait_minutes) if t.ahead else s.t(T + "no_wait")
    rows = [number_row(s), business_row(s), Row(s.t(T + "row.ahead"), s.t(T + "people", people=t.ahead)),
            Row(s.t(T + "row.expected"), wait), Row(s.t(T + "row.issued_at"), local_time(t.issued_at))]
    return build_receipt(s, T + "receipt_title", rows, t.ticket_no)


def home_wait(lang: str, status: QueueStatusResult) -> str:
    """The home screen's line: how many wait at the counters, and the longest expected wait."""
    if not status.waiting:
        return i18n.text(lang, T + "home_no_wait")
    return i18n.text(lang, T + "home_wait", people=status.waiting, minutes=status.longest_wait_minutes)


queue_ticket = Flow(
    id="queue_ticket", category=SERVICES, devices=frozenset({"printer"}), data=QueueTicket,
    home_line=HomeLine(op="queue.status", text=home_wait, every_s=30.0),
    counter_business=False,  # a number for the counter replaces no counter work (docs/kpi.md)
    steps=[
        HostCall("board", op="queue.board", payload=lambda s: {}, store="board", check=any_open),
        Choose("business", options=business_options, store="business"),
        Agreement("id_consent", document=T + "id_consent.document", on_decline="business", when="wants_priority"),
        ReadIdCard("read_id", when="wants_priority"),
        Choose("senior_business", options=priority_options, store="priority_pick", when="is_senior"),
        Choose("regular_business", options=regular_options, store="priority_pick", when="is_under_age"),
        HostCall("take", op="queue.take", payload=take_request, store="ticket", reference="ticket_no",
                 refusals={"already_waiting": already_waiting, "queue_closed": queue_closed}),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=ticket),
    ],
    predicates={"wants_priority": wants_priority, "is_senior": is_senior, "is_under_age": is_under_age},
)
