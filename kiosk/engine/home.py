"""The home screen and its menu, while no session runs: the flows on offer (greyed when a device they
need is down), language, elderly mode, a call for staff, and the kiosk out of service.

Card first: while the home screen is idle the engine watches the bank card reader (:func:`watch_card`).
A card inserted there narrows the menu to the services that start from it (:func:`card_flows`: they use
the reader and their first customer step is the bank card's), with "Take the card back"
(:data:`TAKE_CARD`), which ejects it (:func:`give_back`); so does the card menu's timeout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from devices.api import Cancellation, EventSink
from kiosk.core import i18n
from kiosk.engine import render
from kiosk.engine.flow import Flow
from kiosk.engine.home_lines import HomeLines
from kiosk.engine.ops import Operation
from kiosk.engine.screens import Input, InputKind, ScreenKind, ScreenModel
from kiosk.engine.services import Services
from kiosk.engine.survey import Survey

LANGUAGES = ("zh_CN", "en_US")
TAKE_CARD = "take_card"  # the card menu's choice that ejects the card
WATCH_POLL_S = 0.2


def starts_from_card(flow: Flow) -> bool:
    """The flow uses the bank card reader and its first customer step is the bank card's, so it can start
    with a card already inserted (that step reads it at once)."""
    first = next((step for step in flow.steps if step.customer_step), None)
    return "smartcard" in flow.devices and first is not None and first.kind is ScreenKind.BANK_CARD


def card_flows(flows: Mapping[str, Flow]) -> dict[str, Flow]:
    return {fid: flow for fid, flow in flows.items() if starts_from_card(flow)}


def watch_card(reader: Any) -> Operation:
    """Wait, without holding the reader, until a card is in it: True; False when cancelled."""

    def wait(cancel: Cancellation, on_event: EventSink) -> bool:
        while not cancel.cancelled:
            if reader.has_card():
                return True
            cancel.wait(WATCH_POLL_S)
        return False

    return Operation("smartcard.watch", wait, device="smartcard", waits_for_customer=True)


def give_back(reader: Any, wait: float) -> Operation:
    """Eject the card inserted on the home screen; kept in the retain bin when not taken within ``wait``."""

    def eject(cancel: Cancellation, on_event: EventSink) -> Any:
        if not reader.has_card():
            return None
        return reader.return_card(wait, cancel, on_event)

    return Operation("smartcard.return_card", eject, critical=True, device="smartcard")


class Home:
    def __init__(self, flows: Mapping[str, Flow], services: Services) -> None:
        self.flows = flows
        self.services = services
        self.lang = services.settings.language
        self.elderly = False
        self.out_of_service: str | None = None  # free text or a catalog key
        self.service_counter = ""  # out of service: the counter the home screen sends customers to
        self.help_requested = False  # "call staff" at the home screen, until a session starts
        self.card_since: float | None = None  # a bank card was inserted on the home screen (monotonic time)
        self.card_returning = False  # the card is being ejected, waiting to be taken
        self.lines = HomeLines(flows)  # the flows' own lines (e.g. the current wait), once started
        self.survey: Survey | None = None  # the satisfaction question after a completed session

    @property
    def card_in(self) -> bool:
        return self.card_since is not None

    def model(self) -> ScreenModel:
        if self.survey is not None and self.out_of_service is None:
            return self.survey.model()
        if self.card_in and self.out_of_service is None:
            return self.card_model()
        model = render.home_screen(self.flows, self.services, self.lang, self.elderly, self.out_of_service,
                                   self.service_counter)
        lines = self.lines.texts(self.lang) if self.out_of_service is None else ()
        return replace(model, data={**model.data, "lines": lines}) if lines else model

    def card_model(self) -> ScreenModel:
        """The card menu: the services that start from the card, and taking the card back."""
        t = lambda key: i18n.text(self.lang, key)  # noqa: E731
        if self.card_returning:
            prompt = t("ending.take.bank_card")
            return ScreenModel(ScreenKind.HOME, "home_card", t("home.card.title"), prompt=prompt, voice=prompt,
                               can_cancel=False, busy=True, lang=self.lang, elderly=self.elderly,
                               data={"bank_card": True, "categories": {}})
        model = render.home_screen(card_flows(self.flows), self.services, self.lang, self.elderly, None)
        prompt = t("home.card.prompt")
        return replace(model, step="home_card", title=t("home.card.title"), prompt=prompt, voice=prompt,
                       data={**model.data, "bank_card": True, "categories": {}, "take_back": t("home.card.take_back")})

    def published(self) -> ScreenModel:
        """The home screen as shown: with the notice that staff are called, once they are."""
        model = self.model()
        if self.help_requested and model.can_help:
            model = replace(model, notice=i18n.text(self.lang, "help.called"))
        return model

    def availability_changed(self, shown: ScreenModel) -> bool:
        """A flow became available or unavailable (a device failed or recovered) since ``shown``."""
        return [c.enabled for c in self.model().choices] != [c.enabled for c in shown.choices]

    def on_input(self, inp: Input) -> str | None:
        """The flow to start, if the person chose one that can run; otherwise the home state changes."""
        choice = inp.choice
        if self.card_returning:
            return None
        if inp.kind is InputKind.START and choice is not None and choice in self.flows and self.out_of_service is None:
            if render.flow_available(self.flows[choice], self.services):
                return choice
            self.services.journal.record(None, "system", "flow_unavailable", {"flow": inp.choice})
        if inp.kind is InputKind.LANGUAGE and inp.choice in LANGUAGES:
            self.lang = inp.choice
        elif inp.kind is InputKind.ELDERLY:
            self.elderly = inp.choice == "on"
        elif inp.kind is InputKind.HELP:  # a person at the home screen asks for staff: no session to attach
            self.services.journal.record(None, "staff", "help_requested", {"where": "home"})
            self.help_requested = True
        return None

    def set_out_of_service(self, reason: str | None, counter: str = "") -> None:
        """``reason``: free text or a catalog key; None puts the kiosk back in service."""
        self.out_of_service = reason
        self.service_counter = counter if reason is not None else ""
