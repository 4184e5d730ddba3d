"""购汇 — buying foreign currency with yuan from the customer's own bank card, into the card's foreign savings.

Counter procedure: consent, the ID card (the SAFE quota of USD 50,000 equivalent a calendar year is the
person's, counted by ID number over every bank), the customer's own bank card and its PIN; the host
checks both and answers with the quota used and left this year and the bank's selling rates; the purpose
declared from the SAFE list (travel, study, business, relatives, medical; property abroad, securities and
life insurance abroad are capital-account uses not open to individuals: the host refuses them with the
reason and nothing more is done), the currency (its selling rate and the most the quota still allows),
the amount in whole units of the currency; the host quotes: the rate with its time, the yuan to debit
(amount x rate, rounded half up to the fen: kiosk.core.fx) and what the purchase counts against the
quota (over the quota: back to the amount). The rate is held 60 s on the kiosk's clock: the confirmation
counts down, and once the time is up the customer refreshes the quote before confirming (a new quote,
the new figures). The host posts the quote's figures exactly once under its idempotency key (it refuses
an expired quote, ``quote_expired``, and other figures): yuan debited, foreign currency credited to the
card's savings, quota counted; result; receipt; the card comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, get_args

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import (
    IDENTITY_PREDICATES,
    SERVICES,
    id_card,
    identify,
    local_time,
    pin_refusals,
    yuan,
)
from flows.money_common import bank_card
from kiosk.core import i18n
from kiosk.core.digits import ascii_digits
from kiosk.core.fx import format_minor, format_rate, units_to_minor
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
from kiosk.engine.steps.host import Refusal
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api_fx import (
    PROHIBITED_PURPOSES,
    FxCurrency,
    FxPurchaseResult,
    FxPurpose,
    FxQuotaResult,
    FxQuoteResult,
)
from kiosk.host.errors import HostRejected

PURPOSES: tuple[str, ...] = get_args(FxPurpose)  # the SAFE list: current-account uses first, then the prohibited
MAX_UNITS_DIGITS = 9  # far above any quota: the host's quota check (not the field) refuses a large amount
USD_EXPONENT = 2


@dataclass
class FxPurchase:
    """What this visit gathers: the PIN block, the quota and rates, the declaration, the quote and how long
    the kiosk holds it, and the purchase."""

    pin_block: PinBlock = later()
    quota: FxQuotaResult = later()
    purpose: str = later()
    currency: str = later()
    fx_amount: str = later()  # whole units of the currency, as typed
    quote: FxQuoteResult = later()
    quoted_for: tuple[str, str, str] = ("", "", "")  # (purpose, currency, amount) of the quote held
    held_until: float | None = None  # the kiosk clock's monotonic time the quote is held until
    requoted: bool = False  # the host refused the quote shown: the next one is pointed out
    bought: FxPurchaseResult = later()


def visit(s: Session) -> FxPurchase:
    return s.data_as(FxPurchase)


def currency(s: Session) -> FxCurrency:
    return next(c for c in visit(s).quota.currencies if c.code == visit(s).currency)


def amount_minor(s: Session) -> int:
    return units_to_minor(int(visit(s).fx_amount), currency(s).exponent)


def foreign(s: Session, code: str, minor: int, exponent: int) -> str:
    """An amount of a foreign currency as shown: '500.00 美元', 'USD 500.00'."""
    return s.t("flow.fx_purchase.foreign", amount=format_minor(minor, exponent), unit=unit(s, code))


def currency_text(s: Session, kind: str, code: str) -> str:
    """A currency's name (``ccy``) or unit (``unit``) from the catalogs; its ISO code for one the host sells
    that the catalogs do not name yet."""
    key = f"flow.fx_purchase.{kind}.{code}"
    return s.t(key) if i18n.has_text(s.lang, key) else code


def unit(s: Session, code: str) -> str:
    return currency_text(s, "unit", code)


def rate_text(s: Session, code: str, rate: Decimal) -> str:
    return s.t("flow.fx_purchase.rate_value", rate=format_rate(rate), unit=unit(s, code))


def usd(s: Session, cents: int) -> str:
    return foreign(s, "USD", cents, USD_EXPONENT)


def seconds(moment: datetime) -> str:
    """A host timestamp in the kiosk's local time, to the second (a quote is held for seconds)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def check_units(value: str) -> str | None:
    """Whole units, more than zero, without leading zeros (the keypad has no decimal point)."""
    return None if ascii_digits(value) and not value.startswith("0") else "field.fx_amount.invalid"


