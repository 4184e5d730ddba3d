"""Personal consumer loans (个人消费贷) at the simulated bank: the automatic decision, and the pay-out once signed.

``loans.decide`` checks the card (the applicant's own, usable), the consents, the purpose, term and amount,
then queries the credit bureau (``credit_records``; the query is recorded in ``credit_queries`` as 贷款审批) and
the social-insurance agency (``loan_social_insurance``), and runs the scoring model
(:mod:`kiosk.host.sim.loan_model`). The application is recorded with its decision, score, reasons and factors
under the request's idempotency key: a retry of the same request answers the same decision, never a second
application. An approval carries the rate and the equal-instalment figures (:mod:`kiosk.core.annuity`) from the
host's today, and holds for 30 minutes; a referral the time by which staff call (the end of the next working day).

``loans.disburse`` takes the signed contract's figures with the card's PIN: the host pays out on exactly the
figures it approved (recomputed from today) or refuses ``terms_changed``; the principal is credited to the
card's account once (a ``loan_disbursement`` line), the loan and its schedule are recorded, the account is held
(it cannot be closed while the loan runs) and the loan is reported to the credit bureau.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from kiosk.core.annuity import Schedule, repayment_schedule
from kiosk.core.masking import mask_pan, mask_phone
from kiosk.host.api_loan import (
    COOLING_OFF_DAYS,
    MAX_AMOUNT_FEN,
    MIN_AMOUNT_FEN,
    OFFER_VALID_S,
    PROHIBITED_PURPOSES,
    PURPOSES,
    TERMS_MONTHS,
    LoanDecideRequest,
    LoanDecideResult,
    LoanDisburseRequest,
    LoanDisburseResult,
    LoanFactor,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.loan_model import Applicant, Application, BureauRecord, Decision, SocialInsurance, decide
from kiosk.host.sim.ops_cards import card_status
from kiosk.host.sim.pins import verify_card_pin

BANK = "示范银行"
BUREAU_QUERY_REASON = "贷款审批"
TXN_KIND = "loan_disbursement"
CALLBACK_BY = time(17, 30)  # staff call a referred applicant before the end of the next working day


def applicants_card(ctx: OpContext, id_number: str, pan: str) -> sqlite3.Row:
    """The card whose account takes the loan: at this bank, usable, and the applicant's own."""
    card: sqlite3.Row | None = ctx.conn.execute(
        "SELECT c.*, u.id_number AS holder_id, u.mobile AS holder_mobile FROM cards c "
        "JOIN customers u ON u.customer_id = c.customer_id WHERE c.pan = ?", (pan,)).fetchone()
    if card is None or card["status"] in ("replaced", "closed"):
        raise Refusal("card_not_found", "no such card at this bank")
    if card_status(card, ctx.now) != "active":
        raise Refusal("card_lost", "the card cannot be used (reported lost or not activated)")
    if card["holder_id"] != id_number:
        raise Refusal("card_not_yours", "the card is not the applicant's own")
    return card


def _check_application(req: LoanDecideRequest) -> None:
    if not (req.consent_credit_bureau and req.consent_social_insurance):
        raise Refusal("consent_required", "the credit bureau and social insurance are queried only with consent")
    if req.purpose in PROHIBITED_PURPOSES:
        raise Refusal("purpose_prohibited", "a consumer loan may not pay for this", purpose=req.purpose)
    if req.purpose not in PURPOSES:
        raise Refusal("purpose_unknown", "not a purpose of this product", purposes=list(PURPOSES))
    if req.term_months not in TERMS_MONTHS:
        raise Refusal("term_unknown", "the product does not offer this term", terms=list(TERMS_MONTHS))
    if not MIN_AMOUNT_FEN <= req.amount_fen <= MAX_AMOUNT_FEN:
        raise Refusal("amount_out_of_range", "the amount is outside the product's range",
                      min_fen=MIN_AMOUNT_FEN, max_fen=MAX_AMOUNT_FEN)


def birth_date(id_number: str) -> date:
    """From the resident ID number (GB 11643: the birth date is characters 7-14)."""
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def applicant(conn: sqlite3.Connection, id_number: str) -> Applicant:
    """What the credit bureau and the social-insurance agency answer about ``id_number``."""
    records = conn.execute("SELECT kind, status, balance_fen, overdue_months FROM credit_records WHERE id_number = ?",
                           (id_number,)).fetchall()
    si = conn.execute("SELECT months, base_fen, status FROM loan_social_insurance WHERE id_number = ?",
                      (id_number,)).fetchone()
    return Applicant(
        birth_date(id_number),
        tuple(BureauRecord(r["kind"], r["status"], int(r["balance_fen"]), int(r["overdue_months"])) for r in records),
        SocialInsurance(int(si["months"]), int(si["base_fen"]), si["status"] == "active") if si else None)


