"""Open one screen alone with a made-up model, for design work and screenshots (like Orange's
``WidgetPreview``)::

    python -m kiosk.ui.preview pin_entry --lang en_US --size 1280x800
    python -m kiosk.ui.preview result --out /tmp/result.png

Text comes from the catalogs; the sample names and amounts are demo data.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from kiosk.core.i18n import text
from kiosk.engine.screens import Choice, FormField, Outcome, Row, ScreenKind, ScreenModel


def sample_model(kind: ScreenKind, lang: str = "zh_CN", **changes: Any) -> ScreenModel:
    """A plausible model of ``kind`` for looking at a screen without a session."""
    t: Callable[..., str] = lambda key, **kw: text(lang, key, **kw)  # noqa: E731
    base: dict[str, Any] = {"lang": lang, "session_id": "preview", "flow_id": "si_payment", "progress": (3, 11)}
    rows = (Row(t("row.name"), "张*"), Row(t("row.id_number"), "110105********1234"),
            Row(t("row.amount"), t("money.yuan", amount="1,508.00")))
    parts: dict[ScreenKind, dict[str, Any]] = {
        ScreenKind.HOME: {"title": t("home.title"), "prompt": t("home.prompt"), "session_id": None, "progress": None,
                          "can_cancel": False,
                          "choices": (Choice("account_opening", t("flow.account_opening.title"), t("category.accounts")),
                                      Choice("loss_report", t("flow.loss_report.title"), t("category.cards")),
                                      Choice("si_payment", t("flow.si_payment.title"), t("home.flow_unavailable"),
                                             enabled=False)),
                          "data": {"categories": {"accounts": ["account_opening"], "cards": ["loss_report"],
                                                  "payments": ["si_payment"]},
                                   "category_titles": {c: t(f"category.{c}") for c in ("accounts", "cards", "payments")}}},
        ScreenKind.INFO: {"step": "fraud_warning", "title": t("step.fraud_warning.title"),
                          "prompt": t("step.fraud_warning.prompt"), "data": {"warning": True, "wait_s": 0},
                          "choices": (Choice("continue", t("button.fraud_understood")),)},
        ScreenKind.AGREEMENT: {"title": t("step.agreement.title"), "prompt": t("step.agreement.prompt"),
                               "data": {"document": t("doc.account_agreement")},
                               "choices": (Choice("agree", t("button.agree")), Choice("decline", t("button.decline")))},
        ScreenKind.ID_CARD: {"title": t("step.id_card.title"), "prompt": t("step.id_card.prompt"),
                             "data": {"detected": True}},
        ScreenKind.FACE: {"title": t("step.face.title"), "prompt": t("step.face.prompt"),
                          "error": t("face.no_match", left=2),
                          "choices": (Choice("retry", t("button.face_retry")), Choice("staff", t("button.face_staff")))},
        ScreenKind.SCAN: {"title": t("step.scan.title"), "prompt": t("step.scan.prompt"), "flow_id": "utility_payment",
                          "error": t("scan.unreadable"), "data": {"scanning": True},
                          "choices": (Choice("electricity", t("flow.utility_payment.type.electricity")),
                                      Choice("water", t("flow.utility_payment.type.water")),
                                      Choice("gas", t("flow.utility_payment.type.gas")))},
        ScreenKind.BANK_CARD: {"title": t("step.bank_card.title"), "prompt": t("step.bank_card.prompt")},
        ScreenKind.PIN_ENTRY: {"title": t("step.pin.title"), "prompt": t("step.pin.prompt"),
                               "data": {"digits": 4, "length": 6}},
        ScreenKind.FORM: {"step": "mobile", "title": t("flow.account_opening.mobile.title"),
                          "prompt": t("flow.account_opening.mobile.prompt"), "can_back": True,
                          "fields": (FormField("mobile", t("field.mobile.label"), "phone", 11, 11,
                                               hint=t("field.mobile.hint")),)},
        ScreenKind.CHOICE: {"title": t("flow.si_payment.bill.title"),
                            "choices": (Choice("b1", "城乡居民养老保险 2026-11", t("money.yuan", amount="1,128.00")),
                                        Choice("b2", "城乡居民医疗保险 2026", t("money.yuan", amount="380.00")),
                                        Choice("all", t("flow.si_payment.all"), t("money.yuan", amount="1,508.00")))},
        ScreenKind.CONFIRM: {"title": t("step.confirm.title"), "prompt": t("step.confirm.prompt"), "rows": rows,
                             "can_back": True, "choices": (Choice("confirm", t("button.confirm")),)},
        ScreenKind.PROCESSING: {"title": t("step.processing.title"), "prompt": t("step.processing.prompt"),
                                "busy": True},
        ScreenKind.WAITING_STAFF: {"title": t("step.approval.title"), "prompt": t("step.approval.prompt"),
                                   "rows": (Row(t("approval.reason"), t("approval.reason.over_limit")),)},
        ScreenKind.RESULT: {"title": t("step.result.title"), "prompt": t("step.result.prompt"), "rows": rows,
                            "outcome": Outcome.COMPLETED, "choices": (Choice("continue", t("button.continue")),)},
        ScreenKind.RECEIPT: {"title": t("step.receipt.title"), "prompt": t("step.receipt.prompt"),
                             "data": {"printed": True}, "choices": (Choice("continue", t("button.finish")),)},
        ScreenKind.OUT_OF_SERVICE: {"title": t("home.out_of_service.title"), "session_id": None, "progress": None,
                                    "prompt": t("home.out_of_service.prompt", reason="maintenance"),
                                    "can_cancel": False, "can_help": False},
    }
    if kind is ScreenKind.INFO and changes.get("elderly"):  # elderly mode: Continue waits while it is read out
        parts[kind] |= {"data": {"warning": True, "wait_s": 4},
                        "choices": (Choice("continue", t("button.fraud_wait", seconds=4), enabled=False),)}
    fields = {"kind": kind, "step": kind.value, **base, **parts[kind], **changes}
    return ScreenModel(**fields)


def sample_home(lang: str = "zh_CN", count: int = 29, **changes: Any) -> ScreenModel:
    """The home screen with ``count`` made-up services (kiosk/ui/samples.py), as the engine would publish
    them: most used first, by category, with their search initials."""
    from kiosk.core.pinyin import initials, word_initials
    from kiosk.ui.samples import CATEGORIES, sample_services

    services = sample_services(count)
    choices = tuple(Choice(s.id, s.title(lang), text(lang, f"category.{s.category}")) for s in services)
    categories = {c: [s.id for s in services if s.category == c] for c in CATEGORIES}
    categories = {c: ids for c, ids in categories.items() if ids}
    data = {"categories": categories, "category_titles": {c: text(lang, f"category.{c}") for c in categories},
            "search": {s.id: tuple(k for k in (initials(s.zh) or initials(s.zh.rstrip("0123456789")),
                                               word_initials(s.en)) if k) for s in services}}
    return sample_model(ScreenKind.HOME, lang, **{"choices": choices, "data": data, **changes})


def offering_elderly(model: ScreenModel) -> ScreenModel:
    """``model`` as a session shows it once the ID card says 60 or more: with the elderly-mode offer."""
    return replace(model, data={**model.data, "offer_elderly": text(model.lang, "elderly.offer")})


class PreviewVoice:
    """Voice controls that only remember what they were told (the preview does not speak)."""

    def __init__(self, enabled: bool = False, volume: float = 1.0, unavailable: str | None = None) -> None:
        self._enabled, self._volume, self.repeats = enabled, volume, 0
        self.unavailable = unavailable  # why nothing would be heard (no audio player...), or None

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, on: bool) -> None:
        self._enabled = on

    def repeat(self) -> None:
        self.repeats += 1

    @property
    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._volume = volume


def preview_window(model: ScreenModel, size: tuple[int, int] = (1920, 1080), bank_name: str = "示范银行",
                   voice: Any = "preview") -> Any:
    """A kiosk window showing ``model``; its ``intent`` signal shows what a touch would send.
    ``voice``: the voice controls to show (a :class:`PreviewVoice`, on in elderly mode, by default; None: none)."""
    from kiosk.ui.shell import KioskWindow

    window = KioskWindow(bank_name)
    window.resize(*size)
    window.set_voice(PreviewVoice(enabled=model.elderly) if voice == "preview" else voice)
    window.show_model(model)
    return window


def main(argv: Sequence[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    parser = argparse.ArgumentParser(prog="python -m kiosk.ui.preview", description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=[k.value for k in ScreenKind])
    parser.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en_US"])
    parser.add_argument("--elderly", action="store_true", help="elderly mode (长辈模式)")
    parser.add_argument("--offer", action="store_true", help="with the elderly-mode offer (a customer of 60 or more)")
    parser.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT")
    parser.add_argument("--services", type=int, default=0, help="home: this many made-up services (e.g. 29)")
    parser.add_argument("--out", help="save a PNG here and exit")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    width, height = (int(v) for v in args.size.lower().split("x"))
    model = sample_model(ScreenKind(args.kind), args.lang, elderly=args.elderly)
    if args.kind == ScreenKind.HOME.value and args.services:
        model = sample_home(args.lang, args.services, elderly=args.elderly)
    window = preview_window(offering_elderly(model) if args.offer else model, (width, height))
    window.intent.connect(lambda inp: sys.stderr.write(f"{inp!r}\n"))
    window.show()
    if args.out:
        app.processEvents()
        return 0 if window.grab().save(args.out) else 1
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
