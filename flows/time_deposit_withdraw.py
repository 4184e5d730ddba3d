"""定期支取 — withdraw a time deposit to the card's account, at maturity or early, in full or once in part.

Counter procedure: insert the card, enter its PIN (the host checks it: a wrong PIN returns to PIN entry with
the tries left, the third locks it for the day); the host lists the card holder's time deposits (term, amount,
rate, maturity date); the customer picks one. A matured deposit is withdrawn in full: the principal and the
term's interest at the deposit's rate (actual/360), the days after maturity at the demand rate. Before
maturity the customer withdraws in full or in part (one partial withdrawal per deposit, offered only while
it is unused; the remainder keeps its term, rate and maturity date and must be at least 50 yuan; the amount
is typed in whole yuan): the part taken out earns the demand rate for the days it was held. The host quotes
the figures (principal, interest, the interest lost: what the term's rate would have paid on that principal
for those days, less what is paid, and the amount credited); they are confirmed on screen and posted once
under the idempotency key, the host refusing any other figures (``quote_changed``: the new figures are
shown and confirmed again; Back from the confirmation returns to the last answer, and only a changed answer is
quoted again). The proceeds go to the card's account; result; receipt with the masked
certificate number; the card comes back. Host refusals: partial withdrawal already used, a remainder below
the minimum (typed again), a deposit not found, not the card holder's or already withdrawn, card problems,
a wrong or locked PIN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.bank_documents import PIN_REFUSALS
from flows.common import ACCOUNTS, local_time, yuan
from flows.money_common import MAX_YUAN_DIGITS, bank_card, check_yuan, percent, yuan_to_fen
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
from kiosk.host.api_td_withdraw import (
    TimeDeposit,
    TimeDepositsResult,
    WithdrawalQuoteResult,
    WithdrawResult,
)
from kiosk.host.errors import HostRejected

FLOW = "flow.time_deposit_withdraw"
FULL, PARTIAL = "full", "partial"


@dataclass
class TimeDepositWithdraw:
    """What this visit gathers: the PIN block, the deposits, the one chosen, how much, the quote, the withdrawal."""

    pin_block: PinBlock = later()
    deposits: TimeDepositsResult = later()
    cd_no: str = later()
    mode: str = FULL  # "full" or "partial"; a matured deposit is withdrawn in full without asking
    amount_yuan: str = ""  # a partial withdrawal's principal, whole yuan as typed
    quote: WithdrawalQuoteResult | None = None  # the host's figures for what was asked last
    withdrawal: WithdrawResult = later()


def visit(s: Session) -> TimeDepositWithdraw:
    return s.data_as(TimeDepositWithdraw)


def t(s: Session, key: str, **params: Any) -> str:
    return s.t(f"{FLOW}.{key}", **params)


def chosen(s: Session) -> TimeDeposit:
    v = visit(s)
    return next(d for d in v.deposits.deposits if d.cd_no == v.cd_no)


def is_early(s: Session) -> bool:
    return not chosen(s).matured


def is_partial(s: Session) -> bool:
    return is_early(s) and visit(s).mode == PARTIAL


def card_request(s: Session) -> dict[str, Any]:
    return {"pan": bank_card(s).pan, "pin_block": visit(s).pin_block}


def require_deposits(s: Session) -> Verdict | None:
    return None if visit(s).deposits.deposits else Fail(f"{FLOW}.no_deposits")


def deposit_options(s: Session) -> list[Choice]:
    options = []
    for d in visit(s).deposits.deposits:
        label = t(s, "deposit_label", term=t(s, f"term.{d.term}"), amount=yuan(s, d.principal_fen))
        detail = t(s, "deposit_detail.matured" if d.matured else "deposit_detail.early", cd=d.cd_masked,
                   rate=percent(d.rate), date=d.maturity_on.isoformat())
        options.append(Choice(d.cd_no, label, detail + (t(s, "rollover") if d.auto_rollover else "")))
    return options


def max_partial_fen(s: Session) -> int:
    """The most a partial withdrawal may take in whole yuan, leaving the host's minimum on the deposit."""
    left = chosen(s).principal_fen - visit(s).deposits.min_remainder_fen
    return max(left // 100 * 100, 0)


def mode_options(s: Session) -> list[Choice]:
    d, demand = chosen(s), percent(visit(s).deposits.demand_rate)
    minimum = yuan(s, visit(s).deposits.min_remainder_fen)
    if d.partial_done:
        partial = Choice(PARTIAL, t(s, "mode.partial"), t(s, "mode.partial.used"), enabled=False)
    elif max_partial_fen(s) < 100:
        partial = Choice(PARTIAL, t(s, "mode.partial"), t(s, "mode.partial.too_small", minimum=minimum), enabled=False)
    else:
        partial = Choice(PARTIAL, t(s, "mode.partial"), t(s, "mode.partial.detail", max=yuan(s, max_partial_fen(s)),
                                                          minimum=minimum, rate=percent(d.rate)))
    return [Choice(FULL, t(s, "mode.full"), t(s, "mode.full.detail", demand=demand)), partial]


def the_quote(s: Session) -> WithdrawalQuoteResult:
    q = visit(s).quote
    if q is None:
        raise LookupError("no quote yet in this visit")
    return q


def needs_quote(s: Session) -> bool:
    """The host has not yet quoted what the customer now asks. Back from the confirmation skips the quote
    (nothing changed) to the customer's last answer; a changed deposit, mode or amount is quoted again."""
    q = visit(s).quote
    if q is None or q.cd_no != visit(s).cd_no:
        return True
    if is_partial(s):
        return q.withdrawal != "early_partial" or q.principal_fen != yuan_to_fen(visit(s).amount_yuan)
    return q.withdrawal == "early_partial"


def quote_request(s: Session) -> dict[str, Any]:
    partial = is_partial(s)
    return {"pan": bank_card(s).pan, "cd_no": visit(s).cd_no, "kind": PARTIAL if partial else FULL,
            "amount_fen": yuan_to_fen(visit(s).amount_yuan) if partial else None}


def withdraw_request(s: Session) -> dict[str, Any]:
    q = the_quote(s)
    return {**quote_request(s), "pin_block": visit(s).pin_block, "principal_fen": q.principal_fen,
            "interest_fen": q.interest_fen, "interest_lost_fen": q.interest_lost_fen}


def credited_fen(s: Session) -> int:
    return the_quote(s).credited_fen


def remainder_refused(s: Session, error: HostRejected) -> Verdict:
    return Goto("amount", f"{FLOW}.remainder_below_minimum",
                {"max": yuan(s, max(error.detail_int("max_amount_fen"), 0) // 100 * 100),
                 "minimum": yuan(s, max(error.detail_int("min_remainder_fen"), 0))})


def quote_changed(s: Session, error: HostRejected) -> Verdict:
    """The host's figures are no longer the ones confirmed (the day turned): show the new ones to confirm."""
    try:
        s.store("quote", WithdrawalQuoteResult.model_validate(error.details.get("quote")))
    except ValidationError:
        return Fail(f"{FLOW}.quote_changed_again")
    return Goto("confirm", f"{FLOW}.quote_changed")


def fail_with(code: str) -> Callable[[Session, HostRejected], Verdict]:
    return lambda s, e: Fail(f"{FLOW}.{code}")


_DEPOSIT_REFUSALS = {code: fail_with(code) for code in ("deposit_not_found", "deposit_not_yours",
                                                        "deposit_withdrawn", "partial_at_maturity")}
_QUOTE_REFUSALS = {**_DEPOSIT_REFUSALS, "remainder_below_minimum": remainder_refused,
                   "partial_already_done": lambda s, e: Goto("mode", f"{FLOW}.partial_already_done")}


def interest_value(s: Session, q: WithdrawalQuoteResult) -> str:
    amount, rate, demand = yuan(s, q.interest_fen), percent(q.rate), percent(q.demand_rate)
    if q.withdrawal != "at_maturity":
        return t(s, "interest.early", amount=amount, demand=demand, days=q.days_held)
    if q.overdue_days:
        return t(s, "interest.overdue", amount=amount, rate=rate, days=q.days_held, demand=demand,
                 overdue=q.overdue_days)
    return t(s, "interest.at_maturity", amount=amount, rate=rate, days=q.days_held)


def principal_value(s: Session, principal_fen: int, withdrawal: str) -> str:
    return t(s, "principal_value", amount=yuan(s, principal_fen), withdrawal=t(s, f"withdrawal.{withdrawal}"))


def lost_value(s: Session, q: WithdrawalQuoteResult) -> str:
    if not q.interest_lost_fen:
        return yuan(s, 0)
    return t(s, "interest_lost_value", amount=yuan(s, q.interest_lost_fen),
             full=yuan(s, q.interest_fen + q.interest_lost_fen))


def summary(s: Session) -> list[Row]:
    """The money first (the interest lost among it, on the first page in either mode), then the deposit."""
    q = the_quote(s)
    rows = [Row(t(s, "row.principal"), principal_value(s, q.principal_fen, q.withdrawal)),
            Row(t(s, "row.interest"), interest_value(s, q)),
            Row(t(s, "row.interest_lost"), lost_value(s, q)),
            Row(t(s, "row.credited"), t(s, "credited_value", amount=yuan(s, q.credited_fen), account=q.account_masked)),
            Row(t(s, "row.deposit"), t(s, "deposit_value", cd=q.cd_masked, term=t(s, f"term.{q.term}"),
                                      rate=percent(q.rate), date=q.maturity_on.isoformat()))]
    if q.remainder_fen:
        rows.append(Row(t(s, "row.remainder"), t(s, "remainder_value", amount=yuan(s, q.remainder_fen))))
    return rows


def result_rows(s: Session) -> list[Row]:
    w = visit(s).withdrawal
    rows = [Row(t(s, "row.credited"), t(s, "credited_value", amount=yuan(s, w.credited_fen), account=w.account_masked)),
            Row(t(s, "row.principal"), principal_value(s, w.principal_fen, w.withdrawal)),
            Row(t(s, "row.interest"), yuan(s, w.interest_fen)), Row(t(s, "row.interest_lost"), yuan(s, w.interest_lost_fen))]
    if w.remainder_fen:
        rows.append(Row(t(s, "row.remainder"), t(s, "remainder_value", amount=yuan(s, w.remainder_fen))))
    return rows


def receipt_rows(s: Session) -> list[Row]:
    w = visit(s).withdrawal
    rows = [Row(t(s, "row.reference"), w.withdrawal_ref), Row(t(s, "row.cd_no"), w.cd_masked),
            Row(t(s, "row.withdrawal"), t(s, f"withdrawal.{w.withdrawal}")),
            Row(t(s, "row.principal"), yuan(s, w.principal_fen)), Row(t(s, "row.interest"), yuan(s, w.interest_fen)),
            Row(t(s, "row.interest_lost"), yuan(s, w.interest_lost_fen)),
            Row(t(s, "row.credited"), yuan(s, w.credited_fen)), Row(t(s, "row.account"), w.account_masked)]
    if w.remainder_fen:
        rows += [Row(t(s, "row.remainder"), yuan(s, w.remainder_fen)),
                 Row(t(s, "row.maturity_on"), w.maturity_on.isoformat())]
    return [*rows, Row(t(s, "row.withdrawn_at"), local_time(w.withdrawn_at))]


def receipt(s: Session) -> Receipt:
    return build_receipt(s, f"{FLOW}.receipt_title", receipt_rows(s), visit(s).withdrawal.withdrawal_ref)


time_deposit_withdraw = Flow(
    id="time_deposit_withdraw", category=ACCOUNTS, devices=frozenset({"smartcard", "pinpad", "printer"}),
    data=TimeDepositWithdraw,
    steps=[
        InsertBankCard("card"),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("deposits", op="time_deposits.holdings", payload=card_request, store="deposits",
                 check=require_deposits, branches=("pin",), refusals=PIN_REFUSALS),
        Choose("deposit", options=deposit_options, store="cd_no"),
        Choose("mode", options=mode_options, store="mode", when="is_early", back=True),
        Form("amount", fields=[FieldRule("amount_yuan", input="amount", max_length=MAX_YUAN_DIGITS,
                                         check=check_yuan)], when="is_partial", back=True),
        HostCall("quote", op="time_deposits.withdraw_quote", payload=quote_request, store="quote",
                 when="needs_quote", branches=("amount", "mode"), refusals=_QUOTE_REFUSALS),
        Confirm("confirm", rows=summary),
        HostCall("withdraw", op="time_deposits.withdraw", payload=withdraw_request, store="withdrawal",
                 amount=credited_fen, reference="withdrawal_ref", branches=("pin", "mode", "amount", "confirm"),
                 refusals={**PIN_REFUSALS, **_QUOTE_REFUSALS, "quote_changed": quote_changed}),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={"is_early": is_early, "is_partial": is_partial, "needs_quote": needs_quote},
)
