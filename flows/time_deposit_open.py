"""定期存款 — a time deposit opened from a bank card's current account (活期转定期).

Counter procedure: insert the card; the host gives its rate table (3 and 6 months, 1, 2, 3 and 5 years)
and the value date (the host's today); the amount in whole yuan (50 yuan at least: the bank's minimum);
the term, each shown with its annual rate and the interest this amount earns by maturity; whether the
deposit rolls over at maturity (principal and interest again for the same term) or not (it then earns
the demand rate until withdrawn); the summary with the maturity date, the estimated interest and the
total at maturity is confirmed; the PIN; the host debits the current account and opens the deposit once,
under its idempotency key; result and receipt with the certificate of deposit number (存单号); the card
comes back. Money moves between the customer's own accounts: no fraud warning and no kiosk limit.
Rules: interest is simple interest on actual/360, ``amount x annual rate x days / 360`` rounded half up to
the fen (kiosk.core.rates.interest_fen), the days from the value date to maturity (kiosk.core.rates.add_months:
the same day ``months`` later, or that month's last day). The rate and the interest shown are sent with
the posting and the host opens on exactly those: a rate changed since (``rate_changed``), a term no longer
offered (``term_unknown``) or a value date passed at midnight (``interest_changed``) brings the customer back
to the amount with the new table.
Refusals: below the minimum or more than the available balance back to the amount (the available figure
shown once the PIN is checked; under the minimum available, the visit ends); a wrong PIN back to PIN entry
with the tries left, the third locks it for the day; a lost or unknown card ends the visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import ACCOUNTS, local_time, pin_refusals, yuan
from flows.money_common import MAX_YUAN_DIGITS, bank_card, percent, yuan_to_fen
from kiosk.core.digits import ascii_digits
from kiosk.core.rates import add_months, interest_fen
from kiosk.engine.flow import Fail, Flow, Goto, Verdict
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
from kiosk.host.api_td_open import DepositRate, TimeDepositOpenResult, TimeDepositRateTableResult
from kiosk.host.errors import HostRejected

MINIMUM_YUAN = 50  # the bank's smallest time deposit (the host refuses less too)
ROLLOVER = ("auto", "none")


@dataclass
class TimeDepositOpening:
    """What this visit gathers: the rate table, the amount, term and rollover, the PIN block and the deposit."""

    table: TimeDepositRateTableResult = later()
    deposit_yuan: str = later()
    term: str = later()
    rollover: str = later()
    pin_block: PinBlock = later()
    opened: TimeDepositOpenResult = later()
    requoted: bool = False  # the host refused the rate shown: the table is asked again


def visit(s: Session) -> TimeDepositOpening:
    return s.data_as(TimeDepositOpening)


def check_amount(value: str) -> str | None:
    """Whole yuan (ASCII digits, no leading zero), 50 or more."""
    if not ascii_digits(value) or value.startswith("0"):
        return "field.deposit_yuan.invalid"
    return None if int(value) >= MINIMUM_YUAN else "field.deposit_yuan.below_minimum"


def amount_fen(s: Session) -> int:
    return yuan_to_fen(visit(s).deposit_yuan)


def rate_of(s: Session, term: str) -> DepositRate:
    return next(r for r in visit(s).table.rates if r.term == term)


def maturity_on(s: Session, rate: DepositRate) -> date:
    return add_months(visit(s).table.value_date, rate.months)


def term_interest_fen(principal_fen: int, rate: Decimal, start: date, months: int) -> int:
    """The interest at maturity: principal x annual rate x days / 360, rounded half up to the fen, the days
    from ``start`` to the same day ``months`` later (or that month's last day)."""
    return interest_fen(principal_fen, rate, (add_months(start, months) - start).days)


def estimated_interest_fen(s: Session, rate: DepositRate) -> int:
    """The interest the amount typed earns by maturity at ``rate``, from the host's value date."""
    return term_interest_fen(amount_fen(s), rate.rate, visit(s).table.value_date, rate.months)


def chosen(s: Session) -> DepositRate:
    return rate_of(s, visit(s).term)


def table_request(s: Session) -> dict[str, Any]:
    return {"pan": bank_card(s).pan}


def after_table(s: Session) -> Verdict | None:
    """A table asked again because the rate shown had changed: the amount again, saying why."""
    if not visit(s).requoted:
        return None
    visit(s).requoted = False
    return Goto("amount", "flow.time_deposit_open.rate_changed")


def term_options(s: Session) -> list[Choice]:
    return [Choice(r.term, s.t(f"flow.time_deposit_open.term.{r.term}"),
                   s.t("flow.time_deposit_open.term_detail", rate=percent(r.rate),
                       interest=yuan(s, estimated_interest_fen(s, r))))
            for r in visit(s).table.rates]


def rollover_options(s: Session) -> list[Choice]:
    return [Choice(r, s.t(f"flow.time_deposit_open.rollover.{r}"), s.t(f"flow.time_deposit_open.rollover.{r}.detail"))
            for r in ROLLOVER]


def open_request(s: Session) -> dict[str, Any]:
    return {"pan": bank_card(s).pan, "pin_block": visit(s).pin_block, "term": visit(s).term,
            "amount_fen": amount_fen(s), "rate": chosen(s).rate, "interest_fen": estimated_interest_fen(s, chosen(s)),
            "auto_rollover": visit(s).rollover == "auto"}


def t_row(s: Session, name: str, value: str) -> Row:
    return Row(s.t(f"flow.time_deposit_open.row.{name}"), value)


def term_dates(s: Session, term: str, start: date, end: date) -> str:
    return s.t("flow.time_deposit_open.term_dates", term=s.t(f"flow.time_deposit_open.term.{term}"),
               start=start.isoformat(), end=end.isoformat())


def interest_and_total(s: Session, principal_fen: int, interest: int) -> str:
    return s.t("flow.time_deposit_open.interest_total", interest=yuan(s, interest),
               total=yuan(s, principal_fen + interest))


def rollover_text(s: Session, auto: bool) -> str:
    return s.t(f"flow.time_deposit_open.rollover.{'auto' if auto else 'none'}")


def summary(s: Session) -> list[Row]:
    """Five rows, so the figures the customer confirms are on one page: amount, term and its dates, rate,
    interest with the total at maturity, rollover."""
    rate, v = chosen(s), visit(s)
    return [t_row(s, "principal", yuan(s, amount_fen(s))),
            t_row(s, "term", term_dates(s, rate.term, v.table.value_date, maturity_on(s, rate))),
            t_row(s, "rate", percent(rate.rate)),
            t_row(s, "interest", interest_and_total(s, amount_fen(s), estimated_interest_fen(s, rate))),
            t_row(s, "rollover", rollover_text(s, v.rollover == "auto"))]


def result_rows(s: Session) -> list[Row]:
    done = visit(s).opened
    return [t_row(s, "cd_no", done.cd_no), t_row(s, "principal", yuan(s, done.principal_fen)),
            t_row(s, "term", term_dates(s, done.term, done.opened_on, done.maturity_on)),
            t_row(s, "rate", percent(done.rate)),
            t_row(s, "interest", interest_and_total(s, done.principal_fen, done.interest_fen))]


def receipt(s: Session) -> Receipt:
    done = visit(s).opened
    rows = [t_row(s, "cd_no", done.cd_no), t_row(s, "term", s.t(f"flow.time_deposit_open.term.{done.term}")),
            t_row(s, "principal", yuan(s, done.principal_fen)), t_row(s, "rate", percent(done.rate)),
            t_row(s, "value_date", done.opened_on.isoformat()), t_row(s, "maturity_on", done.maturity_on.isoformat()),
            t_row(s, "interest", yuan(s, done.interest_fen)),
            t_row(s, "total", yuan(s, done.principal_fen + done.interest_fen)),
            t_row(s, "rollover", rollover_text(s, done.auto_rollover)), Row(s.t("row.account"), done.account_masked),
            t_row(s, "opened_at", local_time(done.opened_at)), t_row(s, "note", s.t("flow.time_deposit_open.note"))]
    return build_receipt(s, "flow.time_deposit_open.receipt_title", rows, done.cd_no)


def requote(s: Session, error: HostRejected) -> Verdict:
    visit(s).requoted = True
    return Goto("rates")


def over_available(s: Session, error: HostRejected) -> Verdict:
    available = max(error.detail_int("available_fen"), 0)
    if available < MINIMUM_YUAN * 100:
        return Fail("flow.time_deposit_open.insufficient_funds", params={"available": yuan(s, available)})
    return Goto("amount", "flow.time_deposit_open.over_available", {"available": yuan(s, available)})


time_deposit_open = Flow(
    id="time_deposit_open", category=ACCOUNTS, devices=frozenset({"smartcard", "pinpad", "printer"}),
    data=TimeDepositOpening,
    steps=[
        InsertBankCard("card"),
        HostCall("rates", op="time_deposits.rate_table", payload=table_request, store="table", check=after_table,
                 branches=("amount",)),
        Form("amount", fields=[FieldRule("deposit_yuan", input="amount", max_length=MAX_YUAN_DIGITS,
                                         check=check_amount)]),
        Choose("term", options=term_options, store="term", back=True),
        Choose("rollover", options=rollover_options, store="rollover", back=True),
        Confirm("confirm", rows=summary),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("open", op="time_deposits.open", payload=open_request, store="opened", amount=amount_fen,
                 reference="cd_no", branches=("pin", "amount", "rates"), refusals={
                     **pin_refusals(),
                     "below_minimum": lambda s, e: Goto("amount", "field.deposit_yuan.below_minimum"),
                     "insufficient_funds": over_available, "rate_changed": requote, "interest_changed": requote,
                     "term_unknown": requote}),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
)
