"""One customer's visit: from the first touch to done, cancel or timeout. Wiped at the end."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.core import i18n

if TYPE_CHECKING:
    from kiosk.engine.flow import Flow
    from kiosk.engine.services import Services


@dataclass
class Session:
    id: str
    flow: Flow
    services: Services
    lang: str
    elderly: bool = False
    data: dict[str, Any] = field(default_factory=dict)  # ID card, bank card, PIN blocks, host replies...
    attempts: Counter[str] = field(default_factory=Counter)
    error: str | None = None  # the message the current screen shows
    failure: tuple[str, dict[str, Any]] | None = None  # message key and params for the failed screen
    outcome: str | None = None
    notice: str | None = None
    trail: list[dict[str, Any]] = field(default_factory=list)  # screens visited and inputs (masked), for QA

    def t(self, key: str, **params: Any) -> str:
        return i18n.text(self.lang, key, **params)

    def flow_key(self, suffix: str) -> str:
        """Catalog key in the flow's namespace, e.g. 'flow.si_payment.confirm.title'."""
        return f"flow.{self.flow.id}.{suffix}"

    def wipe(self) -> None:
        """Drop ID data, face frames, card data and PIN blocks from memory."""
        self.data.clear()
        self.attempts.clear()
        self.error = None
        self.failure = None
