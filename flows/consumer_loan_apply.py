"""个人消费贷申请 — a personal consumer loan applied for, decided, signed and paid out at the kiosk.

Counter procedure: consent, the resident ID card and the face compared with its photo (the credit bureau
requires the face: no staff fallback); the bank card whose account takes the loan and pays the instalments (the
host checks it is the customer's own and usable); the purpose, then the amount and the monthly income in
whole yuan, then the term (6, 12, 24 or 36 months, each with its instalment estimated at the standard rate);
the authorisation to query the credit bureau and the social-insurance agency; the host's automatic decision
within the session. Approved: the contract (the limit, the amount, the APR, equal instalments with every
month's due date, principal and interest, the total interest, the cooling-off, prepayment, overdue and use
clauses) is paged to its end before it can be signed, and is signed by the card's PIN; the host pays the loan
into the card's account once, under its idempotency key; result with the cooling-off notice, and the receipt.
Referred to staff: the application's reference and when the bank will call (by the end of the next working
day), on screen and on a receipt. Declined: the reasons, in words the customer can read.
Rules (kiosk/host/api_loan.py): 1,000 to 200,000 yuan; the purposes a consumer loan may pay for (home
furnishing, travel, education, medical, a car), never buying a home, securities or other investments, or running
a business (refused where they are offered: one greyed choice that gives the reason; the host refuses them too); the decision is the host's documented scoring model (docs/host-api.md), journaled with
its reasons and factors (the host's reply); an amount above the limit the income allows brings the customer back
to the amount with that limit. The contract's figures are what the host pays out on: another figure, a day
passed or an approval older than 30 minutes is refused and nothing is paid. Within 7 days of the pay-out the
whole loan may be repaid without interest (the cooling-off period). The schedule is kiosk.core.annuity's:
equal instalments in whole fen, the last one absorbing the rounding.
"""

from __future__ import annotations

from typing import Any

from flows.common import (
    SERVICES,
    card_holder_request,
    card_pan,
    id_card,
    pin_refusals,
    yuan,
)
from flows.consumer_loan_contract import (
    FACE_REQUIRED,
    LoanApplication,
    agrees_with_host,
    contract_rows,
    declined_reasons,
    estimated_instalment_fen,
    receipt,
    referred_receipt,
    referred_rows,
    result_rows,
    visit,
)
from flows.money_common import MAX_YUAN_DIGITS
from kiosk.core.digits import ascii_digits
from kiosk.engine.flow import Fail, Flow, Goto, Verdict
from kiosk.engine.screens import Choice
from kiosk.engine.session import Session
from kiosk.engine.steps import (
    Agreement,
    Browse,
    Choose,
    EnterPin,
    FaceCheck,
    FieldRule,
    Form,
    HostCall,
    InsertBankCard,
    PrintReceipt,
    ReadIdCard,
    Result,
)
from kiosk.host.api_loan import (
    MAX_AMOUNT_FEN,
    MIN_AMOUNT_FEN,
    PURPOSES,
    STANDARD_APR,
    TERMS_MONTHS,
)
from kiosk.host.errors import HostRejected

PROHIBITED = "prohibited"  # buying a home, securities and other investments, running a business (PROHIBITED_PURPOSES)


def whole_yuan(value: str) -> bool:
    return ascii_digits(value) and not value.startswith("0")


def check_amount(value: str) -> str | None:
    """Whole yuan from 1,000 to 200,000 (the product's range; the host refuses others too)."""
    if not whole_yuan(value):
        return "field.loan_amount_yuan.invalid"
    return None if MIN_AMOUNT_FEN <= int(value) * 100 <= MAX_AMOUNT_FEN else "field.loan_amount_yuan.out_of_range"


def check_income(value: str) -> str | None:
    return None if whole_yuan(value) else "field.loan_income_yuan.invalid"


def require_active(s: Session) -> Fail | None:
    status = visit(s).holder.status
    return None if status == "active" else Fail(f"card.not_usable.{status}")


def purpose_options(s: Session) -> list[Choice]:
    """The uses a consumer loan may pay for; the ones the regulator forbids are refused where they are offered:
    one choice, greyed, saying why (the host refuses them too)."""
    return [*(Choice(p, s.t(f"flow.consumer_loan_apply.purpose.{p}")) for p in PURPOSES),
            Choice(PROHIBITED, s.t("flow.consumer_loan_apply.purpose.prohibited"),
                   s.t("flow.consumer_loan_apply.purpose.prohibited.detail"), enabled=False)]


def term_options(s: Session) -> list[Choice]:
    return [Choice(str(m), s.t("flow.consumer_loan_apply.months", months=m),
                   s.t("flow.consumer_loan_apply.term_detail", apr=f"{STANDARD_APR * 100:.2f}%",
                       instalment=yuan(s, estimated_instalment_fen(s, m))))
            for m in TERMS_MONTHS]


