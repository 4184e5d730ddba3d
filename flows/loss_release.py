"""解挂 — release a bank card's loss report.

Counter rules: consent, ID card, face or staff; the host lists the customer's cards and only those under a
loss report can be chosen. A verbal (temporary, 口头) loss is released with the card itself and its PIN.
A formal (正式) loss is released only with the card present and a supervisor's approval; a customer
without the card is pointed to 补卡换卡 (``card_replace``), as a counter does: a formally lost card that
is not found is replaced, not released. Then the card in the reader (the host checks it is the chosen
card), confirmation, the PIN on the PIN pad (a wrong PIN returns to PIN entry with the tries left; the
third of the day locks the PIN), the host releases the loss (posting), result, receipt; the card comes
back at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from devices.smartcard.api import BankCard
from flows.common import (
    CARDS,
    IDENTITY_PREDICATES,
    approval_ref,
    holder_rows,
    id_card,
    identify,
    local_time,
    pin_refusals,
)
from kiosk.engine.flow import Fail, Flow
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Choose,
    Confirm,
    EnterPin,
    HostCall,
    InsertBankCard,
    PrintReceipt,
    Result,
    StaffApproval,
)
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import CardsListResult, CardSummary, LossReleaseResult

LOST = ("lost_verbal", "lost_formal")


@dataclass
class LossRelease:
    """What this visit gathers: the customer's cards, the one chosen, the card at hand, the PIN, the release."""

    cards: CardsListResult = later()
    card_ref: str = later()
    card_at_hand: str | None = None
    pin_block: PinBlock = later()
    release: LossReleaseResult = later()


def visit(s: Session) -> LossRelease:
    return s.data_as(LossRelease)


def cards_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number}


def require_lost_cards(s: Session) -> Fail | None:
    lost = [c for c in visit(s).cards.cards if c.status in LOST]
    return None if lost else Fail("flow.loss_release.nothing_lost")


def card_options(s: Session) -> list[Choice]:
    return [Choice(c.card_ref, c.pan_masked, f'{c.product} · {s.t("card.status." + c.status)}',
                   enabled=c.status in LOST)
            for c in visit(s).cards.cards]


def chosen_card(s: Session) -> CardSummary:
    return next(c for c in visit(s).cards.cards if c.card_ref == visit(s).card_ref)


def is_formal(s: Session) -> bool:
    return chosen_card(s).status == "lost_formal"


def at_hand_options(s: Session) -> list[Choice]:
    return [Choice(answer, s.t(f"flow.loss_release.card_at_hand.{answer}"),
                   s.t(f"flow.loss_release.card_at_hand.{answer}.detail")) for answer in ("yes", "no")]


def replace_instead(s: Session) -> Fail | None:
    return Fail("flow.loss_release.replace_instead") if visit(s).card_at_hand == "no" else None


def bank_card(s: Session) -> BankCard:
    card = s.slots.bank_card
    if card is None:
        raise LookupError("no bank card read yet in this session")
    return card


def release_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "card_ref": visit(s).card_ref, "pan": bank_card(s).pan,
            "pin_block": visit(s).pin_block, "approval_ref": approval_ref(s, "formal_approval")}


def summary(s: Session) -> list[Row]:
    card = chosen_card(s)
    return [*holder_rows(s), Row(s.t("row.card"), card.pan_masked),
            Row(s.t("row.card_status"), s.t("card.status." + card.status))]


def result_rows(s: Session) -> list[Row]:
    release = visit(s).release
    return [Row(s.t("row.release_ref"), release.release_ref), Row(s.t("row.card"), release.pan_masked),
            Row(s.t("row.card_status"), s.t("card.status.active")),
            Row(s.t("row.released_at"), local_time(release.released_at))]


def receipt(s: Session) -> Receipt:
    return build_receipt(s, "flow.loss_release.receipt_title", summary(s)[:1] + result_rows(s),
                         visit(s).release.release_ref)


loss_release = Flow(
    id="loss_release", category=CARDS, devices=frozenset({"idcard", "camera", "smartcard", "pinpad", "printer"}),
    face_check=True, staff_approval="formal loss released; face check declined or failed", data=LossRelease,
    steps=[
        *identify(face=True),
        HostCall("cards", op="cards.list", payload=cards_request, store="cards", check=require_lost_cards),
        Choose("lost_card", options=card_options, store="card_ref"),
        Choose("card_at_hand", options=at_hand_options, store="card_at_hand", when="is_formal", back=True,
               check=replace_instead),
        InsertBankCard("card"),
        StaffApproval("formal_approval", rule="formal_loss_release", reason="approval.reason.formal_loss_release",
                      when="is_formal"),
        Confirm("confirm", rows=summary),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("release", op="cards.release_loss", payload=release_request, store="release",
                 reference="release_ref", branches=("pin",),
                 refusals=pin_refusals()),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={**IDENTITY_PREDICATES, "is_formal": is_formal},
)
