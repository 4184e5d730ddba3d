"""挂失 — report a bank card lost.

Counter procedure: consent, ID card, face or staff, the host lists the customer's cards, choose
one, verbal loss (temporary, 5 days) or formal loss (needs a supervisor), confirmation, the host
marks the card, result with the loss reference, receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.printer.api import Receipt
from flows.common import CARDS, IDENTITY_PREDICATES, approval_ref, holder_rows, id_card, identify, local_time
from kiosk.engine.flow import Fail, Flow
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import Choose, Confirm, HostCall, PrintReceipt, Result, StaffApproval
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import CardLossResult, CardsListResult, CardSummary


@dataclass
class LossReport:
    """What this visit gathers: the customer's cards, the one chosen, the kind of loss, the host's answer."""

    cards: CardsListResult = later()
    card_ref: str = later()
    loss_kind: str | None = None
    loss: CardLossResult = later()


def visit(s: Session) -> LossReport:
    return s.data_as(LossReport)


def cards_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number}


def require_cards(s: Session) -> Fail | None:
    return None if visit(s).cards.cards else Fail("flow.loss_report.no_cards")


def chosen_card(s: Session) -> CardSummary:
    return next(c for c in visit(s).cards.cards if c.card_ref == visit(s).card_ref)


def card_options(s: Session) -> list[Choice]:
    return [
        Choice(c.card_ref, c.pan_masked, f'{c.product} · {s.t("card.status." + c.status)}',
               enabled=c.status == "active")
        for c in visit(s).cards.cards
    ]


def kind_options(s: Session) -> list[Choice]:
    return [Choice(kind, s.t(f"flow.loss_report.kind.{kind}"), s.t(f"flow.loss_report.kind.{kind}.detail"))
            for kind in ("verbal", "formal")]


def is_formal(s: Session) -> bool:
    return visit(s).loss_kind == "formal"


def loss_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "card_ref": visit(s).card_ref, "kind": visit(s).loss_kind,
            "approval_ref": approval_ref(s, "formal_approval")}


def summary(s: Session) -> list[Row]:
    rows = holder_rows(s)
    rows += [Row(s.t("row.card"), chosen_card(s).pan_masked),
             Row(s.t("row.loss_kind"), s.t(f"flow.loss_report.kind.{visit(s).loss_kind}"))]
    return rows


def result_rows(s: Session) -> list[Row]:
    loss = visit(s).loss
    rows = [Row(s.t("row.loss_ref"), loss.loss_ref), Row(s.t("row.effective_at"), local_time(loss.effective_at))]
    if loss.expires_at:
        rows.append(Row(s.t("row.expires_at"), local_time(loss.expires_at)))
    return rows


def receipt(s: Session) -> Receipt:
    return build_receipt(s, "flow.loss_report.receipt_title", summary(s) + result_rows(s), visit(s).loss.loss_ref)


loss_report = Flow(
    id="loss_report", category=CARDS, popularity=2, devices=frozenset({"idcard", "camera", "printer"}),
    face_check=True, staff_approval="formal loss; face check declined or failed", data=LossReport,
    steps=[
        *identify(face=True),
        HostCall("cards", op="cards.list", payload=cards_request, store="cards", check=require_cards),
        Choose("card", options=card_options, store="card_ref"),
        Choose("kind", options=kind_options, store="loss_kind", back=True),
        StaffApproval("formal_approval", rule="formal_loss", reason="approval.reason.formal_loss", when="is_formal"),
        Confirm("confirm", rows=summary),
        HostCall("report_loss", op="cards.report_loss", payload=loss_request, store="loss", reference="loss_ref"),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={**IDENTITY_PREDICATES, "is_formal": is_formal},
)
