"""补卡换卡 — replace a bank card: after a formal loss (补卡), or an expired or damaged card (换卡).

Counter rules: consent, ID card, face or staff; the host lists the customer's cards. A formally lost card
is replaced as lost; a card under a verbal loss cannot be chosen (the loss is made formal first, as at the
counter); any other card is replaced because it has expired (or expires within 90 days) or is damaged.
An expired or damaged card is handed in: it is inserted, checked to be the chosen card, and kept in the
reader's retain bin (journaled masked) — never returned, even if the customer stops afterwards, as a
counter cuts a card handed in. The host quotes the fee (its tariff: lost 10.00 yuan, damaged 5.00,
expired free; what a Chinese bank charges as 工本费), which is shown on the confirmation and posted as
shown, in fen, debited from the card's own account. A new card comes from the dispenser, bound to the same
account; its PIN is set twice on the PIN pad (the host refuses different or simple PINs); confirmation;
the host posts the replacement (the old card is dead); the new card is presented at the gate (retained
when not taken); result; receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.dispenser.api import StockCard
from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import CARDS, IDENTITY_PREDICATES, holder_rows, id_card, identify, local_time, masked, yuan
from kiosk.core.masking import mask_pan
from kiosk.engine.flow import Fail, Flow, Goto
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Choose,
    Confirm,
    DeliverCard,
    EnterPin,
    HostCall,
    InsertBankCard,
    PickCard,
    PrintReceipt,
    Result,
    RetainBankCard,
)
from kiosk.engine.steps.cards import card_fate_rows
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import (
    CardReplaceQuoteResult,
    CardReplaceResult,
    CardsListResult,
    CardSummary,
    PinCheckNewResult,
)

HANDED_IN = ("expired", "damaged")  # reasons for which the old card is inserted and kept


@dataclass
class CardReplacement:
    """What this visit gathers: the cards, the one replaced and why, the fee, the new PIN, the replacement."""

    cards: CardsListResult = later()
    card_ref: str = later()
    reason_choice: str | None = None  # "expired" | "damaged"; a formally lost card needs no answer
    quote: CardReplaceQuoteResult = later()
    pin_block: PinBlock = later()
    pin_block_confirm: PinBlock = later()
    pin_checked: PinCheckNewResult = later()
    replaced: CardReplaceResult = later()


def visit(s: Session) -> CardReplacement:
    return s.data_as(CardReplacement)


def cards_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number}


def require_cards(s: Session) -> Fail | None:
    return None if visit(s).cards.cards else Fail("flow.card_replace.no_cards")


def card_options(s: Session) -> list[Choice]:
    return [Choice(c.card_ref, c.pan_masked, f'{c.product} · {s.t("flow.card_replace.old_card." + c.status)}',
                   enabled=c.status != "lost_verbal")
            for c in visit(s).cards.cards]


def chosen_card(s: Session) -> CardSummary:
    return next(c for c in visit(s).cards.cards if c.card_ref == visit(s).card_ref)


def reason(s: Session) -> str:
    return "lost" if chosen_card(s).status == "lost_formal" else str(visit(s).reason_choice)


def needs_reason(s: Session) -> bool:
    return chosen_card(s).status == "active"


def hands_in_old_card(s: Session) -> bool:
    return reason(s) in HANDED_IN


def reason_options(s: Session) -> list[Choice]:
    return [Choice(r, s.t(f"flow.card_replace.reason.{r}"), s.t(f"flow.card_replace.reason.{r}.detail"))
            for r in HANDED_IN]


def quote_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "card_ref": visit(s).card_ref, "reason": reason(s)}


def same_card(s: Session) -> Fail | None:
    """The card inserted is the card chosen (the host checks it again when it posts)."""
    card = s.slots.bank_card
    if not hands_in_old_card(s) or (card is not None and mask_pan(card.pan) == chosen_card(s).pan_masked):
        return None
    return Fail("flow.card_replace.wrong_card")


def new_card(s: Session) -> StockCard:
    card = s.slots.picked_card
    if card is None:
        raise LookupError("no card picked from the hopper yet in this session")
    return card


def pin_check_request(s: Session) -> dict[str, Any]:
    return {"pan": new_card(s).pan, "pin_block": visit(s).pin_block, "pin_block_confirm": visit(s).pin_block_confirm}


def fee_fen(s: Session) -> int:
    return visit(s).quote.fee_fen


def replace_request(s: Session) -> dict[str, Any]:
    old = s.slots.bank_card if hands_in_old_card(s) else None
    return {"id_number": id_card(s).id_number, "card_ref": visit(s).card_ref, "reason": reason(s),
            "old_card_pan": old.pan if old else None, "new_card_pan": new_card(s).pan,
            "pin_block": visit(s).pin_block, "fee_fen": fee_fen(s)}


def summary(s: Session) -> list[Row]:
    return [*holder_rows(s),
            Row(s.t("row.old_card"), chosen_card(s).pan_masked),
            Row(s.t("row.replace_reason"), s.t(f"flow.card_replace.reason.{reason(s)}")),
            Row(s.t("row.new_card"), masked("pan", new_card(s).pan)),
            Row(s.t("row.fee"), yuan(s, fee_fen(s))), Row(s.t("row.fee_account"), visit(s).quote.account_masked)]


def result_rows(s: Session) -> list[Row]:
    done = visit(s).replaced
    rows = [Row(s.t("row.replace_ref"), done.replace_ref), Row(s.t("row.new_card"), done.new_card_pan_masked),
            Row(s.t("row.account"), done.account_masked), Row(s.t("row.fee"), yuan(s, done.debited_fen)),
            Row(s.t("row.replaced_at"), local_time(done.replaced_at))]
    return [*rows, *card_fate_rows(s)]  # not taken, or not dispensed: kept for staff to hand over


def receipt(s: Session) -> Receipt:
    rows = [*summary(s)[:1], Row(s.t("row.old_card"), chosen_card(s).pan_masked), *result_rows(s)]
    return build_receipt(s, "flow.card_replace.receipt_title", rows, visit(s).replaced.replace_ref)


card_replace = Flow(
    id="card_replace", category=CARDS, data=CardReplacement,
    devices=frozenset({"idcard", "camera", "smartcard", "dispenser", "pinpad", "printer"}),
    face_check=True, staff_approval="face check declined or failed",
    steps=[
        *identify(face=True),
        HostCall("cards", op="cards.list", payload=cards_request, store="cards", check=require_cards),
        Choose("old_card", options=card_options, store="card_ref"),
        Choose("reason", options=reason_options, store="reason_choice", when="needs_reason", back=True),
        InsertBankCard("card", when="hands_in_old_card"),
        HostCall("quote", op="cards.replace_quote", payload=quote_request, store="quote", check=same_card,
                 refusals={"insufficient_funds": lambda s, e: Fail("flow.card_replace.insufficient_funds")}),
        RetainBankCard("retain_old_card", reason="replaced", when="hands_in_old_card"),
        PickCard("pick_card"),
        EnterPin("new_pin", pan=lambda s: new_card(s).pan, store="pin_block", text="pin_new"),
        EnterPin("confirm_pin", pan=lambda s: new_card(s).pan, store="pin_block_confirm", text="pin_confirm"),
        HostCall("check_pin", op="pins.check_new", payload=pin_check_request, store="pin_checked",
                 branches=("new_pin",),
                 refusals={"pin_mismatch": lambda s, e: Goto("new_pin", "pin.mismatch"),
                           "pin_too_simple": lambda s, e: Goto("new_pin", "pin.too_simple")}),
        Confirm("confirm", rows=summary),
        HostCall("replace", op="cards.replace", payload=replace_request, store="replaced", amount=fee_fen,
                 reference="replace_ref",
                 refusals={"insufficient_funds": lambda s, e: Fail("flow.card_replace.insufficient_funds")}),
        DeliverCard("deliver_card"),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={**IDENTITY_PREDICATES, "needs_reason": needs_reason, "hands_in_old_card": hands_in_old_card},
)
