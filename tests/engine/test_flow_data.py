"""Typed session data: a step's ``store=`` must name a declared slot of the right type (checked when
the flow is built, so a typo fails at import), and wiping clears every slot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import cast

import pytest

from devices.dispenser.api import StockCard
from devices.idcard.api import IdCard
from devices.pinpad.api import PinBlock
from flows.common import SERVICES
from kiosk.engine.flow import Flow
from kiosk.engine.services import Services
from kiosk.engine.session import FaceGuidance, FirstApproval, Session, SessionData, StaffDecision, later
from kiosk.engine.steps import Choose, EnterPin, HostCall
from kiosk.host.api import CardsListResult


@dataclass
class Answers:
    cards: CardsListResult = later()
    choice: str | None = None
    pin_block: PinBlock = later()


def flow_with(*steps: object) -> Flow:
    return Flow(id="scratch", category=SERVICES, devices=frozenset(), steps=list(steps),  # type: ignore[arg-type]
                data=Answers)


def test_stores_name_declared_slots_of_the_right_type() -> None:
    flow_with(HostCall("cards", op="cards.list", payload=dict, store="cards"),
              Choose("card", options=lambda s: [], store="choice"), EnterPin("pin", pan=str, store="pin_block"))
    with pytest.raises(TypeError, match="does not declare"):
        flow_with(Choose("card", options=lambda s: [], store="choise"))
    with pytest.raises(TypeError, match="stores a CardsListResult"):
        flow_with(HostCall("cards", op="cards.list", payload=dict, store="choice"))
    with pytest.raises(TypeError, match="stores a PinBlock"):
        flow_with(EnterPin("pin", pan=str, store="cards"))


def test_a_host_call_names_a_declared_operation_refusal_and_reference() -> None:
    with pytest.raises(ValueError, match="no host operation"):
        HostCall("x", op="cards.lst", payload=dict, store="cards")
    with pytest.raises(ValueError, match="never refuses"):
        HostCall("x", op="cards.list", payload=dict, store="cards", refusals={"pin_wrong": lambda s, e: None})
    with pytest.raises(ValueError, match="no field"):
        HostCall("x", op="cards.list", payload=dict, store="cards", reference="loss_ref")


def test_wipe_clears_every_slot_and_the_flow_data() -> None:
    flow = flow_with(Choose("card", options=lambda s: [], store="choice"))
    s = Session("S1", flow, cast(Services, SimpleNamespace()), "zh_CN")
    card = IdCard(name="张伟", sex="男", nation="汉", birth_date=date(1990, 1, 1), address="北京",
                  id_number="11010119900101001X", issuer="北京", valid_from=date(2020, 1, 1), valid_to=None)
    s.slots = SessionData(id_card=card, age=36, guardian=card, idcard_detected=True, face_passed=True,
                          face_last="match", face_guidance=FaceGuidance("ok"), consents={"consent": "agree"},
                          card_inserted=True, pin_digits=3, picked_card=StockCard("6222020000000001", "3012"),
                          approvals={"a": "AP1"}, first_approvals={"a": FirstApproval("AP0", "S1")},
                          decisions={"a": StaffDecision("approve", "S2", None, "t")}, help_requested=True,
                          last_idempotency_key="k", references={"cards": "R1"}, shown_at={"w": 1.0},
                          receipt_printed=True, elderly_offer_answered=True)
    s.store("cards", CardsListResult(cards=[]))
    s.store("choice", "K1")
    s.store("pin_block", PinBlock(b"\x01" * 8, "K1", "SM4"))
    s.attempts["face"] = 2
    s.wipe()
    assert s.slots == SessionData()
    assert s.attempts == {}
    data = s.data_as(Answers)
    assert data.choice is None
    for unset in ("cards", "pin_block"):
        with pytest.raises(AttributeError):
            getattr(data, unset)
