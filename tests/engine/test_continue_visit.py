"""A visit that goes on in another flow (kiosk.engine.flow.Continue), on the appointment pickup and the flows it
books: the same session, the ID card and the consent carried, the prefilled answers passed once and checked on
the confirmation, a refused answer shown filled in, back into a prefilled question with the answer marked, the
journal (no answer's value in it), the progress counted in the new flow, and a flow the kiosk cannot run now."""

from __future__ import annotations

import json
from typing import Any

from kiosk.core import i18n
from kiosk.engine.flow import Continue, Next
from kiosk.engine.screens import Input, InputKind, ScreenKind

# seeded bookings (assets/sim/people.toml): 张伟's transfer to 孙丽 at CCB, 3,000 yuan deposited for a year,
# a statement of 12 months
TRANSFER = ("KA1.APT00000001.9vzbQvnAQauRjkxLuZewvsgKXshC_Sw3GIVELp97prJDuD395ykaeSIZkKe2mHxYKZbAoSA9xBsMarwV9vIUCA")
DEPOSIT = ("KA1.APT00000002.dO2NoC_g7lRT_3imUO7wsEFdIi65PbJ7t12WEClU81W_xO_kPZhMv_iKKjnDK1qJ6cl0HnYX5PrrbSymna7uBg")
STATEMENT = ("KA1.APT00000007.4ZK6aV3K6h_89N7x_cmdywKoBkrx4B3ElxWFj9XC6VAIA04ASsTu0xf6tPZxLXEwokMfEtQQUpQV-Ox6CDuWDA")


def pick_up(driver: Any, code: str) -> str:
    """Show the code, agree, the ID card read: the session's id once the visit went on."""
    driver.qa.place_id_card("zhang_wei")
    driver.qa.insert_bank_card("zhang_wei_1")
    driver.qa.take_bank_card()
    driver.engine.send(Input(InputKind.START, "appointment_pickup"))
    driver.wait_for_screen("scan")
    session_id = driver.engine.session.id
    driver.qa.show_code(code, "qrcode")
    driver.wait_for_screen("consent")
    driver.engine.send(Input(InputKind.CHOOSE, "agree"))
    return str(session_id)


def test_the_visit_goes_on_in_the_booked_flow_with_its_answers_passed(kiosk: Any, driver: Any) -> None:
    session_id = pick_up(driver, DEPOSIT)
    driver.wait_for_screen("confirm")
    s = kiosk.engine.session
    assert (s.id, s.flow.id, s.opened_as) == (session_id, "time_deposit_open", "appointment_pickup")
    assert s.slots.prefilled == ["amount", "term", "rollover"]
    screen = kiosk.engine.screen
    assert screen.prompt == i18n.text(screen.lang, "confirm.prefilled")
    assert screen.data["prefilled"] == ("amount", "term", "rollover")
    values = " ".join(r.value for r in screen.rows)
    assert "3,000.00" in values
    visited = [i["step"] for i in s.trail if i.get("what") == "screen"]
    assert "amount" not in visited
    assert "term" not in visited
    assert "rollover" not in visited
    assert screen.progress is not None
    assert screen.progress[0] <= 2


def test_back_from_the_confirmation_shows_a_prefilled_question_with_its_answer_marked(kiosk: Any,
                                                                                    driver: Any) -> None:
    pick_up(driver, DEPOSIT)
    driver.wait_for_screen("confirm")
    kiosk.engine.send(Input(InputKind.BACK))
    driver.wait_for_screen("rollover")
    screen = kiosk.engine.screen
    assert screen.data["prefilled"] == "auto"
    marked = [c for c in screen.choices if i18n.text(screen.lang, "prefill.choice") in c.detail]
    assert [c.id for c in marked] == ["auto"]
    kiosk.engine.send(Input(InputKind.BACK))
    driver.wait_for_screen("term")
    kiosk.engine.send(Input(InputKind.BACK))
    driver.wait_for_screen("amount")
    assert [(f.name, f.value) for f in kiosk.engine.screen.fields] == [("deposit_yuan", "3000")]
    kiosk.engine.send(Input(InputKind.SUBMIT, values={"deposit_yuan": "3000"}))  # one touch on OK
    driver.wait_for_screen("term")
    kiosk.engine.send(Input(InputKind.CHOOSE, "1y"))  # one touch on the marked choice
    driver.wait_for_screen("rollover")
    kiosk.engine.send(Input(InputKind.CHOOSE, "auto"))
    driver.wait_for_screen("confirm")