# -- the declaration and the currency -------------------------------------------------------------

def quota_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan, "pin_block": visit(s).pin_block}


def quota_left(s: Session) -> Verdict | None:
    """Nothing left of this year's quota: nothing to buy here (a new quota comes on 1 January)."""
    quota = visit(s).quota
    return None if quota.left_usd_cents > 0 else Fail("flow.fx_purchase.quota_used_up_year",
                                                      params={"year": quota.year})


def purpose_options(s: Session) -> list[Choice]:
    capital = s.t("flow.fx_purchase.purpose.capital")
    return [Choice(p, s.t(f"flow.fx_purchase.purpose.{p}"), capital if p in PROHIBITED_PURPOSES else "")
            for p in PURPOSES]


def currency_options(s: Session) -> list[Choice]:
    options = []
    for c in visit(s).quota.currencies:
        name = s.t("flow.fx_purchase.currency_label", currency=currency_text(s, "ccy", c.code), code=c.code)
        rate = rate_text(s, c.code, c.selling_rate)
        if c.max_units == 0:
            options.append(Choice(c.code, name, s.t("flow.fx_purchase.quota_used_up"), enabled=False))
            continue
        most = foreign(s, c.code, c.max_units, 0)
        options.append(Choice(c.code, name, s.t("flow.fx_purchase.currency_detail", rate=rate, most=most)))
    return options


# -- the quote, held 60 s -------------------------------------------------------------------------

def quote_key(s: Session) -> tuple[str, str, str]:
    v = visit(s)
    return v.purpose, v.currency, v.fx_amount


def needs_quote(s: Session) -> bool:
    """No quote yet for this purpose, currency and amount (one still shown is refreshed at the confirmation:
    so Back from the confirmation goes to the amount, not to a new quote)."""
    return visit(s).quoted_for != quote_key(s)


def quote_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan, "currency": visit(s).currency,
            "amount_minor": amount_minor(s), "purpose": visit(s).purpose}


def hold_quote(s: Session) -> Verdict | None:
    """The quote is held from now on the kiosk's clock. One the host made again after refusing the last
    (expired on its clock) is pointed out on the confirmation."""
    v = visit(s)
    v.quoted_for = quote_key(s)
    v.held_until = s.services.clock.monotonic() + v.quote.hold_s
    requoted, v.requoted = v.requoted, False
    return Goto("confirm", "flow.fx_purchase.requoted") if requoted else None


def held_until(s: Session) -> float | None:
    return visit(s).held_until


def over_quota(s: Session, error: HostRejected) -> Goto:
    return Goto("amount", "flow.fx_purchase.quota_exceeded", {
        "left": usd(s, max(error.detail_int("left_usd_cents"), 0)),
        "asked": usd(s, max(error.detail_int("usd_cents"), 0)),
        "most": foreign(s, visit(s).currency, max(error.detail_int("max_units"), 0), 0)})


def purpose_refused(s: Session, error: HostRejected) -> Fail:
    return Fail("flow.fx_purchase.purpose_prohibited",
                params={"purpose": s.t(f"flow.fx_purchase.purpose.{visit(s).purpose}")})


def short_of_yuan(s: Session, error: HostRejected) -> Goto:
    return Goto("amount", "flow.fx_purchase.insufficient_funds",
                {"available": yuan(s, max(error.detail_int("available_fen"), 0)),
                 "needed": yuan(s, visit(s).quote.cny_fen)})


def requote(s: Session, error: HostRejected) -> Goto:
    visit(s).requoted = True
    return Goto("quote", f"flow.fx_purchase.{error.code}")


_QUOTE_REFUSALS: dict[str, Refusal] = {"quota_exceeded": over_quota, "purpose_prohibited": purpose_refused,
                   "currency_unknown": lambda s, e: Goto("currency", "flow.fx_purchase.currency_unknown")}
_PIN_REFUSALS: dict[str, Refusal] = pin_refusals()


# -- confirmation, purchase, receipt --------------------------------------------------------------

