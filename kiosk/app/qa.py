"""QA controls over the simulators and the host simulator: what a tester does with their hands
(place an ID card, insert a card, type on the PIN pad, stand before the camera, take the card) and
the faults they inject. Scenario files and the simulator panel both go through here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.app.compose import Kiosk

HOST_FAULTS = ("refuse", "delay", "reset", "drop_reply")
HOST_DELAY_S = 15.0  # longer than the client's read timeout: the kiosk retries with the same key


class QAError(ValueError):
    """A QA request that names something the simulators do not have."""


class SimulatorControls:
    def __init__(self, kiosk: Kiosk) -> None:
        self.kiosk = kiosk
        self.devices = kiosk.devices
        self.people = kiosk.people

    def _sim(self, name: str) -> Any:
        controls = self.kiosk.sim_controls.get(name)
        if controls is None:
            raise QAError(f"no simulated device {name!r}; simulated: {', '.join(sorted(self.kiosk.sim_controls))}")
        return controls

    # --- the customer's hands --------------------------------------------------------------
    def place_id_card(self, person: str) -> None:
        if person not in self.people.id_cards:
            raise QAError(f"no ID card {person!r}; cards: {', '.join(sorted(self.people.id_cards))}")
        self._sim("idcard").place(self.people.id_cards[person])

    def remove_id_card(self) -> None:
        self._sim("idcard").remove()

    def id_card_empty_polls(self) -> int | None:
        """How often the ID card reader has polled an empty field; None when its simulator is not polled
        (the behavioural one hands over whatever card lies there)."""
        counter = getattr(self._sim("idcard"), "empty_finds", None)
        return counter() if counter is not None else None

    def insert_bank_card(self, key: str) -> None:
        """A bank card (``zhang_wei_1``) or a staff card (``staff_S1001``)."""
        cards = {**self.people.bank_cards, **self.people.staff_cards}
        profile = cards.get(key)
        if profile is None:
            raise QAError(f"no bank card {key!r}; cards: {', '.join(sorted(cards))}")
        self._sim("smartcard").insert(profile.card, blocked=profile.blocked)

    def take_bank_card(self) -> None:
        self._sim("smartcard").take()

    def take_new_card(self) -> None:
        self._sim("dispenser").take()

    def take_receipt(self) -> None:
        if self._sim("printer").take_receipt() is None:
            raise QAError("no receipt in the printer's slot")

    def take_document(self) -> None:
        """Take the A4 document from the document printer's tray (its spool file goes with it)."""
        if self._sim("docprinter").take_document() is None:
            raise QAError("no document in the A4 printer's tray")

    def press_keys(self, keys: str) -> None:
        self._sim("pinpad").press(keys)

    def show_camera(self, spec: str) -> None:
        """"nobody", "two_people", "person:<key>" or "photo:<key>"."""
        scene, _, person = spec.partition(":")
        if scene not in ("nobody", "two_people", "person", "photo"):
            raise QAError(f"camera scene {spec!r}; allowed: nobody, two_people, person:<key>, photo:<key>")
        if person and person not in self.people.live_photos:
            raise QAError(f"no person {person!r}; people: {', '.join(sorted(self.people.live_photos))}")
        self._sim("camera").show(scene, person or None)

    def show_code(self, text: str, symbology: str = "code128", damaged: bool = False) -> None:
        """A slip with ``text`` as a barcode (``code128``) or a QR code (``qrcode``) is held up to the camera;
        ``damaged``: stained across the code, so it does not read."""
        self._sim("camera").show_code(text, symbology, damaged)

    def show_picture(self, path: str) -> None:
        """A picture file is held up to the camera: a path as given, else under the simulators' assets."""
        self._sim("camera").show_picture(self._picture(path))

    def _picture(self, path: str) -> Path:
        found = Path(path)
        if not found.is_absolute() and not found.exists() and (self.people.asset_dir / path).exists():
            found = self.people.asset_dir / path
        if not found.is_file():
            raise QAError(f"no picture {path!r} (nor under {self.people.asset_dir})")
        return found

    def show_document(self, *, licence: str | None = None, picture: str | None = None, code: str | None = None,
                      symbology: str = "qrcode", damaged: bool = False) -> None:
        """Lay one thing on the document camera's platen: a demo company's business licence (its key in
        people.toml; ``damaged``: its QR code stained), a picture file, or a slip with a code."""
        if sum(x is not None for x in (licence, picture, code)) != 1:
            raise QAError("the document camera: give one of licence, picture and code")
        doccamera = self._sim("doccamera")
        if licence is not None:
            doccamera.show_licence(licence, damaged)
        elif picture is not None:
            doccamera.show_picture(self._picture(picture))
        else:
            doccamera.show_code(str(code), symbology, damaged)

    def clear_document(self) -> None:
        """Take the document off the document camera's platen."""
        self._sim("doccamera").clear()

    # --- faults ----------------------------------------------------------------------------
    def device_fault(self, device: str, fault: str, times: int = 1) -> None:
        self._sim(device).inject(fault, times)

    def clear_device_faults(self) -> None:
        for controls in self.kiosk.sim_controls.values():
            controls.reset()
        for device in self.devices.by_name().values():
            device.reset()

    def fault_choices(self) -> list[tuple[str, str]]:
        """Every fault QA can inject: each simulated device's, then the host simulator's (``host``)."""
        choices = [(name, fault) for name, controls in sorted(self.kiosk.sim_controls.items())
                   for fault in sorted(getattr(controls, "FAULTS", {}))]
        if self.kiosk.host_process is not None:
            choices += [("host", kind) for kind in HOST_FAULTS]
        return choices

    def inject(self, target: str, fault: str) -> None:
        """One fault from :meth:`fault_choices`: a device's next call, or the host's next request."""
        if target == "host":
            self.host_fault("*", fault, times=1, delay_s=HOST_DELAY_S if fault == "delay" else 0.0)
        else:
            self.device_fault(target, fault)

    def host_fault(self, op: str, kind: str, times: int = 1, delay_s: float = 0.0) -> None:
        self._post("/sim/faults", {"op": op, "kind": kind, "times": times, "delay_s": delay_s})

    def clear_host_faults(self) -> None:
        self._request("DELETE", "/sim/faults")

    def host_advance(self, seconds: float) -> None:
        """Move the host simulator's clock on (an SMS code's five minutes, a quote's validity), not the kiosk's."""
        self._post("/sim/clock", {"advance_s": seconds})

    def reset_host(self) -> None:
        """Reseed the host simulator's demo bank: faults, clock offset and everything that happened are forgotten."""
        self._post("/sim/reset", {})

    # --- what the host simulator knows -----------------------------------------------------
    def sms_code(self, sms_ref: str) -> str:
        return str(self._request("GET", f"/sim/sms/{sms_ref}")["code"])

    def host_state(self) -> dict[str, Any]:
        state: dict[str, Any] = self._request("GET", "/sim/state")
        return state

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        return self._request("POST", path, body)

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        if self.kiosk.host_process is None:
            raise QAError("host faults and state need the embedded host simulator (host.mode = simulator)")
        import requests  # here, not at the top: the kiosk's start does not wait for it

        response = requests.request(method, self.kiosk.host_url + path, json=body, timeout=5)
        if response.status_code >= 400:
            raise QAError(f"host simulator {method} {path}: HTTP {response.status_code}: {response.text[:200]}")
        return response.json() if response.content else None