def next_working_day_end(now: datetime) -> datetime:
    day = now.date() + timedelta(days=1)
    while day.weekday() >= 5:  # Saturday, Sunday
        day += timedelta(days=1)
    return datetime.combine(day, CALLBACK_BY, tzinfo=now.tzinfo)


def _offer(decision: Decision, req: LoanDecideRequest, today: date) -> Schedule | None:
    if decision.decision != "approved" or decision.apr is None:
        return None
    return repayment_schedule(req.amount_fen, decision.apr, req.term_months, today)


def _result(ctx: OpContext, ref: str, req: LoanDecideRequest, card: sqlite3.Row, decision: Decision) -> LoanDecideResult:
    schedule, referred = _offer(decision, req, ctx.now.date()), decision.decision == "referred"
    return LoanDecideResult(
        application_ref=ref, decision=decision.decision, score=decision.score,  # type: ignore[arg-type]
        reasons=list(decision.reasons), factors=[LoanFactor(factor=f.factor, value=f.value, points=f.points)
                                                 for f in decision.factors],
        amount_fen=req.amount_fen, term_months=req.term_months, value_date=ctx.now.date(),
        account_masked=mask_pan(card["account_no"]), limit_fen=decision.limit_fen, apr=decision.apr,
        instalment_fen=schedule.regular_fen if schedule else None,
        last_instalment_fen=schedule.last_fen if schedule else None,
        total_interest_fen=schedule.total_interest_fen if schedule else None,
        offer_expires_at=ctx.now + timedelta(seconds=OFFER_VALID_S) if schedule else None,
        callback_by=next_working_day_end(ctx.now) if referred else None,
        mobile_masked=mask_phone(card["holder_mobile"]) if referred and card["holder_mobile"] else None)


def decide_application(ctx: OpContext, req: LoanDecideRequest) -> LoanDecideResult:
    """``loans.decide``: one application, decided once under its idempotency key."""
    done = ctx.conn.execute("SELECT reply FROM loan_applications WHERE idempotency_key = ?",
                            (ctx.idempotency_key,)).fetchone()
    if done is not None:
        return LoanDecideResult.model_validate_json(done["reply"])
    card = applicants_card(ctx, req.id_number, req.pan)
    _check_application(req)
    decision = decide(applicant(ctx.conn, req.id_number),
                      Application(req.amount_fen, req.term_months, req.monthly_income_fen), ctx.now.date())
    ctx.conn.execute("INSERT INTO credit_queries(id_number, queried_at, queried_by, reason, self, idempotency_key) "
                     "VALUES (?, ?, ?, ?, 0, ?)",
                     (req.id_number, ctx.now.isoformat(), BANK, BUREAU_QUERY_REASON, ctx.idempotency_key))
    result = _result(ctx, next_ref(ctx.conn, "LA", width=10), req, card, decision)
    ctx.conn.execute(
        "INSERT INTO loan_applications(application_ref, id_number, customer_id, card_ref, amount_fen, term_months, "
        "purpose, monthly_income_fen, decision, score, reasons, factors, limit_fen, apr, value_date, decided_at, "
        "offer_expires_at, callback_by, status, reply, idempotency_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (result.application_ref, req.id_number, card["customer_id"], card["card_ref"], req.amount_fen,
         req.term_months, req.purpose, req.monthly_income_fen, result.decision, result.score,
         json.dumps(result.reasons), json.dumps([f.model_dump() for f in result.factors]), result.limit_fen,
         str(result.apr) if result.apr is not None else None, result.value_date.isoformat(), ctx.now.isoformat(),
         _iso(result.offer_expires_at), _iso(result.callback_by), result.decision, result.model_dump_json(),
         ctx.idempotency_key))
    return result


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _approved(ctx: OpContext, req: LoanDisburseRequest, card: sqlite3.Row) -> sqlite3.Row:
    row: sqlite3.Row | None = ctx.conn.execute(
        "SELECT * FROM loan_applications WHERE application_ref = ? AND id_number = ? AND card_ref = ?",
        (req.application_ref, req.id_number, card["card_ref"])).fetchone()
    if row is None:
        raise Refusal("application_unknown", "no such application by this applicant with this card")
    if row["status"] == "signed":
        raise Refusal("already_disbursed", "this loan was paid out already")
    if row["status"] != "approved":
        raise Refusal("not_approved", "the application was not approved", decision=row["decision"])
    if ctx.now >= datetime.fromisoformat(row["offer_expires_at"]):
        raise Refusal("offer_expired", "the approval is no longer valid: apply again")
    return row


