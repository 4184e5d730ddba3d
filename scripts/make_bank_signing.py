"""Make the demo bank's document-signing keys: a root CA and the signing certificate it issues.

DEMO ONLY. The keys are written unencrypted into assets/sim/bank-signing/ so the host simulator can sign
statements and deposit certificates (PAdES) and tests can validate them against the demo root. A real bank
signs on its own document server with a key in an HSM, under a CA that PDF readers trust.

    python scripts/make_bank_signing.py [--out assets/sim/bank-signing]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = Path(__file__).resolve().parents[1] / "assets" / "sim" / "bank-signing"
YEARS = 30


def _name(common: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "示范银行 Demo Bank (DEMO KEY, NOT TRUSTED)"),
        x509.NameAttribute(NameOID.COMMON_NAME, common),
    ])


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def make(out: Path) -> None:
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    until = now + dt.timedelta(days=365 * YEARS)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name("Demo Bank Document Root CA (demo)")
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(until)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = (x509.CertificateBuilder().subject_name(_name("Demo Bank Document Signing (demo)"))
              .issuer_name(root_name).public_key(signer_key.public_key())
              .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(until)
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                           data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                           crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
              .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                             critical=False)
              .sign(root_key, hashes.SHA256()))
    out.mkdir(parents=True, exist_ok=True)
    (out / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (out / "signer.pem").write_bytes(signer.public_bytes(serialization.Encoding.PEM))
    (out / "signer.key.pem").write_bytes(_pem(signer_key))
    (out / "README.md").write_text(
        "# Demo bank document-signing keys (DEMO ONLY)\n\n"
        "Made by `scripts/make_bank_signing.py`. The host simulator signs statements and deposit certificates\n"
        "(PAdES, pyHanko) with `signer.key.pem`; `root.pem` is the trust anchor that `kiosk docs verify` and the\n"
        "tests validate against. The private key is public in this repository: nothing signed with it proves\n"
        "anything outside the demo. A PDF reader shows the signature as valid once `root.pem` is added to its\n"
        "trusted certificates.\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    make(parser.parse_args().out)


if __name__ == "__main__":
    main()
