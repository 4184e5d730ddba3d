"""Wealth products on the host simulator: the assessment and the products, the questionnaire's grade, suitability
and recorded sales (双录), the quote's checks, the purchase debited and recorded once, the wealth manager booked."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected, HostRequestInvalid

from .helpers import (
    CHEN_ID,
    KEY_ID,
    LI_ID,
    ZHANG_ID,
    ZHANG_PAN,
    ZHANG_PAN_2,
    ZHANG_PIN,
    SimControl,
    new_key,
    pin_block,
)

GAO_ID = "320106198811230024"  # her assessment has expired
ZHOU_ID = "440106197908231413"  # no assessment
ZHOU_PAN = "6228480413130000057"  # 3,560.00 yuan
SUN_ID = "110102198804172028"  # C5
SUN_LOST_PAN = "6228480413130000016"  # under a verbal loss
LI_PAN = "6228480402564890034"
C3_ANSWERS = list("bbcbbcbbcc")  # 52 points


def call(client: HostClient, op: str, key: str | None = None, **body: Any) -> dict[str, Any]:
    return client.call(op, body, key or new_key(), session_id="S-TEST")


def refusal(client: HostClient, op: str, **body: Any) -> HostRejected:
    with pytest.raises(HostRejected) as refused:
        call(client, op, **body)
    return refused.value


def purchase(pan: str = ZHANG_PAN, pin: str = ZHANG_PIN, id_number: str = ZHANG_ID, product: str = "WM2D090",
             amount_fen: int = 200000) -> dict[str, Any]:
    return {"id_number": id_number, "pan": pan, "pin_block": pin_block(pin, pan), "key_id": KEY_ID,
            "product_code": product, "amount_fen": amount_fen}


def test_the_profile_gives_the_latest_assessment_and_the_products_on_sale(client: HostClient) -> None:
    zhang = call(client, "wealth.profile", id_number=ZHANG_ID)
    assert zhang["customer"]
    assert zhang["assessment_valid"]
    assert zhang["assessment"]["grade"] == "C3"
    codes = [p["code"] for p in zhang["products"]]
    assert [p["risk"] for p in zhang["products"]] == ["R1", "R2", "R3", "R4", "R5"]
    assert "WM2D090P11" not in codes  # not on sale
    assert zhang["products"][1]["rate_low"] == "0.0210"
    gao = call(client, "wealth.profile", id_number=GAO_ID)
    assert gao["assessment"]["grade"] == "C4"
    assert not gao["assessment_valid"]
    assert date.fromisoformat(gao["assessment"]["valid_until"]) < date.today()
    zhou = call(client, "wealth.profile", id_number=ZHOU_ID)
    assert zhou["assessment"] is None
    assert not zhou["assessment_valid"]
    assert not call(client, "wealth.profile", id_number=CHEN_ID)["customer"]


def test_the_questionnaire_is_scored_graded_and_kept_once_with_its_date(client: HostClient) -> None:
    key = new_key()
    done = call(client, "wealth.assess", key=key, id_number=ZHOU_ID, answers=C3_ANSWERS)
    again = call(client, "wealth.assess", key=key, id_number=ZHOU_ID, answers=C3_ANSWERS)
    assert again == done  # a retry replays: one assessment
    assert (done["score"], done["grade"]) == (52, "C3")
    assessed = date.fromisoformat(done["assessed_on"])
    assert date.fromisoformat(done["valid_until"]) == assessed.replace(year=assessed.year + 1) - timedelta(days=1)
    profile = call(client, "wealth.profile", id_number=ZHOU_ID)
    assert profile["assessment_valid"]
    assert profile["assessment"]["assessment_ref"] == done["assessment_ref"]


def test_a_customer_who_can_bear_no_loss_is_c1_whatever_the_score(client: HostClient) -> None:
    done = call(client, "wealth.assess", id_number=GAO_ID, answers=list("dddddddadd"))
    assert (done["score"], done["grade"]) == (90, "C1")
    assert call(client, "wealth.assess", id_number=GAO_ID, answers=list("dddddddddd"))["grade"] == "C5"


def test_the_questionnaire_needs_a_customer_and_ten_answers(client: HostClient) -> None:
    assert refusal(client, "wealth.assess", id_number=CHEN_ID, answers=C3_ANSWERS).code == "customer_unknown"
    with pytest.raises(HostRequestInvalid):  # the request model wants ten answers a-d
        call(client, "wealth.assess", id_number=ZHOU_ID, answers=list("abc"))


@pytest.mark.parametrize(("id_number", "product", "code", "details"), [
    (ZHANG_ID, "WM4Y001", "risk_above_grade", {"grade": "C3", "risk": "R4"}),
    (LI_ID, "WM1D007", "recorded_sale_required", {"reason": "age"}),  # 76
    (SUN_ID, "WM4Y001", "recorded_sale_required", {"reason": "risk"}),  # C5, but above R3
    (GAO_ID, "WM1D007", "assessment_required", None),  # expired
    (ZHOU_ID, "WM1D007", "assessment_required", None),  # none
    (CHEN_ID, "WM1D007", "customer_unknown", None),
    (ZHANG_ID, "WM2D090P11", "product_closed", None),
    (ZHANG_ID, "WM9X999", "product_unknown", None),
])
def test_suitability_refuses_with_the_reason(client: HostClient, id_number: str, product: str, code: str,
                                             details: dict[str, str] | None) -> None:
    refused = refusal(client, "wealth.suitability", id_number=id_number, product_code=product)
    assert refused.code == code
    if details is not None:
        assert {k: refused.details[k] for k in details} == details


def test_a_suitable_product_comes_back_with_the_grade(client: HostClient) -> None:
    reply = call(client, "wealth.suitability", id_number=ZHANG_ID, product_code="WM3D180")
    assert (reply["product"]["risk"], reply["grade"]) == ("R3", "C3")


def test_the_quote_gives_dates_and_the_expected_return_range(client: HostClient) -> None:
    quote = call(client, "wealth.quote", id_number=ZHANG_ID, pan=ZHANG_PAN, product_code="WM2D090", amount_fen=200000)
    assert quote["return_low_fen"] == 1036  # 2,000.00 x 2.10 % x 90 / 365 = 10.356... -> 10.36
    assert quote["return_high_fen"] == 1381  # x 2.80 %: 13.808... -> 13.81
    starts = date.fromisoformat(quote["value_date"])
    assert date.fromisoformat(quote["maturity_date"]) - starts == timedelta(days=90)
    assert starts >= date.today() + timedelta(days=2)  # after the 24-hour cooling-off
    assert quote["cooling_off_hours"] == 24
    assert quote["account_masked"].startswith("955880")


@pytest.mark.parametrize(("body", "code"), [
    ({"product_code": "WM2D090", "amount_fen": 50000}, "amount_below_minimum"),
    ({"product_code": "WM2D090", "amount_fen": 200050}, "amount_not_whole_yuan"),
    ({"product_code": "WM3D180", "amount_fen": 400000}, "quota_exceeded"),  # 3,000.00 left
    ({"product_code": "WM2D090", "amount_fen": 200000, "pan": LI_PAN}, "card_not_yours"),
    ({"product_code": "WM2D090", "amount_fen": 200000, "pan": "6228480000000000000"}, "card_not_found"),
])
def test_the_quote_checks_amount_quota_and_card(client: HostClient, body: dict[str, Any], code: str) -> None:
    refused = refusal(client, "wealth.quote", **{"id_number": ZHANG_ID, "pan": ZHANG_PAN, **body})
    assert refused.code == code
    if code == "amount_below_minimum":
        assert refused.details["min_fen"] == 100000
    if code == "quota_exceeded":
        assert refused.details["quota_left_fen"] == 300000


def test_a_lost_card_cannot_pay(client: HostClient) -> None:
    refused = refusal(client, "wealth.quote", id_number=SUN_ID, pan=SUN_LOST_PAN, product_code="WM1D007",
                      amount_fen=10000)
    assert refused.code == "card_lost"


def test_a_purchase_debits_and_records_the_holding_once(client: HostClient, sim: SimControl) -> None:
    before = sim.balance(ZHANG_PAN)
    key = new_key()
    done = call(client, "wealth.purchase", key=key, **purchase())
    again = call(client, "wealth.purchase", key=key, **purchase())
    assert again["holding_ref"] == done["holding_ref"]
    assert (done["amount_fen"], done["debited_fen"], done["risk"]) == (200000, 200000, "R2")
    assert sim.balance(ZHANG_PAN) == before - 200000
    bought = datetime.fromisoformat(done["bought_at"])
    assert datetime.fromisoformat(done["cooling_off_until"]) - bought == timedelta(hours=24)
    postings = [p for p in sim.state()["postings"] if p["op"] == "wealth.purchase"]
    assert [(p["status"], p["amount_fen"]) for p in postings] == [("committed", 200000)]
    balances = call(client, "accounts.balances", pan=ZHANG_PAN, pin_block=pin_block(ZHANG_PIN, ZHANG_PAN),
                    key_id=KEY_ID)
    assert balances["transactions"][0]["kind"] == "wealth"
    assert balances["transactions"][0]["amount_fen"] == -200000


def test_the_quota_left_shrinks_with_each_purchase(client: HostClient) -> None:
    call(client, "wealth.purchase", **purchase(product="WM3D180", amount_fen=100000))
    refused = refusal(client, "wealth.purchase", **purchase(product="WM3D180", amount_fen=250000))
    assert (refused.code, refused.details["quota_left_fen"]) == ("quota_exceeded", 200000)


@pytest.mark.parametrize(("body", "code"), [
    (purchase(pin="000000"), "pin_wrong"),
    (purchase(pan=ZHANG_PAN_2, amount_fen=100000), "insufficient_funds"),
    (purchase(product="WM4Y001", amount_fen=1000000), "risk_above_grade"),
    (purchase(id_number=GAO_ID, pan="6228480402564890042", pin="369258", product="WM1D007", amount_fen=10000),
     "assessment_required"),
])
def test_a_refused_purchase_debits_nothing(client: HostClient, sim: SimControl, body: dict[str, Any],
                                           code: str) -> None:
    before = sim.balance(body["pan"])
    assert refusal(client, "wealth.purchase", **body).code == code
    assert sim.balance(body["pan"]) == before


def test_a_recorded_sale_is_refused_at_the_purchase_too(client: HostClient) -> None:
    li = purchase(id_number=LI_ID, pan=LI_PAN, pin="258036", product="WM1D007", amount_fen=10000)
    assert refusal(client, "wealth.purchase", **li).code == "recorded_sale_required"


def test_the_wealth_manager_is_booked_at_a_free_slot_once(client: HostClient) -> None:
    key = new_key()
    first = call(client, "wealth.book_manager", key=key, id_number=LI_ID, reason="age")
    assert call(client, "wealth.book_manager", key=key, id_number=LI_ID, reason="age") == first
    second = call(client, "wealth.book_manager", id_number=SUN_ID, reason="risk", product_code="WM4Y001")
    third = call(client, "wealth.book_manager", id_number=SUN_ID, reason="risk", product_code="WM4Y001")
    slots = [(b["slot_at"], b["desk"]) for b in (first, second, third)]
    assert len(set(slots)) == 3  # a desk and a time are never booked twice
    for booking in (first, second, third):
        slot = datetime.fromisoformat(booking["slot_at"])
        assert (9, 0) <= (slot.hour, slot.minute) <= (16, 30)
        soon = slot - datetime.now().astimezone() <= timedelta(minutes=61)
        assert booking["kind"] == ("ticket" if soon else "appointment")
        assert booking["ticket_no"][0] == ("V" if booking["kind"] == "ticket" else "A")
        assert booking["manager_masked"].endswith("*")
    assert second["reason"] == "risk"


def test_a_lost_reply_to_the_questionnaire_keeps_one_assessment(client: HostClient, sim: SimControl) -> None:
    sim.fault("drop_reply", op="wealth.assess")
    done = call(client, "wealth.assess", id_number=ZHOU_ID, answers=C3_ANSWERS)  # the client retries, same key
    after = call(client, "wealth.assess", id_number=ZHOU_ID, answers=C3_ANSWERS)
    assert int(after["assessment_ref"][2:]) == int(done["assessment_ref"][2:]) + 1  # the retry made none
    assert not [p for p in sim.state()["postings"] if p["op"] == "wealth.assess"]  # not a posting
