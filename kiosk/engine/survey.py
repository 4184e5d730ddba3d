"""Satisfaction (满意度): after a completed session, once the card is back and the receipt taken, one touch
asks how it went: 满意 / 一般 / 不满意 (the last asks why, from a short list), or 跳过. It never holds the next
customer: it goes away by itself after ``timeouts.satisfaction_s`` (longer in elderly mode), and
``satisfaction_s = 0`` turns it off. The answer goes into the journal on the session it rates (entry kind
``survey``), which the KPI report reads (kiosk/journal/kpi.py); a skip or a timeout is journaled too, so the
report knows how many customers answered."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core import i18n
from kiosk.engine.screens import Choice, Input, InputKind, ScreenKind, ScreenModel

RATINGS = ("satisfied", "neutral", "dissatisfied")
REASONS = ("waiting", "complicated", "device", "staff", "fees", "other")
SKIP = "skip"
STEP = "satisfaction"  # the screen's step id
REASON_STEP = "satisfaction_reason"


@dataclass
class Survey:
    """The question after session ``session_id`` (of ``flow_id``), in its customer's language and mode."""

    session_id: str
    flow_id: str
    lang: str
    elderly: bool
    since: float  # the clock's monotonic time it was put up
    rating: str | None = None  # "dissatisfied": now asking why

    def model(self) -> ScreenModel:
        t = lambda key: i18n.text(self.lang, key)  # noqa: E731
        if self.rating is None:
            choices = tuple(Choice(r, t(f"satisfaction.{r}")) for r in RATINGS)
            title, prompt, step = t("satisfaction.title"), t("satisfaction.prompt"), STEP
        else:
            choices = tuple(Choice(r, t(f"satisfaction.reason.{r}")) for r in REASONS)
            title, prompt, step = t("satisfaction.reason.title"), t("satisfaction.reason.prompt"), REASON_STEP
        choices += (Choice(SKIP, t("satisfaction.skip")),)
        return ScreenModel(ScreenKind.CHOICE, step, title, prompt=prompt, voice=f"{title} {prompt}", choices=choices,
                           can_cancel=False, can_help=False, lang=self.lang, elderly=self.elderly,
                           data={"survey": True})

    def answer(self, inp: Input) -> dict[str, str | None] | None:
        """What to journal once the customer has answered (or skipped); None while a reason is asked next."""
        if inp.kind is InputKind.CANCEL or (inp.kind is InputKind.CHOOSE and inp.choice == SKIP):
            return {"rating": self.rating, "reason": "skipped"} if self.rating else {"rating": "skipped"}
        if inp.kind is not InputKind.CHOOSE:
            return None
        if self.rating is None and inp.choice in RATINGS:
            if inp.choice == "dissatisfied":
                self.rating = inp.choice
                return None
            return {"rating": inp.choice}
        if self.rating is not None and inp.choice in REASONS:
            return {"rating": self.rating, "reason": inp.choice}
        return None
