"""The home screen and its menu, while no session runs: the flows on offer (greyed when a device they
need is down), language, elderly mode, a call for staff, and the kiosk out of service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from kiosk.core import i18n
from kiosk.engine import render
from kiosk.engine.flow import Flow
from kiosk.engine.screens import Input, InputKind, ScreenModel
from kiosk.engine.services import Services

LANGUAGES = ("zh_CN", "en_US")


class Home:
    def __init__(self, flows: Mapping[str, Flow], services: Services) -> None:
        self.flows = flows
        self.services = services
        self.lang = services.settings.language
        self.elderly = False
        self.out_of_service: str | None = None  # free text or a catalog key
        self.service_counter = ""  # out of service: the counter the home screen sends customers to
        self.help_requested = False  # "call staff" at the home screen, until a session starts

    def model(self) -> ScreenModel:
        return render.home_screen(self.flows, self.services, self.lang, self.elderly, self.out_of_service,
                                  self.service_counter)

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