def test_the_journal_says_how_the_visit_went_on_and_never_the_answers(kiosk: Any, driver: Any) -> None:
    session_id = pick_up(driver, TRANSFER)
    driver.wait_for_screen("fraud_warning")
    journal = kiosk.services.journal
    assert journal.session(session_id).flow_id == "appointment_pickup"
    entries = journal.entries(session_id)
    steps = {(e.name, json.dumps(e.detail, sort_keys=True, ensure_ascii=False)) for e in entries if e.kind == "step"}
    continued = [json.loads(d) for name, d in steps if name == "continued"]
    assert continued == [{"from": "appointment_pickup", "flow": "transfer", "source": "APT00000001", "ignored": [],
                          "prefilled": ["amount_yuan", "bank_code", "payee_account", "payee_choice", "payee_name",
                                        "purpose"]}]
    assert {json.loads(d)["step"] for name, d in steps if name == "carried"} == {"consent", "read_id"}
    assert {json.loads(d)["step"] for name, d in steps if name == "prefilled"} == {
        "payee", "bank", "payee_account", "amount", "purpose"}
    everything = json.dumps([e.detail for e in entries], ensure_ascii=False) + json.dumps(
        [r.detail for r in journal.host_requests(session_id)], ensure_ascii=False)
    for secret in ("6217000010012345678", "孙丽", "KA1.APT"):
        assert secret not in everything


def test_a_flow_the_kiosk_cannot_run_by_then_ends_the_visit_with_why(kiosk: Any, driver: Any) -> None:
    pick_up(driver, STATEMENT)
    driver.qa.device_fault("docprinter", "offline", -1)  # after the code was checked, before it is redeemed
    driver.wait_for_screen("failed")
    screen = kiosk.engine.screen
    assert screen.data["message_key"] == "continue.unavailable"
    assert i18n.text(screen.lang, "flow.statement_print.title") in screen.prompt


def test_a_continue_verdict_is_a_verdict_like_the_others() -> None:
    verdict = Continue("transfer", {"amount_yuan": "10"}, "REF")
    assert verdict != Next()
    assert dict(verdict.answers) == {"amount_yuan": "10"}
    assert verdict.source == "REF"


def test_a_session_that_never_continued_passes_nothing(kiosk: Any, driver: Any) -> None:
    driver.qa.place_id_card("zhang_wei")
    kiosk.engine.send(Input(InputKind.START, "sms_alerts"))
    driver.wait_for_screen("consent")
    s = kiosk.engine.session
    assert s.continued is None
    assert dict(s.prefill) == {}
    assert kiosk.engine.screen.kind is ScreenKind.AGREEMENT


def test_a_refused_code_is_said_journaled_and_goes_nowhere(kiosk: Any, driver: Any) -> None:
    forged = "KA1.APT00000002." + TRANSFER.split(".")[2]  # the deposit's reference under the transfer's signature
    driver.engine.send(Input(InputKind.START, "appointment_pickup"))
    driver.wait_for_screen("scan")
    session_id = kiosk.engine.session.id
    driver.qa.show_code(forged, "qrcode")
    driver.wait_for_screen("failed")
    assert kiosk.engine.screen.prompt == i18n.text(kiosk.engine.screen.lang,
                                                   "flow.appointment_pickup.signature_invalid")
    journal = kiosk.services.journal
    faults = [e.name for e in journal.entries(session_id) if e.kind == "fault"]
    assert faults == ["flow.appointment_pickup.signature_invalid"]
    assert [(r.op, (r.detail or {}).get("code")) for r in journal.host_requests(session_id)] == [
        ("appointments.check", "signature_invalid")]
    assert not any(e.name == "continued" for e in journal.entries(session_id))


def test_answers_the_flow_refuses_are_asked_again_never_a_crash(kiosk: Any, driver: Any) -> None:
    from kiosk.app.cli_appointments import book

    booked = book(kiosk.host_url, "K-TEST", {"flow": "transfer", "id_number": "110105198503121234", "answers": {
        "payee_choice": "new", "bank_code": "NOSUCHBANK", "payee_account": "12ab", "amount_yuan": "0",
        "purpose": "x" * 64}})
    pick_up(driver, booked["token"])
    driver.wait_for_screen("bank")
    assert kiosk.engine.screen.error  # the booked bank is not one the kiosk can send to: chosen again
    kiosk.engine.send(Input(InputKind.CHOOSE, "CCB"))
    driver.wait_for_screen("payee_account")
    screen = kiosk.engine.screen
    assert [f.value for f in screen.fields] == ["12ab", ""]  # not all answered (no name): shown, filled in part
    kiosk.engine.send(Input(InputKind.SUBMIT, values={"payee_account": "6217000010012345678", "payee_name": "孙丽"}))
    driver.wait_for_screen("amount")
    screen = kiosk.engine.screen
    assert screen.error
    assert [f.value for f in screen.fields] == ["0"]
    kiosk.engine.send(Input(InputKind.SUBMIT, values={"amount_yuan": "100"}))
    driver.wait_for_screen("purpose")
    assert kiosk.engine.screen.error
