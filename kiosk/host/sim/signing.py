"""The demo bank's document signatures: PAdES signing (pyHanko) with the demo key in
assets/sim/bank-signing/, and validation against the demo root as the trust anchor.

DEMO ONLY: the key is in the repository (scripts/make_bank_signing.py made it). A real bank signs on its
document server with a key in an HSM; the kiosk never holds a signing key.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

KEYS = Path(__file__).resolve().parents[3] / "assets" / "sim" / "bank-signing"
FIELD = "BankSignature"
CODE_PREFIX = "verification:"


class SigningUnavailable(RuntimeError):
    """pyHanko or the demo keys are missing."""


@cache
def _signer(keys: Path = KEYS) -> Any:
    try:
        from pyhanko.sign import signers
    except ImportError as exc:  # one line, as every missing library here
        raise SigningUnavailable("signed documents need pyHanko: pip install pyhanko") from exc
    if not (keys / "signer.key.pem").exists():
        raise SigningUnavailable(f"no demo signing key in {keys}: run scripts/make_bank_signing.py")
    return signers.SimpleSigner.load(str(keys / "signer.key.pem"), str(keys / "signer.pem"),
                                     ca_chain_files=(str(keys / "root.pem"),))


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """The PDF with the bank's PAdES signature over all of it (an incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason, location=location)
    out = signers.sign_pdf(writer, meta, signer=_signer())
    return bytes(out.getvalue())


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool
    intact: bool  # the signed bytes are unchanged
    trusted: bool  # the signer chains to the demo root
    whole_file: bool  # nothing was added after the signature
    signer: str
    verification_code: str | None  # as the document's metadata carries it

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def verification_code_of(pdf: bytes) -> str | None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    info = reader.trailer_view.get("/Info")
    info = info.get_object() if info is not None else None
    keywords = str(info.get("/Keywords", "")) if info is not None else ""
    for word in keywords.split():
        if word.startswith(CODE_PREFIX):
            return word.removeprefix(CODE_PREFIX)
    return None


def check_signature(pdf: bytes, root: Path = KEYS / "root.pem") -> SignatureCheck:
    """Validate the document's signature with the demo root as the only trust anchor."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    code = verification_code_of(pdf)
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    if not reader.embedded_signatures:
        return SignatureCheck(False, False, False, False, "", code)
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(root))], allow_fetching=False)
    status = validate_pdf_signature(reader.embedded_signatures[0], context)
    cert = status.signing_cert
    signer = str(cert.subject.native.get("common_name", "")) if cert is not None else ""
    return SignatureCheck(True, bool(status.intact and status.valid), bool(status.trusted),
                          status.coverage == SignatureCoverageLevel.ENTIRE_FILE, signer, code)
