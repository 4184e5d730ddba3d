"""What the consumer loan flow (flows/consumer_loan_apply.py) gathers and shows: its data, the contract's pages
(key terms, every instalment, the clauses), the referral, the result and the receipts. The schedule shown is
:func:`kiosk.core.annuity.repayment_schedule` of the host's approval, from the day the host pays out: the same
function the host pays out on, and the figures the kiosk sends back with the signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import holder_rows, local_time, yuan
from flows.money_common import percent
from kiosk.core.annuity import Instalment, Schedule, payment_fen, repayment_schedule
from kiosk.core.money import format_fen
from kiosk.engine.screens import Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import CardHolderResult
from kiosk.host.api_loan import COOLING_OFF_DAYS, STANDARD_APR, LoanDecideResult, LoanDisburseResult

FACE_REQUIRED = "flow.consumer_loan_apply.face_required"
T = "flow.consumer_loan_apply."


@dataclass
class LoanApplication:
    """What this visit gathers: the card's holder check, purpose, amount and income, term, the host's decision,
    the signature (the contract's action), the PIN block and the loan paid out."""

    holder: CardHolderResult = later()
    purpose: str = later()
    loan_amount_yuan: str = later()
    loan_income_yuan: str = later()
    term: str = later()  # months: "6", "12", "24", "36"
    decision: LoanDecideResult = later()
    signed: str = ""  # "sign" once the contract was read to its end and signed
    pin_block: PinBlock = later()
    loan: LoanDisburseResult = later()

    @property
    def amount_fen(self) -> int:
        return int(self.loan_amount_yuan) * 100

    @property
    def income_fen(self) -> int:
        return int(self.loan_income_yuan) * 100

    @property
    def schedule(self) -> Schedule:
        """The approved loan's equal instalments, paid out on the host's value date."""
        d = self.decision
        if d.apr is None:
            raise LookupError("no approved rate: the application was not approved")
        return repayment_schedule(d.amount_fen, d.apr, d.term_months, d.value_date)


def visit(s: Session) -> LoanApplication:
    return s.data_as(LoanApplication)


def row(s: Session, name: str, value: str) -> Row:
    return Row(s.t(f"{T}row.{name}"), value)


def estimated_instalment_fen(s: Session, months: int) -> int:
    """The monthly payment of the amount typed at the standard rate, for choosing a term."""
    return payment_fen(visit(s).amount_fen, STANDARD_APR, months)


def agrees_with_host(s: Session) -> bool:
    """The schedule the kiosk shows has the host's figures (one function on both sides)."""
    d, schedule = visit(s).decision, visit(s).schedule
    return (d.instalment_fen, d.last_instalment_fen, d.total_interest_fen) == (
        schedule.regular_fen, schedule.last_fen, schedule.total_interest_fen)


def declined_reasons(s: Session) -> str:
    return s.t(f"{T}reason_join").join(s.t(f"{T}reason.{code}") for code in visit(s).decision.reasons)


def term_dates(s: Session, months: int, start: date, end: date) -> str:
    return s.t(f"{T}term_dates", months=months, start=start.isoformat(), end=end.isoformat())


def instalments_text(s: Session, schedule: Schedule) -> str:
    if schedule.last_fen == schedule.regular_fen:
        return yuan(s, schedule.regular_fen)
    return s.t(f"{T}instalments", regular=yuan(s, schedule.regular_fen), last=yuan(s, schedule.last_fen))


def interest_text(s: Session, schedule: Schedule) -> str:
    return s.t(f"{T}interest_total", interest=yuan(s, schedule.total_interest_fen), total=yuan(s, schedule.total_fen))


def key_terms(s: Session) -> list[Row]:
    d, schedule = visit(s).decision, visit(s).schedule
    day = d.value_date.day
    return [row(s, "decision", s.t(f"{T}approved_limit", limit=yuan(s, d.limit_fen or 0))),
            row(s, "amount", yuan(s, d.amount_fen)),
            row(s, "term", term_dates(s, d.term_months, d.value_date, schedule.last_due_on)),
            row(s, "apr", percent(schedule.annual_rate)),
            row(s, "method", s.t(f"{T}method_end" if day > 28 else f"{T}method", day=day)),
            row(s, "instalment", instalments_text(s, schedule)),
            row(s, "interest", interest_text(s, schedule)),
            row(s, "account", d.account_masked),
            row(s, "purpose", s.t(f"{T}purpose.{visit(s).purpose}"))]


def instalment_row(s: Session, i: Instalment) -> Row:
    return Row(s.t(f"{T}period", period=i.period, due=i.due_on.isoformat()),
               s.t(f"{T}period_value", payment=yuan(s, i.payment_fen), principal=format_fen(i.principal_fen),
                   interest=format_fen(i.interest_fen)))


def clauses(s: Session) -> list[Row]:
    until = visit(s).decision.value_date + timedelta(days=COOLING_OFF_DAYS)
    return [row(s, "cooling_off", s.t(f"{T}clause.cooling_off", days=COOLING_OFF_DAYS, until=until.isoformat())),
            row(s, "prepayment", s.t(f"{T}clause.prepayment")),
            row(s, "overdue", s.t(f"{T}clause.overdue")),
            row(s, "use", s.t(f"{T}clause.use"))]


def contract_rows(s: Session) -> list[Row]:
    """The contract, paged: the key terms, every instalment, the clauses."""
    return [*key_terms(s), *(instalment_row(s, i) for i in visit(s).schedule.instalments), *clauses(s)]


def referred_rows(s: Session) -> list[Row]:
    d = visit(s).decision
    callback = local_time(d.callback_by) if d.callback_by else ""
    return [row(s, "application_ref", d.application_ref), row(s, "decision", s.t(f"{T}referred_status")),
            row(s, "callback", s.t(f"{T}callback", by=callback, mobile=d.mobile_masked or "")),
            row(s, "amount", yuan(s, d.amount_fen)), row(s, "term", s.t(f"{T}months", months=d.term_months))]


def referred_receipt(s: Session) -> Receipt:
    rows = [*holder_rows(s), *referred_rows(s), row(s, "purpose", s.t(f"{T}purpose.{visit(s).purpose}"))]
    return build_receipt(s, f"{T}referred_receipt_title", rows, visit(s).decision.application_ref)


def cooling_off_text(s: Session, loan: LoanDisburseResult) -> str:
    return s.t(f"{T}cooling_off_notice", until=loan.cooling_off_until.isoformat(), amount=yuan(s, loan.principal_fen))


def result_rows(s: Session) -> list[Row]:
    loan = visit(s).loan
    return [row(s, "contract_no", loan.contract_no),
            row(s, "credited", s.t(f"{T}credited", amount=yuan(s, loan.credited_fen), account=loan.account_masked)),
            row(s, "apr_term", s.t(f"{T}apr_term", apr=percent(loan.apr), months=loan.term_months)),
            row(s, "first_due", s.t(f"{T}first_due", payment=yuan(s, loan.instalment_fen),
                                    due=loan.first_due_on.isoformat())),
            row(s, "cooling_off", cooling_off_text(s, loan))]


def receipt(s: Session) -> Receipt:
    loan = visit(s).loan
    rows = [*holder_rows(s), row(s, "contract_no", loan.contract_no), row(s, "loan_no", loan.loan_no),
            row(s, "amount", yuan(s, loan.principal_fen)), row(s, "account", loan.account_masked),
            row(s, "apr", percent(loan.apr)),
            row(s, "term", term_dates(s, loan.term_months, loan.disbursed_on, loan.maturity_on)),
            row(s, "instalment", yuan(s, loan.instalment_fen)), row(s, "last_instalment", yuan(s, loan.last_instalment_fen)),
            row(s, "first_due_on", loan.first_due_on.isoformat()),
            row(s, "interest", s.t(f"{T}interest_total", interest=yuan(s, loan.total_interest_fen),
                                   total=yuan(s, loan.principal_fen + loan.total_interest_fen))),
            row(s, "cooling_off", cooling_off_text(s, loan)), row(s, "disbursed_at", local_time(loan.disbursed_at))]
    return build_receipt(s, f"{T}receipt_title", rows, loan.loan_no)
