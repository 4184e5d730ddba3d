"""理财购买 — buy a wealth-management product of the bank with money from the customer's own card.

Counter procedure: consent, the ID card and the face (or staff); the host gives the customer's latest risk
assessment and the products on sale. A customer aged 65 or more (from the ID card) is not sold to here: the
regulator wants such a sale recorded (录音录像, 双录) in the branch's wealth area, so the kiosk says why, books a
wealth manager (a queue ticket when one is free within the hour, else an appointment: time and desk), prints the
slip, and ends. Without an assessment made in the last year, the risk questionnaire comes first: ten questions, one
answer each; the host scores them, gives the grade (C1 to C5) and keeps the assessment with its date; the customer
sees the result. Then the customer chooses a product (risk R1-R5, term, minimum, the expected-return range); the
host checks suitability: a product above the customer's grade (Cn buys up to Rn) is refused with the reason, and a
product above R3 is a recorded sale (the manager is booked, as for age). The product's key facts (risk, the
customer's grade, term, minimum, the benchmark return that is not guaranteed) and the cooling-off notice (the
customer may cancel within 24 hours and gets all the money back) are read and confirmed. Then the card (the
customer's own), the amount in whole yuan (at least the product's minimum, at most what it has left to sell: the
host quotes it, with the value and maturity dates and the return range at the benchmark), the summary confirmed,
the PIN; the host debits the account and records the holding, once under its idempotency key; result; receipt; the
card comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import (
    IDENTITY_PREDICATES,
    SERVICES,
    holder_rows,
    id_card,
    identify,
    local_time,
    masked,
    pin_refusals,
    yuan,
)
from flows.money_common import MAX_YUAN_DIGITS, bank_card, check_yuan, percent, yuan_to_fen
from kiosk.engine.flow import Fail, Flow, Goto, Step, Verdict
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Choose,
    Confirm,
    EnterPin,
    FieldRule,
    Form,
    HostCall,
    InsertBankCard,
    PrintReceipt,
    Result,
)
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api_wealth import (
    ManagerBookingResult,
    RiskAssessment,
    SuitabilityResult,
    WealthProduct,
    WealthProfileResult,
    WealthPurchaseResult,
    WealthQuoteResult,
)
from kiosk.host.errors import HostRejected

QUESTIONS = tuple(f"q{n}" for n in range(1, 11))  # the risk questionnaire; answers a-d, scored by the host
ANSWERS = ("a", "b", "c", "d")
RECORDED_SALE_AGE = 65  # from this age a sale is recorded (双录) in the branch's wealth area
RECORDED_SALE_ABOVE = 3  # and of a product above R3
T = "flow.wealth_purchase."


@dataclass
class WealthPurchase:
    """What this visit gathers: the assessment and products, the answers, the product, the amount, the quote,
    the PIN block, and the holding (or the wealth manager's booking)."""

    profile: WealthProfileResult = later()
    q1: str = later()
    q2: str = later()
    q3: str = later()
    q4: str = later()
    q5: str = later()
    q6: str = later()
    q7: str = later()
    q8: str = later()
    q9: str = later()
    q10: str = later()
    assessment: RiskAssessment = later()
    product_code: str | None = None
    suited: SuitabilityResult | None = None
    amount_yuan: str = later()
    quote: WealthQuoteResult | None = None
    pin_block: PinBlock = later()
    holding: WealthPurchaseResult = later()
    booking: ManagerBookingResult = later()


def visit(s: Session) -> WealthPurchase:
    return s.data_as(WealthPurchase)


# -- who may buy what ------------------------------------------------------------------------------

def risk_rank(risk: str) -> int:
    return int(risk[1])


def is_recorded_age(s: Session) -> bool:
    return (s.slots.age or 0) >= RECORDED_SALE_AGE


def product(s: Session) -> WealthProduct:
    return next(p for p in visit(s).profile.products if p.code == visit(s).product_code)


def needs_recorded_sale(s: Session) -> bool:
    code = visit(s).product_code
    return is_recorded_age(s) or (code is not None and risk_rank(product(s).risk) > RECORDED_SALE_ABOVE)


def needs_assessment(s: Session) -> bool:
    return not visit(s).profile.assessment_valid


def needs_suitability(s: Session) -> bool:
    """The host checks each product chosen once (going back from the key facts returns to the products)."""
    suited = visit(s).suited
    return suited is None or suited.product.code != visit(s).product_code


def amount_fen(s: Session) -> int:
    return yuan_to_fen(visit(s).amount_yuan)


def needs_quote(s: Session) -> bool:
    """A quote for this product and amount (going back from the summary returns to the amount)."""
    quote = visit(s).quote
    return quote is None or (quote.product_code, quote.amount_fen) != (visit(s).product_code, amount_fen(s))


def profile_check(s: Session) -> Verdict | None:
    profile = visit(s).profile
    if not profile.customer:
        return Fail(T + "not_customer")
    if is_recorded_age(s):
        return Goto("recorded_sale")
    return None if profile.products else Fail(T + "no_products")


# -- what the customer sees --------------------------------------------------------------------------

def risk_text(s: Session, risk: str) -> str:
    return s.t(f"{T}risk.{risk}")


def grade_text(s: Session, grade: str) -> str:
    return s.t(f"{T}grade.{grade}")


def product_name(s: Session, p: WealthProduct | WealthPurchaseResult) -> str:
    if isinstance(p, WealthPurchaseResult):
        return p.product_name if s.lang == "zh_CN" else p.product_name_en
    return p.name if s.lang == "zh_CN" else p.name_en


def expected_rate(s: Session, p: WealthProduct) -> str:
    return s.t(T + "rate_range", low=percent(p.rate_low), high=percent(p.rate_high))


def answer_options(question: str) -> Callable[[Session], list[Choice]]:
    return lambda s: [Choice(a, s.t(f"{T}{question}.{a}")) for a in ANSWERS]


def product_options(s: Session) -> list[Choice]:
    return [Choice(p.code, product_name(s, p), s.t(T + "product_detail", risk=risk_text(s, p.risk), days=p.term_days,
                                                   minimum=yuan(s, p.min_fen), rate=expected_rate(s, p)))
            for p in visit(s).profile.products]


def grade_rows(s: Session) -> list[Row]:
    done = visit(s).assessment
    return [*holder_rows(s), Row(s.t(T + "row.score"), str(done.score)),
            Row(s.t(T + "row.grade"), grade_text(s, done.grade)),
            Row(s.t(T + "row.may_buy"), s.t(T + "may_buy", risk=risk_text(s, "R" + done.grade[1]))),
            Row(s.t(T + "row.valid_until"), done.valid_until.isoformat())]


def facts_rows(s: Session) -> list[Row]:
    suited = visit(s).suited
    assert suited is not None
    p = suited.product
    return [Row(s.t(T + "row.product"), f"{product_name(s, p)} ({p.code})"),
            Row(s.t(T + "row.risk"), risk_text(s, p.risk)),
            Row(s.t(T + "row.your_grade"), s.t(T + "grade_until", grade=grade_text(s, suited.grade),
                                             until=suited.grade_valid_until.isoformat())),
            Row(s.t(T + "row.term_minimum"), s.t(T + "term_minimum", days=p.term_days, minimum=yuan(s, p.min_fen))),
            Row(s.t(T + "row.benchmark"), expected_rate(s, p)),
            Row(s.t(T + "row.cooling_off"), s.t(T + "cooling_off"))]


def quoted(s: Session) -> WealthQuoteResult:
    quote = visit(s).quote
    assert quote is not None
    return quote


def with_risk(s: Session, p: WealthProduct | WealthPurchaseResult) -> str:
    return s.t(T + "product_risk", name=product_name(s, p), code=p.risk)


def summary(s: Session) -> list[Row]:
    quote = quoted(s)
    expected = s.t(T + "return_range", low=yuan(s, quote.return_low_fen), high=yuan(s, quote.return_high_fen))
    return [Row(s.t(T + "row.product"), with_risk(s, product(s))), Row(s.t("row.amount"), yuan(s, quote.amount_fen)),
            Row(s.t("row.card"), masked("pan", bank_card(s).pan)),
            Row(s.t(T + "row.period"), s.t(T + "period", start=quote.value_date.isoformat(),
                                           end=quote.maturity_date.isoformat())),
            Row(s.t(T + "row.expected_return"), expected),
            Row(s.t(T + "row.cooling_off"), s.t(T + "cooling_off_hours", hours=quote.cooling_off_hours))]


def result_rows(s: Session) -> list[Row]:
    done = visit(s).holding
    return [Row(s.t(T + "row.holding_ref"), done.holding_ref), Row(s.t(T + "row.product"), with_risk(s, done)),
            Row(s.t("row.amount"), yuan(s, done.amount_fen)),
            Row(s.t(T + "row.period"), s.t(T + "period", start=done.value_date.isoformat(),
                                           end=done.maturity_date.isoformat())),
            Row(s.t(T + "row.cooling_off_until"), local_time(done.cooling_off_until))]


def receipt(s: Session) -> Receipt:
    done = visit(s).holding
    rows = [Row(s.t(T + "row.holding_ref"), done.holding_ref), Row(s.t(T + "row.product"), product_name(s, done)),
            Row(s.t(T + "row.risk"), risk_text(s, done.risk)), Row(s.t("row.amount"), yuan(s, done.amount_fen)),
            Row(s.t("row.account"), done.account_masked), Row(s.t(T + "row.bought_at"), local_time(done.bought_at)),
            Row(s.t(T + "row.cooling_off_until"), local_time(done.cooling_off_until)),
            Row(s.t(T + "row.value_date"), done.value_date.isoformat()),
            Row(s.t(T + "row.maturity_date"), done.maturity_date.isoformat()), Row(s.t("row.note"), s.t(T + "receipt_note"))]
    return build_receipt(s, T + "receipt_title", rows, done.holding_ref)


def reason_rows(s: Session) -> list[Row]:
    if is_recorded_age(s):
        return [Row(s.t("row.reason"), s.t(T + "recorded_reason.age", age=RECORDED_SALE_AGE))]
    p = product(s)
    return [Row(s.t("row.reason"), s.t(T + "recorded_reason.risk", risk=risk_text(s, p.risk))),
            Row(s.t(T + "row.product"), product_name(s, p))]


def booking_rows(s: Session) -> list[Row]:
    done = visit(s).booking
    desk = done.desk if s.lang == "zh_CN" else done.desk_en
    return [Row(s.t(T + "row.ticket." + done.kind), done.ticket_no),
            Row(s.t(T + "row.slot_at"), local_time(done.slot_at)),
            Row(s.t(T + "row.desk"), s.t(T + "place", desk=desk, manager=done.manager_masked)),
            Row(s.t("row.reference"), done.booking_ref)]


def slip(s: Session) -> Receipt:
    rows = [*booking_rows(s), *reason_rows(s), Row(s.t("row.note"), s.t(T + "slip_note"))]
    return build_receipt(s, T + "slip_title", rows, visit(s).booking.booking_ref)


# -- what goes to the host, and its refusals ---------------------------------------------------------

def customer(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number}


def answers_request(s: Session) -> dict[str, Any]:
    v = visit(s)
    return {**customer(s), "answers": [getattr(v, q) for q in QUESTIONS]}


def quote_request(s: Session) -> dict[str, Any]:
    return {**customer(s), "pan": bank_card(s).pan, "product_code": visit(s).product_code, "amount_fen": amount_fen(s)}


def purchase_request(s: Session) -> dict[str, Any]:
    return {**quote_request(s), "pin_block": visit(s).pin_block}


def booking_request(s: Session) -> dict[str, Any]:
    if is_recorded_age(s):
        return {**customer(s), "reason": "age"}
    return {**customer(s), "reason": "risk", "product_code": visit(s).product_code}


def refused(s: Session, error: HostRejected) -> Verdict:
    return Fail(T + "refused." + error.code)


def risk_above_grade(s: Session, error: HostRejected) -> Verdict:
    return Goto("product", T + "risk_above_grade", {"risk": risk_text(s, str(error.details.get("risk"))),
                                                   "grade": grade_text(s, str(error.details.get("grade")))})


def back_to_amount(s: Session, error: HostRejected) -> Verdict:
    left = error.detail_int("min_fen", error.detail_int("quota_left_fen"))
    return Goto("amount", T + error.code, {"amount": yuan(s, max(left, 0))})


_SUITABILITY: dict[str, Callable[[Session, HostRejected], Verdict]] = {
    "customer_unknown": lambda s, e: Fail(T + "not_customer"),
    "product_unknown": refused, "product_closed": refused, "assessment_required": refused,
    "risk_above_grade": risk_above_grade, "recorded_sale_required": lambda s, e: Goto("recorded_sale"),
}
_AMOUNT: dict[str, Callable[[Session, HostRejected], Verdict]] = {code: back_to_amount for code in ("amount_below_minimum", "amount_not_whole_yuan", "quota_exceeded")}
_LATER = {**_SUITABILITY, "risk_above_grade": refused, "recorded_sale_required": refused}  # changed since the check
_PIN: dict[str, Callable[[Session, HostRejected], Verdict]] = pin_refusals()


def questionnaire() -> list[Step]:
    return [Choose(q, options=answer_options(q), store=q, when="needs_assessment", back=n > 0)
            for n, q in enumerate(QUESTIONS)]


wealth_purchase = Flow(
    id="wealth_purchase", category=SERVICES,
    devices=frozenset({"idcard", "camera", "smartcard", "pinpad", "printer"}), face_check=True,
    staff_approval="face check declined or failed", data=WealthPurchase,
    steps=[
        *identify(face=True),
        HostCall("profile", op="wealth.profile", payload=customer, store="profile", check=profile_check,
                 branches=("recorded_sale",)),
        *questionnaire(),
        HostCall("assess", op="wealth.assess", payload=answers_request, store="assessment", when="needs_assessment",
                 reference="assessment_ref", refusals={"customer_unknown": lambda s, e: Fail(T + "not_customer")}),
        Confirm("grade", rows=grade_rows, when="needs_assessment", back=False),
        Choose("product", options=product_options, store="product_code"),
        HostCall("suitability", op="wealth.suitability", payload=lambda s: {**customer(s),
                 "product_code": visit(s).product_code}, store="suited", when="needs_suitability",
                 branches=("product", "recorded_sale"), refusals=_SUITABILITY),
        Confirm("facts", rows=facts_rows),
        InsertBankCard("card"),
        Form("amount", fields=[FieldRule("amount_yuan", input="amount", max_length=MAX_YUAN_DIGITS,
                                         check=check_yuan)]),
        HostCall("quote", op="wealth.quote", payload=quote_request, store="quote", when="needs_quote",
                 branches=("amount",), refusals={**_LATER, **_AMOUNT, "card_not_yours": refused}),
        Confirm("confirm", rows=summary),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("buy", op="wealth.purchase", payload=purchase_request, store="holding", amount=amount_fen,
                 reference="holding_ref", branches=("pin", "amount"),
                 refusals={**_LATER, **_AMOUNT, **_PIN, "card_not_yours": refused, "insufficient_funds": refused}),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
        # the recorded sale (双录): reached from the profile (age) or the suitability check (a product above R3)
        Confirm("recorded_sale", rows=reason_rows, when="needs_recorded_sale", back=False),
        HostCall("book", op="wealth.book_manager", payload=booking_request, store="booking",
                 when="needs_recorded_sale", reference="booking_ref"),
        Result("booked", rows=booking_rows, when="needs_recorded_sale"),
        PrintReceipt("slip", receipt=slip, when="needs_recorded_sale"),
    ],
    predicates={**IDENTITY_PREDICATES, "needs_assessment": needs_assessment, "needs_suitability": needs_suitability,
                "needs_quote": needs_quote, "needs_recorded_sale": needs_recorded_sale},
)