def _signed_terms(ctx: OpContext, req: LoanDisburseRequest, row: sqlite3.Row) -> Schedule:
    """The schedule of the approved loan paid out today; the figures signed must be its figures."""
    schedule = repayment_schedule(int(row["amount_fen"]), Decimal(row["apr"]), int(row["term_months"]), ctx.now.date())
    signed = (req.amount_fen, req.term_months, req.apr, req.instalment_fen, req.last_instalment_fen,
              req.total_interest_fen, req.value_date)
    actual = (schedule.principal_fen, schedule.months, schedule.annual_rate, schedule.regular_fen, schedule.last_fen,
              schedule.total_interest_fen, ctx.now.date())
    if signed != actual:
        raise Refusal("terms_changed", "the contract signed is not the loan approved for today",
                      value_date=ctx.now.date().isoformat(), instalment_fen=schedule.regular_fen,
                      last_instalment_fen=schedule.last_fen, total_interest_fen=schedule.total_interest_fen)
    return schedule


def _book(ctx: OpContext, loan_no: str, account_no: str, id_number: str, schedule: Schedule) -> None:
    """Credit the account, record the schedule, hold the account, report the loan to the credit bureau."""
    today = ctx.now.date().isoformat()
    ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen + ? WHERE account_no = ?",
                     (schedule.principal_fen, account_no))
    ctx.conn.execute(
        "INSERT INTO transactions(account_no, posted_on, kind, amount_fen, balance_fen, reference) "
        "SELECT ?, ?, ?, ?, balance_fen, ? FROM accounts WHERE account_no = ?",
        (account_no, today, TXN_KIND, schedule.principal_fen, loan_no, account_no))
    ctx.conn.executemany(
        "INSERT INTO loan_schedule(loan_no, period, due_on, payment_fen, principal_fen, interest_fen, "
        "balance_after_fen) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(loan_no, i.period, i.due_on.isoformat(), i.payment_fen, i.principal_fen, i.interest_fen,
          i.balance_after_fen) for i in schedule.instalments])
    ctx.conn.execute("INSERT INTO account_holds(hold_ref, account_no, kind, idempotency_key) VALUES (?, ?, 'loan', ?)",
                     (next_ref(ctx.conn, "H"), account_no, ctx.idempotency_key))
    ctx.conn.execute(
        "INSERT INTO credit_records(id_number, kind, lender, product, opened_on, limit_fen, balance_fen, status, "
        "idempotency_key) VALUES (?, 'loan', ?, '个人消费贷款', ?, ?, ?, 'normal', ?)",
        (id_number, BANK, today, schedule.principal_fen, schedule.principal_fen, ctx.idempotency_key))


def disburse(ctx: OpContext, req: LoanDisburseRequest) -> LoanDisburseResult:
    """``loans.disburse``: the contract signed with the PIN; the loan paid out once."""
    card = applicants_card(ctx, req.id_number, req.pan)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    row = _approved(ctx, req, card)
    schedule = _signed_terms(ctx, req, row)
    loan_no, contract_no = next_ref(ctx.conn, "LN", width=10), next_ref(ctx.conn, "HT", width=10)
    today = ctx.now.date()
    cooling_off_until = today + timedelta(days=COOLING_OFF_DAYS)
    ctx.conn.execute(
        "INSERT INTO loan_loans(loan_no, contract_no, application_ref, customer_id, account_no, principal_fen, apr, "
        "term_months, instalment_fen, last_instalment_fen, total_interest_fen, disbursed_on, first_due_on, "
        "maturity_on, cooling_off_until, disbursed_at, idempotency_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (loan_no, contract_no, req.application_ref, card["customer_id"], card["account_no"], schedule.principal_fen,
         row["apr"], schedule.months, schedule.regular_fen, schedule.last_fen, schedule.total_interest_fen,
         today.isoformat(), schedule.first_due_on.isoformat(), schedule.last_due_on.isoformat(),
         cooling_off_until.isoformat(), ctx.now.isoformat(), ctx.idempotency_key))
    ctx.conn.execute("UPDATE loan_applications SET status = 'signed' WHERE application_ref = ?", (req.application_ref,))
    _book(ctx, loan_no, card["account_no"], req.id_number, schedule)
    return LoanDisburseResult(
        loan_no=loan_no, contract_no=contract_no, application_ref=req.application_ref,
        account_masked=mask_pan(card["account_no"]), principal_fen=schedule.principal_fen,
        credited_fen=schedule.principal_fen, apr=schedule.annual_rate, term_months=schedule.months,
        instalment_fen=schedule.regular_fen, last_instalment_fen=schedule.last_fen,
        total_interest_fen=schedule.total_interest_fen, disbursed_on=today, first_due_on=schedule.first_due_on,
        maturity_on=schedule.last_due_on, cooling_off_until=cooling_off_until, disbursed_at=ctx.now)


__all__ = ["applicant", "decide_application", "disburse", "next_working_day_end"]
