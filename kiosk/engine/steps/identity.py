"""Who is at the kiosk: read the ID card, check it, check the face against its photo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, EventSink
from devices.idcard.api import IdCard
from kiosk.core import i18n
from kiosk.engine.flow import Fail, Goto, Next, Stay, Step, Verdict
from kiosk.engine.ops import Operation, OpResult
from kiosk.engine.screens import Choice, Input, InputKind, ScreenKind
from kiosk.engine.session import FaceGuidance
from kiosk.engine.steps.basic import device_verdict
from kiosk.identity.face import FaceDecision
from kiosk.identity.guidance import GUIDANCE_EVENT
from kiosk.identity.idcheck import age_of, check_id_card

if TYPE_CHECKING:
    from kiosk.engine.session import Session


def customer_wait(s: Session, kind: str = "screen_s") -> float:
    """How long a device may wait for the customer: a little past the screen's own timeout."""
    return s.services.settings.timeouts.for_customer(kind, s.elderly) + 5.0


class ReadIdCard(Step):
    """Place the resident ID card on the reader. ``role`` "guardian" reads a second, adult card."""

    kind = ScreenKind.ID_CARD
    text_key = "id_card"

    def __init__(self, id: str, *, role: str = "customer", **kw: Any) -> None:
        kw.setdefault("text", "id_card" if role == "customer" else "guardian_id_card")
        super().__init__(id, **kw)
        self.role = role

    def screen(self, s: Session) -> dict[str, Any]:
        return {"data": {"device_hint": "idcard", "detected": s.slots.idcard_detected}}

    def carry(self, s: Session) -> bool:
        """The customer's ID card was read (and checked) earlier in this visit."""
        return self.role == "customer" and s.slots.id_card is not None

    def begin(self, s: Session) -> Operation:
        reader = s.services.devices.idcard
        assert reader is not None
        s.slots.idcard_detected = False
        wait = customer_wait(s)

        def read(cancel: Cancellation, on_event: EventSink) -> IdCard:
            return reader.read(wait, cancel, on_event)

        return Operation("idcard.read", read, device="idcard", waits_for_customer=True)

    def on_event(self, s: Session, event: Any) -> bool:
        if event.kind == "card_detected":
            s.slots.idcard_detected = True
            return True
        return False

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        if not result.ok:
            return device_verdict(s, result, waits_for_customer=True, retry="idcard.read_again")
        card: IdCard = result.value
        today = s.services.clock.now().date()
        problem = check_id_card(card, today)
        if problem is not None:
            return Fail(f"idcard.{problem.reason}")
        if self.role == "guardian":
            return self._guardian(s, card, today)
        s.slots.id_card = card
        s.slots.age = age_of(card, today)
        return Next()

    def _guardian(self, s: Session, card: IdCard, today: Any) -> Verdict:
        customer = s.slots.id_card
        assert customer is not None, "the guardian's card is read after the customer's"
        if card.id_number == customer.id_number or age_of(card, today) < 18:
            return Stay(error="idcard.guardian_invalid", restart=True)
        s.slots.guardian = card
        return Next()


