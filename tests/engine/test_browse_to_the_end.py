"""A document read before something is posted (a contract): Browse keeps the actions named in ``at_end`` for
its last page (before it they say "read to the last page" and are refused), does not complete the session when
``completes`` is False, and may size its pages by the session (elderly mode)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from kiosk.core import i18n
from kiosk.engine.flow import Next, Stay
from kiosk.engine.screens import Choice, Input, InputKind, Outcome, Row
from kiosk.engine.steps import Browse


@dataclass
class Read:
    signed: str = ""


@dataclass
class FakeSession:
    elderly: bool = False
    outcome: str | None = None
    data: Read = field(default_factory=Read)
    slots: Any = field(default_factory=lambda: SimpleNamespace(pages={}))

    def t(self, key: str, **params: Any) -> str:
        return i18n.text("en_US", key, **params)

    def store(self, name: str, value: object) -> None:
        setattr(self.data, name, value)


def contract(**kw: Any) -> Browse:
    return Browse("contract", rows=lambda s: [Row(f"Term {n}", str(n)) for n in range(10)], store="signed",
                  actions=lambda s: [Choice("sign", "Sign"), Choice("print", "Print")], **kw)


def choose(choice: str) -> Input:
    return Input(InputKind.CHOOSE, choice)


def shown(step: Browse, s: FakeSession) -> list[tuple[str, str, bool]]:
    return [(c.id, c.label, c.enabled) for c in step.screen(s)["choices"]]


def test_an_action_kept_for_the_end_is_offered_on_the_last_page_only() -> None:
    step, s = contract(page_size=4, at_end=("sign",)), FakeSession()
    step.begin(s)
    assert shown(step, s) == [("previous", "Previous", False), ("next", "Next", True),
                              ("sign", i18n.text("en_US", "browse.read_to_end"), False), ("print", "Print", True)]
    assert step.on_input(s, choose("sign")) is None  # refused: the input means nothing here yet
    assert s.data.signed == ""
    assert step.on_input(s, choose("next")) == Stay()
    assert step.on_input(s, choose("sign")) is None  # page 2 of 3
    assert step.on_input(s, choose("next")) == Stay()
    assert ("sign", "Sign", True) in shown(step, s)
    assert step.screen(s)["rows"] == (Row("Term 8", "8"), Row("Term 9", "9"))
    assert step.on_input(s, choose("sign")) == Next()
    assert s.data.signed == "sign"


def test_going_back_from_the_last_page_takes_the_action_away_again() -> None:
    step, s = contract(page_size=5, at_end=("sign",)), FakeSession()
    step.begin(s)
    step.on_input(s, choose("next"))
    assert step.on_last_page(s)
    step.on_input(s, choose("previous"))
    assert not step.on_last_page(s)
    assert ("sign", i18n.text("en_US", "browse.read_to_end"), False) in shown(step, s)


def test_a_document_that_fits_one_page_offers_everything_at_once() -> None:
    step, s = contract(page_size=10, at_end=("sign",)), FakeSession()
    step.begin(s)
    assert shown(step, s) == [("sign", "Sign", True), ("print", "Print", True)]


def test_a_contract_does_not_complete_the_session_an_enquiry_does() -> None:
    read_first, s = contract(completes=False), FakeSession()
    read_first.begin(s)
    assert s.outcome is None
    enquiry, t = contract(), FakeSession()
    enquiry.begin(t)
    assert t.outcome == Outcome.COMPLETED


def test_the_page_size_may_depend_on_the_session() -> None:
    step = contract(page_size=lambda s: 3 if s.elderly else 5)
    assert step.pages(FakeSession()) == 2
    assert step.pages(FakeSession(elderly=True)) == 4
    assert len(step.screen(FakeSession(elderly=True))["rows"]) == 3


def test_a_smaller_page_count_keeps_the_page_shown_within_the_pages() -> None:
    step, s = contract(page_size=lambda s: 3 if s.elderly else 2, at_end=("sign",)), FakeSession()
    step.begin(s)
    for _ in range(4):
        step.on_input(s, choose("next"))
    assert step.screen(s)["data"] == {"page": 5, "pages": 5}
    s.elderly = True  # larger rows: four pages now
    assert step.screen(s)["data"] == {"page": 4, "pages": 4}
    assert step.screen(s)["rows"] == (Row("Term 9", "9"),)
    assert step.on_input(s, choose("previous")) == Stay()
    assert step.screen(s)["data"] == {"page": 3, "pages": 4}
