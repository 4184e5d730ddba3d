"""The appointment codes the mini-program shows as QR codes: signed by the host with Ed25519.

A code is ``KA1.<booking ref>.<signature>``: the version, the booking's reference and the Ed25519 signature of
``KA1.<booking ref>`` (base64url, no padding). It names the booking and nothing else: the customer, the
business, the window and the answers stay on the host. Ed25519 signatures are deterministic, so a booking's
code is always the same (the scenarios show the seeded bookings' codes).

DEMO ONLY: the key is assets/sim/appointment-signing/host.key.pem, in the repository
(scripts/make_appointment_key.py made it). A real host keeps it in an HSM.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import cache
from pathlib import Path
from typing import Any

from kiosk.host.sim.context import Refusal

KEYS = Path(__file__).resolve().parents[3] / "assets" / "sim" / "appointment-signing"
VERSION = "KA1"
REF = re.compile(r"^APT[0-9]{8}$")
SIGNATURE_BYTES = 64


@cache
def _private_key(keys: Path = KEYS) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key((keys / "host.key.pem").read_bytes(), password=None)


@cache
def public_key(keys: Path = KEYS) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_public_key((keys / "host.pub.pem").read_bytes())


def _signed_part(booking_ref: str) -> bytes:
    return f"{VERSION}.{booking_ref}".encode("ascii")


def _text(signature: bytes) -> str:
    return base64.urlsafe_b64encode(signature).decode("ascii").rstrip("=")


def sign_token(booking_ref: str) -> str:
    """The code of booking ``booking_ref``."""
    return f"{VERSION}.{booking_ref}.{_text(_private_key().sign(_signed_part(booking_ref)))}"


def booking_ref_of(token: str) -> str:
    """The booking a code names, once its signature verifies. ``token_invalid``: not an appointment code at
    all (another QR code); ``signature_invalid``: one whose signature does not verify (forged or altered)."""
    from cryptography.exceptions import InvalidSignature

    version, _, rest = token.strip().partition(".")
    booking_ref, _, signature_text = rest.partition(".")
    if version != VERSION or not REF.match(booking_ref) or not signature_text:
        raise Refusal("token_invalid", "this is not an appointment code of the bank")
    try:
        signature = base64.urlsafe_b64decode(signature_text + "=" * (-len(signature_text) % 4))
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != SIGNATURE_BYTES or _text(signature) != signature_text:  # one spelling per signature
        raise Refusal("signature_invalid", "the code's signature is not the bank's")
    try:
        public_key().verify(signature, _signed_part(booking_ref))
    except InvalidSignature:
        raise Refusal("signature_invalid", "the code's signature is not the bank's") from None
    return booking_ref
