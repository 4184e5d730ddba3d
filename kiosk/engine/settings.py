"""The engine's settings: sections of the configuration file, validated, and the view the engine is given.

kiosk/app/config.py composes these sections into the whole file (``[timeouts]``, ``[limits]``,
``[staff]``); the composition root builds :class:`EngineSettings` from a validated configuration in
one function (kiosk.app.compose.engine_settings). Nothing here is copied: a key's name, default and
bounds are written once, on its section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field


class Section(BaseModel):
    """A table of the configuration file: unknown keys are an error, values are fixed once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Timeouts(Section):
    """Seconds. Elderly mode scales the customer-facing ones (:meth:`for_customer`)."""

    screen_s: float = Field(60, ge=10, le=600)
    # The inactivity warning's countdown: at least 20 s (WCAG 2.2.1), counted from the end of its speech.
    warning_s: float = Field(20, ge=20, le=60)
    elderly_warning_s: float = Field(30, ge=20, le=120)  # elderly mode's countdown
    pin_s: float = Field(45, ge=10, le=300)
    staff_s: float = Field(300, ge=30, le=1800)
    card_take_s: float = Field(30, ge=10, le=120)
    processing_s: float = Field(120, ge=10, le=600)  # device or host work with nobody to wait for
    device_s: float = Field(20, ge=1, le=120)  # a device call that waits for no customer
    fraud_dwell_s: float = Field(6, ge=0, le=30)  # elderly mode (and a flow's ``pause``): the fraud warning waits
    satisfaction_s: float = Field(20, ge=0, le=120)  # the question after a completed session stays up; 0: not asked
    elderly_factor: float = Field(2.0, ge=1, le=4)

    def warning_for(self, elderly: bool) -> float:
        """The seconds the inactivity warning counts down (after it has been said)."""
        return max(self.elderly_warning_s, self.warning_s) if elderly else self.warning_s

    def for_customer(self, name: str, elderly: bool) -> float:
        """The time a customer gets for ``name`` (a field, e.g. "pin_s"): longer in elderly mode."""
        seconds = float(getattr(self, name))
        return seconds * self.elderly_factor if elderly else seconds


class Limits(Section):
    kiosk_payment_limit_fen: int = Field(5_000_000, ge=0)  # above: staff approval
    face_attempts: int = Field(3, ge=1, le=5)
    sms_attempts: int = Field(3, ge=1, le=5)  # enforced by the host simulator (a real host has its own)
    pin_entry_attempts: int = Field(3, ge=1, le=5)  # wrong PINs a day: enforced by the host simulator
    card_read_attempts: int = Field(3, ge=1, le=5)
    minor_age: int = Field(16, ge=1, le=18)
    transfer_per_transaction_fen: int = Field(20_000_000, ge=0)  # a transfer above it is refused at the kiosk
    transfer_daily_fen: int = Field(50_000_000, ge=0)  # a card's transfers in a day (the host checks the total)
    reversal_attempts: int = Field(5, ge=1, le=50)  # failed sends of a reversal before its transaction is suspect
    reversal_backoff_s: float = Field(30.0, ge=0.0, le=3600.0)  # wait after the first failure; doubles each time


class DocumentFees(Section):
    """``[documents]``: what printed bank documents cost (fen), shown before the customer confirms."""

    statement_free_pages: int = Field(10, ge=0, le=1000)  # a statement up to this many pages is free
    statement_page_fen: int = Field(50, ge=0, le=10_000)  # each page above the free ones
    deposit_certificate_fen: int = Field(2000, ge=0, le=100_000)  # one deposit certificate


class StaffRules(Section):
    """Branch staff at the kiosk (docs/staff.md)."""

    idle_sign_out_s: float = Field(120, ge=30, le=900)  # signed out after this long without staff input
    service_counter: str = Field("1", min_length=1, max_length=16)  # out of service: customers go to this counter
    dual_control: tuple[str, ...] = ()  # approval rules needing 2 supervisors (checked against the flows)


@dataclass(frozen=True)
class EngineSettings:
    """What the engine reads of the configuration: the validated sections themselves, and the kiosk's
    identity. Approval rules are resolved per flow (flow id -> the rules switched on)."""

    kiosk_id: str
    branch_id: str
    branch_name: str
    bank_name: str
    language: str
    pin_key_id: str
    timeouts: Timeouts
    limits: Limits
    staff: StaffRules
    approvals: Mapping[str, tuple[str, ...]]
    documents: DocumentFees = field(default_factory=lambda: DocumentFees.model_validate({}))
    card_first: bool = True  # the home screen watches the bank card reader (kiosk/engine/home.py)
    strict: bool = False  # tests: an unexpected exception in an operation is raised, not turned into a fault
