"""Make the demo host's key for appointment codes: an Ed25519 key pair.

DEMO ONLY. The private key is written unencrypted into assets/sim/appointment-signing/ so the host simulator
can sign the codes the mini-program shows (kiosk/host/sim/tokens_appointments.py); the public key beside it is
what anyone may verify them with. A real bank keeps its signing key in an HSM.

    python scripts/make_appointment_key.py [--out assets/sim/appointment-signing]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

OUT = Path(__file__).resolve().parents[1] / "assets" / "sim" / "appointment-signing"


def make(out: Path) -> None:
    key = Ed25519PrivateKey.generate()
    out.mkdir(parents=True, exist_ok=True)
    (out / "host.key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    (out / "host.pub.pem").write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    print(f"wrote {out}/host.key.pem and host.pub.pem")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    make(parser.parse_args().out)


if __name__ == "__main__":
    main()
