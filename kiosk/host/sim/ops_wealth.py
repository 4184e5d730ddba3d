"""Wealth products (理财购买) at the simulated bank: the risk questionnaire and its grade, suitability, the quote,
the purchase, and booking the wealth manager for a sale that must be recorded (双录).

The bank's rules, as a Chinese bank applies the regulator's:

* a customer's risk assessment is valid for one year; without a valid one nothing is sold;
* the questionnaire has ten questions; each answer has its points (``SCORES``), the total gives the grade
  (``GRADES``: C1 to C5), and a customer who can bear no loss at all is C1 whatever the total;
* a grade Cn may buy products up to Rn (suitability: 适当性匹配);
* a sale to a customer aged 65 or more (from the ID number's birth date), or of a product above R3, is made in the
  branch's recorded area with a wealth manager (录音录像, 双录): this channel refuses it, and books the manager;
* a purchase is whole yuan, at least the product's minimum and at most its quota left; it is debited from the
  card's account at once, and the customer may cancel it during the 24-hour cooling-off period (投资冷静期), after
  which the money is invested (the value date); the expected return is a range, never a promise.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from kiosk.core.masking import mask_name, mask_pan
from kiosk.host.api_wealth import (
    QUESTIONS,
    Grade,
    ManagerBookingRequest,
    ManagerBookingResult,
    RiskAssessment,
    SuitabilityRequest,
    SuitabilityResult,
    WealthAssessRequest,
    WealthProduct,
    WealthProfileRequest,
    WealthProfileResult,
    WealthPurchaseRequest,
    WealthPurchaseResult,
    WealthQuoteRequest,
    WealthQuoteResult,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_docs14 import frozen_fen
from kiosk.host.sim.ops_payments import _paying_card
from kiosk.host.sim.pins import verify_card_pin
from kiosk.host.sim.seed_wealth import valid_until

# Points of answers a, b, c, d for each of the ten questions (the kiosk's catalogs hold their words).
SCORES: tuple[tuple[int, int, int, int], ...] = (
    (2, 4, 7, 10),  # 1 household income a year
    (2, 4, 7, 10),  # 2 share of financial assets to invest
    (2, 4, 7, 10),  # 3 years of investing beyond deposits
    (2, 4, 7, 10),  # 4 products invested in
    (2, 4, 7, 10),  # 5 knowledge of financial products
    (2, 4, 7, 10),  # 6 how long the money can stay invested
    (2, 4, 7, 10),  # 7 the goal
    (0, 4, 7, 10),  # 8 the largest loss that could be borne: "none" makes the customer C1
    (2, 4, 7, 10),  # 9 what the customer does after a 20 % fall
    (2, 4, 7, 10),  # 10 household debts
)
NO_LOSS = (7, "a")  # question 8, answer a: cannot bear any loss
GRADES: tuple[tuple[int, Grade], ...] = ((81, "C5"), (66, "C4"), (51, "C3"), (36, "C2"), (0, "C1"))  # the least score of each grade
RISKS = ("R1", "R2", "R3", "R4", "R5")
RECORDED_SALE_AGE = 65
RECORDED_SALE_ABOVE = "R3"
COOLING_OFF_HOURS = 24
DAY_BASIS = 365  # wealth products count actual days over 365
OPEN_AT, LAST_SLOT_AT, SLOT_MINUTES, LEAD_MINUTES, BOOK_DAYS = 9 * 60, 16 * 60 + 30, 30, 15, 7
TICKET_WITHIN_MINUTES = 60  # a slot this soon is a queue ticket (the customer waits in the branch); later, an appointment


# -- the rules, as functions of their inputs -------------------------------------------------------

def score_answers(answers: list[str]) -> tuple[int, Grade]:
    """The questionnaire's total and grade."""
    if len(answers) != QUESTIONS:
        raise ValueError(f"the questionnaire has {QUESTIONS} answers")
    score = sum(SCORES[i]["abcd".index(answer)] for i, answer in enumerate(answers))
    if answers[NO_LOSS[0]] == NO_LOSS[1]:
        return score, "C1"
    return score, next(grade for least, grade in GRADES if score >= least)


