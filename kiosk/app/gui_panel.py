"""The simulate-mode panel's view of the kiosk: SimulatorControls plus what the panel lists and shows.
Loaded with the panel, after the home screen's first paint under ``kiosk run``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kiosk.app.qa import SimulatorControls
from kiosk.host.api import SmsSendResult


class PanelControls(SimulatorControls):
    """SimulatorControls plus what the simulate-mode panel lists and shows."""

    def id_card_keys(self) -> Sequence[tuple[str, str]]:  # the holder's name: the card's chip photo can wait
        return [(key, f"{self.people.person(key)['name']} ({key})") for key in sorted(self.people.id_cards)]

    def bank_card_keys(self) -> Sequence[tuple[str, str]]:
        cards = sorted(self.people.bank_cards.items()) + sorted(self.people.staff_cards.items())  # staff cards last
        return [(key, f"{key} ({p.card.pan[-4:]})") for key, p in cards]

    def licence_keys(self) -> Sequence[tuple[str, str]]:
        """The demo companies' licences the simulated document camera can be shown (none with a real one)."""
        doccamera = self.kiosk.sim_controls.get("doccamera")
        licences = doccamera.licences() if hasattr(doccamera, "licences") else {}
        return [(key, f"{licence.name} ({key})") for key, licence in sorted(licences.items())]

    def device_statuses(self) -> Sequence[Any]:
        return [device.status() for device in self.devices.by_name().values()]

    def last_sms_code(self) -> str | None:
        session = self.kiosk.engine.session
        sms = session.found(SmsSendResult) if session is not None else None
        return self.sms_code(sms.sms_ref) if sms is not None else None