def purchase_request(s: Session) -> dict[str, Any]:
    q = visit(s).quote
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan, "pin_block": visit(s).pin_block,
            "quote_id": q.quote_id, "currency": q.currency, "amount_minor": q.amount_minor, "cny_fen": q.cny_fen,
            "purpose": visit(s).purpose}


def debited_fen(s: Session) -> int:
    return visit(s).quote.cny_fen


def rate_row(s: Session, code: str, rate: Decimal) -> Row:
    return Row(s.t("flow.fx_purchase.row.rate"), rate_text(s, code, rate))


def purpose_row(s: Session) -> Row:
    return Row(s.t("row.purpose"), s.t(f"flow.fx_purchase.purpose.{visit(s).purpose}"))


def summary(s: Session) -> list[Row]:
    """Five rows, so that the whole confirmation fits one page: the rate with its quote time, the quota in one."""
    q = visit(s).quote
    return [Row(s.t("flow.fx_purchase.row.buy"), foreign(s, q.currency, q.amount_minor, q.exponent)),
            Row(s.t("flow.fx_purchase.row.rate"), s.t("flow.fx_purchase.rate_quoted", rate=rate_text(
                s, q.currency, q.selling_rate), time=q.quoted_at.astimezone().strftime("%H:%M:%S"))),
            Row(s.t("flow.fx_purchase.row.cny"), yuan(s, q.cny_fen)),
            purpose_row(s),
            Row(s.t("flow.fx_purchase.row.quota"), s.t(
                "flow.fx_purchase.quota_value", used=format_minor(q.used_usd_cents, USD_EXPONENT),
                this=format_minor(q.usd_cents, USD_EXPONENT), left=usd(s, q.left_usd_cents - q.usd_cents)))]


def result_rows(s: Session) -> list[Row]:
    b = visit(s).bought
    return [Row(s.t("row.reference"), b.purchase_ref),
            Row(s.t("flow.fx_purchase.row.buy"), foreign(s, b.currency, b.amount_minor, b.exponent)),
            Row(s.t("flow.fx_purchase.row.cny"), yuan(s, b.debited_fen)),
            Row(s.t("flow.fx_purchase.row.savings"), foreign(s, b.currency, b.balance_minor, b.exponent)),
            Row(s.t("flow.fx_purchase.row.quota_left"), usd(s, b.left_usd_cents)),
            Row(s.t("flow.fx_purchase.row.bought_at"), local_time(b.bought_at))]


def receipt(s: Session) -> Receipt:
    b = visit(s).bought
    rows = [*result_rows(s), rate_row(s, b.currency, b.selling_rate),
            Row(s.t("flow.fx_purchase.row.quoted_at"), seconds(b.quoted_at)), purpose_row(s),
            Row(s.t("row.account"), b.account_masked)]
    return build_receipt(s, "flow.fx_purchase.receipt_title", rows, b.purchase_ref)


fx_purchase = Flow(
    id="fx_purchase", category=SERVICES, devices=frozenset({"idcard", "smartcard", "pinpad", "printer"}),
    data=FxPurchase,
    steps=[
        *identify(face=False),
        InsertBankCard("card"),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("quota", op="fx.quota", payload=quota_request, store="quota", check=quota_left, branches=("pin",),
                 refusals=_PIN_REFUSALS),
        Choose("purpose", options=purpose_options, store="purpose"),
        Choose("currency", options=currency_options, store="currency", back=True),
        Form("amount", back=True, fields=[FieldRule("fx_amount", input="amount", max_length=MAX_UNITS_DIGITS,
                                                    check=check_units)]),
        HostCall("quote", op="fx.quote", payload=quote_request, store="quote", when="needs_quote", check=hold_quote,
                 branches=("amount", "currency", "confirm"), refusals=_QUOTE_REFUSALS),
        Confirm("confirm", rows=summary, held_until=held_until, refresh="quote"),
        HostCall("purchase", op="fx.purchase", payload=purchase_request, store="bought", amount=debited_fen,
                 reference="purchase_ref", branches=("pin", "quote", "amount", "currency"), refusals={
                     **_PIN_REFUSALS, **_QUOTE_REFUSALS, "insufficient_funds": short_of_yuan,
                     "quote_expired": requote, "amount_mismatch": requote, "quote_unknown": requote,
                     "quote_used": lambda s, e: Fail("flow.fx_purchase.quote_used")}),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={**IDENTITY_PREDICATES, "needs_quote": needs_quote},
)