def needs_authorization(s: Session) -> bool:
    return s.slots.consents.get("authorize") != "agree"  # asked once a visit, even if the amount is typed again


def decide_request(s: Session) -> dict[str, Any]:
    v = visit(s)
    return {"id_number": id_card(s).id_number, "pan": card_pan(s), "amount_fen": v.amount_fen,
            "term_months": int(v.term), "purpose": v.purpose, "monthly_income_fen": v.income_fen,
            "consent_credit_bureau": True, "consent_social_insurance": True}


def after_decision(s: Session) -> Verdict | None:
    """Declined: the reasons; above the limit the income allows: that limit, back at the amount."""
    decision = visit(s).decision
    if decision.decision == "approved" and not agrees_with_host(s):
        return Fail("flow.consumer_loan_apply.terms_changed")  # never a contract the host would not pay out on
    if decision.decision != "declined":
        return None
    if decision.reasons == ["amount_over_limit"] and decision.limit_fen:
        return Goto("application", "flow.consumer_loan_apply.over_limit", {"limit": yuan(s, decision.limit_fen)})
    return Fail("flow.consumer_loan_apply.declined",
                params={"reasons": declined_reasons(s), "reference": decision.application_ref})


def is_referred(s: Session) -> bool:
    return visit(s).decision.decision == "referred"


def is_approved(s: Session) -> bool:
    return visit(s).decision.decision == "approved"


def contract_page_size(s: Session) -> int:
    """The rows that fit a page of the window without a pager of its own (fewer in elderly mode's large type)."""
    return 5 if s.elderly else 7


def sign_action(s: Session) -> list[Choice]:
    return [Choice("sign", s.t("flow.consumer_loan_apply.sign"))]


def disburse_request(s: Session) -> dict[str, Any]:
    v, d = visit(s), visit(s).decision
    return {"application_ref": d.application_ref, "id_number": id_card(s).id_number, "pan": card_pan(s),
            "pin_block": v.pin_block, "amount_fen": d.amount_fen, "term_months": d.term_months, "apr": d.apr,
            "instalment_fen": v.schedule.regular_fen, "last_instalment_fen": v.schedule.last_fen,
            "total_interest_fen": v.schedule.total_interest_fen, "value_date": d.value_date}


def refused(message: str) -> Any:
    return lambda s, e: Fail(f"flow.consumer_loan_apply.{message}")


def out_of_range(s: Session, error: HostRejected) -> Verdict:
    return Goto("application", "field.loan_amount_yuan.out_of_range")


consumer_loan_apply = Flow(
    id="consumer_loan_apply", category=SERVICES, data=LoanApplication, face_check=True,
    devices=frozenset({"idcard", "camera", "smartcard", "pinpad", "printer"}),
    steps=[
        Agreement("consent", document="doc.personal_info"),
        ReadIdCard("read_id"),
        Agreement("face_consent", document="doc.face"),
        FaceCheck("face", fallback=None, refuse=FACE_REQUIRED),
        InsertBankCard("card"),
        HostCall("holder", op="cards.verify_holder", payload=card_holder_request, store="holder", check=require_active),
        Choose("purpose", options=purpose_options, store="purpose"),
        Form("application", back=True, fields=[
            FieldRule("loan_amount_yuan", input="amount", max_length=MAX_YUAN_DIGITS, check=check_amount),
            FieldRule("loan_income_yuan", input="amount", max_length=MAX_YUAN_DIGITS, check=check_income)]),
        Choose("term", options=term_options, store="term", back=True),
        Agreement("authorize", document="flow.consumer_loan_apply.authorization", when="needs_authorization"),
        HostCall("decide", op="loans.decide", payload=decide_request, store="decision", check=after_decision,
                 branches=("application",), refusals={"amount_out_of_range": out_of_range}),
        Result("referred", rows=referred_rows, when="is_referred"),
        PrintReceipt("referred_receipt", receipt=referred_receipt, when="is_referred"),
        Browse("contract", rows=contract_rows, store="signed", actions=sign_action, page_size=contract_page_size,
               completes=False, at_end=("sign",), when="is_approved"),
        EnterPin("pin", pan=card_pan, store="pin_block", when="is_approved"),
        HostCall("disburse", op="loans.disburse", payload=disburse_request, store="loan", reference="loan_no",
                 when="is_approved", branches=("pin",), refusals={
                     **pin_refusals(),
                     "offer_expired": refused("offer_expired"), "terms_changed": refused("terms_changed"),
                     "already_disbursed": refused("already_disbursed")}),
        Result("result", rows=result_rows, when="is_approved"),
        PrintReceipt("receipt", receipt=receipt, when="is_approved"),
    ],
    predicates={"needs_authorization": needs_authorization, "is_referred": is_referred, "is_approved": is_approved},
)
