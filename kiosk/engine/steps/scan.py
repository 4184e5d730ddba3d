"""A code held up to a camera: a bill's barcode, an appointment's QR code; or laid under the document camera:
a business licence's QR code."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, DeviceError, ErrorCode, EventSink
from devices.camera.api import Camera, ScannedCode
from devices.camera.codes import NO_CODE, UNREADABLE_EVENT, read_code
from kiosk.core import i18n
from kiosk.engine.flow import Fail, Goto, Next, Stay, Step, Stop, Verdict
from kiosk.engine.ops import Operation, OpResult
from kiosk.engine.screens import Choice, Input, InputKind, Outcome, ScreenKind
from kiosk.engine.steps.identity import customer_wait

if TYPE_CHECKING:
    from kiosk.engine.session import Session


CAMERA_TEXTS = {"unavailable": "scan.camera_unavailable", "unreadable": "scan.unreadable"}


class ScanCode(Step):
    """Hold a barcode or a QR code up to the camera. The camera reads it from its frames
    (devices/camera/codes.py); its text goes to the flow data attribute ``store`` (a ``str``). ``camera`` names
    the device that reads: the customer-facing ``camera``, or any other camera among the kiosk's devices (the
    document camera a licence is laid under); the screen names it (``data["device_hint"]``).

    ``check(s)`` is a business rule on the code read (e.g. the licence's code must be well formed): a
    verdict, or None to go on; ``Stay(error=..., restart=True)`` keeps the camera looking for another code
    (the one refused is ignored while it is still in view), and the steps it may go to are its ``branches``.

    ``instead(s)`` are the choices beside the camera for a customer without the code at hand (e.g. type the
    number): choosing one stores its id in ``instead_store`` and goes to the step ``instead_step``; reading a
    code empties ``instead_store``. A code in view that does not read says so while reading goes on. A code
    read before in this visit is not read again while it is still held up: the flow sent the customer back
    here because it refused that code (say why with the ``Goto``'s error). A camera that fails leaves the
    alternatives; without any, the business ends as a device fault (``error.device.<camera>``). The messages
    are ``scan.<camera>_unavailable`` and ``scan.<camera>_unreadable`` where the catalogs have them, else the
    camera's (``scan.camera_unavailable``, ``scan.unreadable``)."""

    kind = ScreenKind.SCAN
    text_key = "scan"

    def __init__(self, id: str, *, store: str, symbologies: Sequence[str] = ("code128", "qrcode"),
                 instead: Callable[[Session], Sequence[Choice]] | None = None, instead_store: str | None = None,
                 instead_step: str | None = None, camera: str = "camera",
                 check: Callable[[Session], Verdict | None] | None = None, branches: tuple[str, ...] = (),
                 **kw: Any) -> None:
        super().__init__(id, **kw)
        if not (instead is None) == (instead_store is None) == (instead_step is None):
            raise ValueError(f"scan {id!r}: give instead, instead_store and instead_step together, or none")
        self.store, self.symbologies = store, tuple(symbologies)
        self.instead, self.instead_store, self.instead_step = instead, instead_store, instead_step
        self.camera, self.check = camera, check
        self.branches = ((instead_step,) if instead_step else ()) + tuple(branches)

    def stores(self) -> tuple[tuple[str, type], ...]:
        return ((self.store, str),) + (((self.instead_store, str),) if self.instead_store else ())

    def screen(self, s: Session) -> dict[str, Any]:
        choices = tuple(self.instead(s)) if self.instead else ()
        return {"choices": choices, "data": {"device_hint": self.camera, "scanning": not self.down(s)}}

    def down(self, s: Session) -> bool:
        return self.camera in s.slots.cameras_down

    def prompt(self, s: Session) -> str:
        return s.t("scan.camera_down") if self.down(s) else super().prompt(s)

    def begin(self, s: Session) -> Operation | None:
        camera: Camera | None = s.services.devices.by_name().get(self.camera)
        if camera is None:
            s.slots.cameras_down.add(self.camera)
        if camera is None or self.down(s):
            return None
        before = getattr(s.flow_data, self.store, None)
        ignore = frozenset({before}) if isinstance(before, str) and before else frozenset()
        clock, wait, symbologies = s.services.clock, customer_wait(s), self.symbologies

        def read(cancel: Cancellation, on_event: EventSink) -> ScannedCode:
            return read_code(camera, clock, wait, cancel, on_event, symbologies, ignore)

        return Operation(f"{self.camera}.read_code", read, device=self.camera, waits_for_customer=True)

    def on_event(self, s: Session, event: Any) -> bool:
        if event.kind != UNREADABLE_EVENT:
            return False
        specific = s.flow_key(f"{self.id}.unreadable")  # a flow may say it in its own words (no alternatives)
        s.error = s.t(specific if i18n.has_text(s.lang, specific) else self._text(s, "unreadable"))
        return True

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if inp.kind is not InputKind.CHOOSE or self.instead is None or self.instead_store is None:
            return None
        if inp.choice not in {c.id for c in self.instead(s) if c.enabled}:
            return Stay(error="error.choice_not_available")
        s.store(self.instead_store, inp.choice)
        assert self.instead_step is not None
        return Goto(self.instead_step)

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        if result.ok:
            code: ScannedCode = result.value
            s.store(self.store, code.text)
            if self.instead_store:
                s.store(self.instead_store, "")
            verdict = self.check(s) if self.check else None
            return verdict if verdict is not None else Next()
        err = result.error
        if not isinstance(err, DeviceError):
            raise err if err is not None else RuntimeError("a failed read without an error")
        if err.code is ErrorCode.CANCELLED:
            return Stop("cancel")
        if err.code is ErrorCode.TIMEOUT and err.reason == NO_CODE:
            return Stop("timeout")  # nobody held a code up: the customer has gone
        s.slots.cameras_down.add(self.camera)
        if self.instead is None:
            return Fail(f"error.device.{self.camera}", Outcome.DEVICE_FAULT)
        return Stay(error=self._text(s, "unavailable"))

    def _text(self, s: Session, what: str) -> str:
        """``scan.<camera>_<what>`` where the catalogs have one (the document camera's words), else the camera's."""
        own = f"scan.{self.camera}_{what}"
        return own if i18n.has_text(s.lang, own) else CAMERA_TEXTS[what]