class FaceCheck(Step):
    """Look at the camera: the face must match the ID card photo. After ``face_attempts`` failures,
    or when the customer asks, verification goes to staff (``fallback``).

    While the check runs, the verifier's guidance events (``face_guidance``) reach the screen model's
    ``data``: ``guidance`` (code) and ``guidance_text``, ``face_box`` ([x, y, w, h] as shares of the
    camera frame, unmirrored), ``challenge`` (blink, turn_left, turn_right, nod) and ``challenge_text``.
    The prompt (and so the voice) says the challenge or the guidance while there is one."""

    kind = ScreenKind.FACE
    text_key = "face"
    GUIDANCE = GUIDANCE_EVENT  # the verifier's event kind

    def __init__(self, id: str, *, fallback: str | None, refuse: str | None = None, **kw: Any) -> None:
        """``fallback``: the step where staff verify identity instead; None when the business allows no
        fallback (the credit bureau requires the face): then the flow ends with the message ``refuse``."""
        super().__init__(id, **kw)
        if fallback is None and refuse is None:
            raise ValueError(f"face check {id!r}: give a fallback step or the message that ends the flow")
        self.fallback = fallback
        self.refuse = refuse or ""
        self.branches = (fallback,) if fallback else ()

    def _instead(self, error: str | None = None) -> Verdict:
        """Staff verify identity, or (no fallback) the business ends here."""
        if self.fallback is None:
            return Fail(self.refuse)
        return Goto(self.fallback, error=error)

    def screen(self, s: Session) -> dict[str, Any]:
        failed = s.slots.face_last not in (None, "match")
        choices = (
            (Choice("retry", s.t("button.face_retry")),
             *((Choice("staff", s.t("button.face_staff")),) if self.fallback else ()))
            if failed else ()
        )
        data = {"device_hint": "camera", "attempts": s.attempts["face"], **self._guidance(s)}
        return {"choices": choices, "data": data}

    def carry(self, s: Session) -> bool:
        """The face matched the ID card earlier in this visit."""
        return s.slots.face_passed

    def prompt(self, s: Session) -> str:
        shown = self._guidance(s)
        return shown["challenge_text"] or shown["guidance_text"] or super().prompt(s)

    def _guidance(self, s: Session) -> dict[str, Any]:
        seen = s.slots.face_guidance or FaceGuidance()
        code, challenge = seen.code, seen.challenge
        guide_key, challenge_key = f"face.guide.{code}", f"face.challenge.{challenge}"
        return {
            "guidance": code,
            "guidance_text": s.t(guide_key) if code and i18n.has_text(s.lang, guide_key) else None,
            "face_box": seen.box,
            "challenge": challenge,
            "challenge_text": s.t(challenge_key) if challenge and i18n.has_text(s.lang, challenge_key) else None,
        }

    def begin(self, s: Session) -> Operation | None:
        if s.slots.face_last is not None:
            return None  # waiting for the customer to choose: try again or staff
        s.slots.face_guidance = None
        card = s.slots.id_card
        assert card is not None, "the face is checked against the ID card read before"
        camera = s.services.devices.camera
        verifier = s.services.face
        assert camera is not None
        wait = s.services.settings.timeouts.device_s

        def verify(cancel: Cancellation, on_event: EventSink) -> FaceDecision:
            return verifier.verify(card.photo, card.id_number, camera, wait, cancel, on_event)

        return Operation("face.verify", verify, device="camera", waits_for_customer=True)

    def on_event(self, s: Session, event: Any) -> bool:
        if event.kind != self.GUIDANCE:
            return False
        s.slots.face_guidance = FaceGuidance(event.data.get("code"), event.data.get("box"), event.data.get("challenge"))
        return True

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if inp.kind is not InputKind.CHOOSE or s.slots.face_last in (None, "match"):
            return None
        if inp.choice == "retry":
            s.slots.face_last = None
            return Stay(restart=True)
        if inp.choice == "staff" and self.fallback:
            return Goto(self.fallback)
        return None

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        s.slots.face_guidance = None
        if not result.ok:
            verdict = device_verdict(s, result, waits_for_customer=False)
            if isinstance(verdict, Fail):  # a broken camera never blocks the customer: staff verify instead
                return self._instead("face.camera_unavailable")
            return verdict
        decision: FaceDecision = result.value
        s.slots.face_last = decision.reason
        counted = decision.reason in ("no_match", "liveness_failed")
        if counted:
            s.attempts["face"] += 1
        s.services.journal.record(s.id, "outcome", "face.attempt",
                                  {"attempt": s.attempts["face"], "reason": decision.reason, "counted": counted})
        if decision.match:
            s.slots.face_passed = True
            return Next()
        if decision.reason in ("no_photo", "uncertain"):  # staff verify in person; not a failed attempt
            return self._instead(f"face.{decision.reason}")
        if not counted:  # two people, nobody, no usable picture: guidance, not a failed attempt
            return Stay(error=f"face.{decision.reason}")
        if s.attempts["face"] >= s.services.settings.limits.face_attempts:
            return self._instead("face.fallback_staff")
        return Stay(error=f"face.{decision.reason}", params={"left": self._left(s)})

    def _left(self, s: Session) -> int:
        return s.services.settings.limits.face_attempts - s.attempts["face"]
