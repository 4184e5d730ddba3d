"""Buying foreign currency on the host simulator: the person's annual SAFE quota (this calendar year only),
quotes held 60 s on the host's clock, the quote's figures posted once, and the refusals."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected

from .helpers import (
    KEY_ID,
    LI_PAN,
    ZHANG_ID,
    ZHANG_PAN,
    ZHANG_PAN_2,
    ZHANG_PIN,
    SimControl,
    new_key,
    pin_block,
)

GAO_ID = "320106198811230024"  # 49,200 of USD 50,000 used this year
GAO_PAN = "6228480402564890042"
GAO_PIN = "369258"


def card(pan: str = ZHANG_PAN, pin: str = ZHANG_PIN, id_number: str = ZHANG_ID) -> dict[str, str]:
    return {"id_number": id_number, "pan": pan, "pin_block": pin_block(pin, pan), "key_id": KEY_ID}


def quote(client: HostClient, amount_minor: int, currency: str = "USD", purpose: str = "travel",
          pan: str = ZHANG_PAN, id_number: str = ZHANG_ID) -> dict[str, Any]:
    body = {"id_number": id_number, "pan": pan, "currency": currency, "amount_minor": amount_minor, "purpose": purpose}
    return client.call("fx.quote", body, new_key(), "s1")


def purchase_body(q: dict[str, Any], pan: str = ZHANG_PAN, pin: str = ZHANG_PIN, id_number: str = ZHANG_ID,
                  **changes: Any) -> dict[str, Any]:
    body = {**card(pan, pin, id_number), "quote_id": q["quote_id"], "currency": q["currency"],
            "amount_minor": q["amount_minor"], "cny_fen": q["cny_fen"], "purpose": "travel"}
    return {**body, **changes}


def refused(call: Any) -> HostRejected:
    with pytest.raises(HostRejected) as error:
        call()
    return error.value


def test_the_quota_counts_this_calendar_year_and_lists_the_rates(client: HostClient) -> None:
    reply = client.call("fx.quota", card(), new_key(), "s1")
    assert reply["quota_usd_cents"] == 5_000_000
    assert reply["used_usd_cents"] == 1_200_000  # USD 12,000 this year; last year's EUR 20,000 not counted
    assert reply["left_usd_cents"] == 3_800_000
    currencies = {c["code"]: c for c in reply["currencies"]}
    assert list(currencies) == ["USD", "EUR", "JPY", "HKD", "GBP", "AUD"]
    assert Decimal(currencies["USD"]["selling_rate"]) == Decimal("718.52")
    assert currencies["USD"]["max_units"] == 38_000
    assert currencies["USD"]["balance_minor"] == 12_000  # USD 120.00 already saved
    assert currencies["JPY"]["exponent"] == 0
    assert currencies["JPY"]["max_units"] == 5_663_190  # x 0.00671 = 38,000.0049 USD, counted 38,000.00: fits
    assert reply["account_masked"].startswith("955880")


def test_the_quota_needs_the_right_pin_and_the_customers_own_card(client: HostClient) -> None:
    wrong = refused(lambda: client.call("fx.quota", card(pin="000000"), new_key(), "s1"))
    assert (wrong.code, wrong.details["tries_left"]) == ("pin_wrong", 2)
    other = refused(lambda: client.call("fx.quota", card(LI_PAN, "258036"), new_key(), "s1"))
    assert other.code == "card_not_yours"


def test_a_quote_holds_the_rate_60_s_and_rounds_the_yuan_half_up(client: HostClient) -> None:
    q = quote(client, 15_000, "JPY")
    assert Decimal(q["selling_rate"]) == Decimal("4.8213")
    assert q["cny_fen"] == 72_320  # 15,000 x 4.8213 = 72,319.5 fen: half up
    assert q["usd_cents"] == 10_065  # 15,000 x 0.00671 = 100.65 USD
    assert q["hold_s"] == 60
    held = datetime.fromisoformat(q["valid_until"]) - datetime.fromisoformat(q["quoted_at"])
    assert held == timedelta(seconds=60)
    assert (q["used_usd_cents"], q["left_usd_cents"]) == (1_200_000, 3_800_000)


@pytest.mark.parametrize("purpose", ["property", "securities", "life_insurance"])
def test_capital_account_purposes_are_refused_with_the_reason(client: HostClient, purpose: str) -> None:
    error = refused(lambda: quote(client, 100_00, purpose=purpose))
    assert error.code == "purpose_prohibited"
    assert error.details == {"purpose": purpose, "rule": "capital_account_not_open"}


def test_a_quote_over_the_quota_is_refused_with_what_is_left(client: HostClient) -> None:
    error = refused(lambda: quote(client, 1_000_00, pan=GAO_PAN, id_number=GAO_ID))
    assert error.code == "quota_exceeded"
    assert error.details == {"used_usd_cents": 4_920_000, "left_usd_cents": 80_000, "usd_cents": 100_000,
                             "max_units": 800}
    assert quote(client, 800_00, pan=GAO_PAN, id_number=GAO_ID)["cny_fen"] == 574_816  # the whole rest fits


def test_an_unknown_currency_is_refused(client: HostClient) -> None:
    assert refused(lambda: quote(client, 100_00, "CHF")).code == "currency_unknown"


def test_a_purchase_posts_the_quote_once(client: HostClient, sim: SimControl) -> None:
    q = quote(client, 500_00)
    before = sim.balance(ZHANG_PAN)
    key = new_key()
    bought = client.call("fx.purchase", purchase_body(q), key, "s1")
    again = client.call("fx.purchase", purchase_body(q), key, "s1")  # a retry with the same key replays
    assert again == bought
    assert bought["debited_fen"] == q["cny_fen"] == 359_260
    assert sim.balance(ZHANG_PAN) == before - 359_260
    assert bought["balance_minor"] == 12_000 + 50_000  # credited to the card's USD savings
    assert (bought["used_usd_cents"], bought["left_usd_cents"]) == (1_250_000, 3_750_000)
    quota = client.call("fx.quota", card(), new_key(), "s1")
    assert quota["used_usd_cents"] == 1_250_000
    moved = [p for p in sim.state()["postings"] if p["op"] == "fx.purchase"]
    assert [(p["status"], p["amount_fen"]) for p in moved] == [("committed", 359_260)]
    statement = client.call("accounts.balances", {k: v for k, v in card().items() if k != "id_number"}, new_key(), "s")
    assert statement["transactions"][0]["kind"] == "fx_purchase"
    assert statement["transactions"][0]["amount_fen"] == -359_260


def test_a_quote_buys_once(client: HostClient) -> None:
    q = quote(client, 100_00)
    first = client.call("fx.purchase", purchase_body(q), new_key(), "s1")
    error = refused(lambda: client.call("fx.purchase", purchase_body(q), new_key(), "s1"))
    assert (error.code, error.details["purchase_ref"]) == ("quote_used", first["purchase_ref"])


def test_an_expired_quote_is_refused_on_the_hosts_clock(client: HostClient, sim: SimControl) -> None:
    q = quote(client, 500_00)
    before = sim.balance(ZHANG_PAN)
    sim.advance(59)
    sim.advance(2)
    error = refused(lambda: client.call("fx.purchase", purchase_body(q), new_key(), "s1"))
    assert error.code == "quote_expired"
    assert sim.balance(ZHANG_PAN) == before


def test_other_figures_than_the_quotes_are_refused(client: HostClient) -> None:
    q = quote(client, 500_00)
    for change in ({"cny_fen": q["cny_fen"] - 1}, {"amount_minor": 501_00}, {"currency": "EUR"},
                   {"purpose": "study"}):
        error = refused(lambda change=change: client.call("fx.purchase", purchase_body(q, **change), new_key(), "s1"))
        assert error.code == "amount_mismatch"
        assert error.details["cny_fen"] == 359_260


def test_a_quote_is_the_customers_and_cards_own(client: HostClient) -> None:
    q = quote(client, 10_00, pan=GAO_PAN, id_number=GAO_ID)
    error = refused(lambda: client.call("fx.purchase", purchase_body(q), new_key(), "s1"))
    assert error.code == "quote_unknown"


def test_the_yuan_must_be_available(client: HostClient, sim: SimControl) -> None:
    q = quote(client, 100_00, pan=ZHANG_PAN_2)
    error = refused(lambda: client.call("fx.purchase", purchase_body(q, pan=ZHANG_PAN_2), new_key(), "s1"))
    assert (error.code, error.details["available_fen"], error.details["cny_fen"]) == ("insufficient_funds", 2350, 71852)
    assert sim.balance(ZHANG_PAN_2) == 2350


def test_the_quota_is_checked_again_when_buying(client: HostClient) -> None:
    first, second = (quote(client, 500_00, pan=GAO_PAN, id_number=GAO_ID) for _ in range(2))
    client.call("fx.purchase", purchase_body(first, GAO_PAN, GAO_PIN, GAO_ID), new_key(), "s1")
    error = refused(lambda: client.call("fx.purchase", purchase_body(second, GAO_PAN, GAO_PIN, GAO_ID), new_key(),
                                        "s1"))
    assert (error.code, error.details["left_usd_cents"]) == ("quota_exceeded", 30_000)


def test_a_new_calendar_year_gives_the_whole_quota_again(client: HostClient, sim: SimControl) -> None:
    now = datetime.fromisoformat(sim.state()["now"])
    new_year = now.replace(year=now.year + 1, month=1, day=1, hour=0, minute=0, second=5)
    sim.advance((new_year - now).total_seconds())
    reply = client.call("fx.quota", card(GAO_PAN, GAO_PIN, GAO_ID), new_key(), "s1")
    assert (reply["year"], reply["used_usd_cents"], reply["left_usd_cents"]) == (now.year + 1, 0, 5_000_000)