def grade_allows(grade: str, risk: str) -> bool:
    """Cn may buy up to Rn."""
    return RISKS.index(risk) <= int(grade[1]) - 1


def age_on(id_number: str, today: date) -> int:
    """Full years from the birth date in the ID number (characters 7-14, YYYYMMDD) to ``today``."""
    born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def expected_return_fen(principal_fen: int, annual_rate: Decimal, days: int) -> int:
    """What ``principal_fen`` would earn over ``days`` at ``annual_rate`` on actual/365, rounded half up to the fen."""
    if principal_fen < 0 or annual_rate < 0 or days < 0:
        raise ValueError("principal, rate and days are not negative")
    return int((Decimal(principal_fen) * annual_rate * days / DAY_BASIS).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def value_date(bought_at: datetime) -> date:
    """The money is invested the day after the cooling-off period ends."""
    return (bought_at + timedelta(hours=COOLING_OFF_HOURS)).date() + timedelta(days=1)


# -- reading the bank ------------------------------------------------------------------------------

def _customer(ctx: OpContext, id_number: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM customers WHERE id_number = ?", (id_number,)).fetchone()
    return row


def _latest_assessment(ctx: OpContext, customer_id: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = ctx.conn.execute(
        "SELECT * FROM wealth_assessments WHERE customer_id = ? ORDER BY assessed_at DESC, assessment_ref DESC LIMIT 1",
        (customer_id,)).fetchone()
    return row


def _assessment(row: sqlite3.Row) -> RiskAssessment:
    return RiskAssessment(assessment_ref=row["assessment_ref"], score=row["score"], grade=row["grade"],
                          assessed_on=datetime.fromisoformat(row["assessed_at"]).date(),
                          valid_until=date.fromisoformat(row["valid_until"]))


def _is_valid(row: sqlite3.Row | None, today: date) -> bool:
    return row is not None and date.fromisoformat(row["valid_until"]) >= today


def _product(row: sqlite3.Row) -> WealthProduct:
    return WealthProduct(code=row["code"], name=row["name"], name_en=row["name_en"], risk=row["risk"],
                         term_days=row["term_days"], min_fen=row["min_fen"], rate_low=Decimal(row["rate_low"]),
                         rate_high=Decimal(row["rate_high"]))


def _product_on_sale(ctx: OpContext, code: str) -> sqlite3.Row:
    row: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM wealth_products WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise Refusal("product_unknown", "no such product")
    if not row["on_sale"]:
        raise Refusal("product_closed", "the product is not on sale")
    return row


def _suitable(ctx: OpContext, id_number: str, code: str) -> tuple[sqlite3.Row, sqlite3.Row, sqlite3.Row]:
    """(customer, product, assessment) when this channel may sell the product to the customer."""
    customer = _customer(ctx, id_number)
    if customer is None:
        raise Refusal("customer_unknown", "not a customer of this bank")
    product = _product_on_sale(ctx, code)
    assessment = _latest_assessment(ctx, customer["customer_id"])
    if assessment is None or not _is_valid(assessment, ctx.now.date()):
        raise Refusal("assessment_required", "no valid risk assessment",
                      expired_on=assessment["valid_until"] if assessment is not None else None)
    if not grade_allows(assessment["grade"], product["risk"]):
        raise Refusal("risk_above_grade", "the product's risk is above the customer's grade",
                      grade=assessment["grade"], risk=product["risk"])
    if age_on(id_number, ctx.now.date()) >= RECORDED_SALE_AGE:
        raise Refusal("recorded_sale_required", "a sale to a customer aged 65 or more is recorded", reason="age")
    if RISKS.index(product["risk"]) > RISKS.index(RECORDED_SALE_ABOVE):
        raise Refusal("recorded_sale_required", "a sale of a product above R3 is recorded", reason="risk")
    return customer, product, assessment


def _own_card(ctx: OpContext, pan: str, customer: sqlite3.Row) -> sqlite3.Row:
    card = _paying_card(ctx, pan)
    if card["customer_id"] != customer["customer_id"]:
        raise Refusal("card_not_yours", "the card is not the customer's own")
    return card


def _check_amount(product: sqlite3.Row, amount_fen: int) -> None:
    if amount_fen % 100:
        raise Refusal("amount_not_whole_yuan", "a purchase is whole yuan")
    if amount_fen < product["min_fen"]:
        raise Refusal("amount_below_minimum", "below the product's minimum", min_fen=product["min_fen"])
    if amount_fen > product["quota_left_fen"]:
        raise Refusal("quota_exceeded", "more than the product has left to sell",
                      quota_left_fen=product["quota_left_fen"])


# -- the operations --------------------------------------------------------------------------------

def profile(ctx: OpContext, req: WealthProfileRequest) -> WealthProfileResult:
    customer = _customer(ctx, req.id_number)
    latest = _latest_assessment(ctx, customer["customer_id"]) if customer is not None else None
    rows = ctx.conn.execute("SELECT * FROM wealth_products WHERE on_sale = 1 ORDER BY risk, rank").fetchall()
    return WealthProfileResult(customer=customer is not None, assessment=_assessment(latest) if latest else None,
                               assessment_valid=_is_valid(latest, ctx.now.date()),
                               products=[_product(r) for r in rows])


def assess(ctx: OpContext, req: WealthAssessRequest) -> RiskAssessment:
    """Score and keep the answers. Not a posting (the visit goes on to a purchase), so exactly once is kept here:
    a retry with the same idempotency key answers the assessment it made."""
    customer = _customer(ctx, req.id_number)
    if customer is None:
        raise Refusal("customer_unknown", "not a customer of this bank")
    made = ctx.conn.execute("SELECT * FROM wealth_assessments WHERE idempotency_key = ?",
                            (ctx.idempotency_key,)).fetchone()
    if made is not None:
        return _assessment(made)
    score, grade = score_answers(list(req.answers))
    ref = next_ref(ctx.conn, "RA")
    ctx.conn.execute(
        "INSERT INTO wealth_assessments(assessment_ref, customer_id, answers, score, grade, assessed_at, valid_until, "
        "idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (ref, customer["customer_id"], json.dumps(list(req.answers)), score, grade, ctx.now.isoformat(),
         valid_until(ctx.now), ctx.idempotency_key))
    return RiskAssessment(assessment_ref=ref, score=score, grade=grade, assessed_on=ctx.now.date(),
                          valid_until=date.fromisoformat(valid_until(ctx.now)))


def suitability(ctx: OpContext, req: SuitabilityRequest) -> SuitabilityResult:
    _, product, assessment = _suitable(ctx, req.id_number, req.product_code)
    return SuitabilityResult(product=_product(product), grade=assessment["grade"],
                             grade_valid_until=date.fromisoformat(assessment["valid_until"]))


def quote(ctx: OpContext, req: WealthQuoteRequest) -> WealthQuoteResult:
    customer, product, _ = _suitable(ctx, req.id_number, req.product_code)
    card = _own_card(ctx, req.pan, customer)
    _check_amount(product, req.amount_fen)
    starts = value_date(ctx.now)
    return WealthQuoteResult(
        product_code=product["code"], amount_fen=req.amount_fen, account_masked=mask_pan(card["account_no"]),
        value_date=starts, maturity_date=starts + timedelta(days=product["term_days"]),
        cooling_off_hours=COOLING_OFF_HOURS,
        return_low_fen=expected_return_fen(req.amount_fen, Decimal(product["rate_low"]), product["term_days"]),
        return_high_fen=expected_return_fen(req.amount_fen, Decimal(product["rate_high"]), product["term_days"]))


def purchase(ctx: OpContext, req: WealthPurchaseRequest) -> WealthPurchaseResult:
    customer = _customer(ctx, req.id_number)
    if customer is None:
        raise Refusal("customer_unknown", "not a customer of this bank")
    card = _own_card(ctx, req.pan, customer)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    _, product, _ = _suitable(ctx, req.id_number, req.product_code)
    _check_amount(product, req.amount_fen)
    account_no = card["account_no"]
    (balance,) = ctx.conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?", (account_no,)).fetchone()
    if balance - frozen_fen(ctx, account_no) < req.amount_fen:
        raise Refusal("insufficient_funds", "the available balance does not cover the amount")
    ref = next_ref(ctx.conn, "WH")
    until = ctx.now + timedelta(hours=COOLING_OFF_HOURS)
    starts = value_date(ctx.now)
    matures = starts + timedelta(days=product["term_days"])
    ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen - ? WHERE account_no = ?", (req.amount_fen, account_no))
    ctx.conn.execute("INSERT INTO transactions(account_no, posted_on, kind, amount_fen, balance_fen, reference) "
                     "VALUES (?, ?, 'wealth', ?, ?, ?)",
                     (account_no, ctx.now.date().isoformat(), -req.amount_fen, balance - req.amount_fen, ref))
    ctx.conn.execute("UPDATE wealth_products SET quota_left_fen = quota_left_fen - ? WHERE code = ?",
                     (req.amount_fen, product["code"]))
    ctx.conn.execute(
        "INSERT INTO wealth_holdings(holding_ref, customer_id, product_code, account_no, card_ref, amount_fen, "
        "bought_at, cooling_off_until, value_date, maturity_date, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ref, customer["customer_id"], product["code"], account_no, card["card_ref"], req.amount_fen,
         ctx.now.isoformat(), until.isoformat(), starts.isoformat(), matures.isoformat(), ctx.idempotency_key))
    return WealthPurchaseResult(
        holding_ref=ref, product_code=product["code"], product_name=product["name"], product_name_en=product["name_en"],
        risk=product["risk"], amount_fen=req.amount_fen, debited_fen=req.amount_fen,
        account_masked=mask_pan(account_no), bought_at=ctx.now, cooling_off_until=until, value_date=starts,
        maturity_date=matures)


# -- booking the wealth manager ----------------------------------------------------------------------

def _slots(now: datetime) -> list[datetime]:
    """The half-hour slots from the first one at least LEAD_MINUTES away, over the next BOOK_DAYS days."""
    earliest = now + timedelta(minutes=LEAD_MINUTES)
    slots = []
    for day in range(BOOK_DAYS):
        midnight = (now + timedelta(days=day)).replace(hour=0, minute=0, second=0, microsecond=0)
        for minute in range(OPEN_AT, LAST_SLOT_AT + 1, SLOT_MINUTES):
            slot = midnight + timedelta(minutes=minute)
            if slot >= earliest:
                slots.append(slot)
    return slots


def book_manager(ctx: OpContext, req: ManagerBookingRequest) -> ManagerBookingResult:
    managers = ctx.conn.execute("SELECT * FROM wealth_managers ORDER BY manager_id").fetchall()
    for slot in _slots(ctx.now):
        taken = {r["manager_id"] for r in ctx.conn.execute("SELECT manager_id FROM wealth_bookings WHERE slot_at = ?",
                                                              (slot.isoformat(),))}
        free = [m for m in managers if m["manager_id"] not in taken]
        if free:
            return _book(ctx, req, free[0], slot)
    raise Refusal("no_slot", f"no wealth manager is free in the next {BOOK_DAYS} days")


def _book(ctx: OpContext, req: ManagerBookingRequest, manager: sqlite3.Row, slot: datetime) -> ManagerBookingResult:
    soon = slot - ctx.now <= timedelta(minutes=TICKET_WITHIN_MINUTES)
    kind: Literal["ticket", "appointment"] = "ticket" if soon else "appointment"
    (booked_that_day,) = ctx.conn.execute("SELECT COUNT(*) FROM wealth_bookings WHERE substr(slot_at, 1, 10) = ?",
                                          (slot.date().isoformat(),)).fetchone()
    ticket = f"{'V' if kind == 'ticket' else 'A'}{booked_that_day + 1:03d}"  # V: the wealth area's queue
    ref = next_ref(ctx.conn, "WB")
    ctx.conn.execute(
        "INSERT INTO wealth_bookings(booking_ref, id_number, reason, product_code, manager_id, slot_at, kind, "
        "ticket_no, booked_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ref, req.id_number, req.reason, req.product_code, manager["manager_id"], slot.isoformat(), kind, ticket,
         ctx.now.isoformat(), ctx.idempotency_key))
    return ManagerBookingResult(booking_ref=ref, kind=kind, ticket_no=ticket, slot_at=slot, desk=manager["desk"],
                                desk_en=manager["desk_en"], manager_masked=mask_name(manager["name"]),
                                reason=req.reason)
