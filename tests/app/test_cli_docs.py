"""``kiosk docs verify``: a document the bank issued is genuine; a changed or unknown one is not. The signature
is validated with pyHanko against the demo root as the only trust anchor."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.cli import main
from kiosk.host.client import HostClient
from kiosk.host.sim.process import HostSimulatorProcess
from kiosk.host.sim.signing import check_signature, sign_pdf


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSimulatorProcess]:
    folder = tmp_path_factory.mktemp("docs-host")
    with HostSimulatorProcess(folder / "host.db", log_path=folder / "host.log") as process:
        yield process


@pytest.fixture(scope="module")
def report(host: HostSimulatorProcess) -> bytes:
    with HostClient(host.base_url, "KIOSK-T1") as client:
        issued = client.call("credit.report", {"id_number": "110105198503121234", "name": "张伟", "fee_fen": 0,
                                               "lang": "en_US"}, uuid.uuid4().hex, "s1")
    return base64.b64decode(issued["document"])


def test_an_issued_document_is_genuine(host: HostSimulatorProcess, report: bytes, tmp_path: Path, capsys) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(report)
    assert main(["docs", "verify", str(path), "--host", host.base_url]) == 0
    out = capsys.readouterr().out
    assert "genuine" in out
    assert "credit_report" in out


def test_a_document_changed_after_signing_is_not(host: HostSimulatorProcess, report: bytes, tmp_path: Path,
                                                 capsys) -> None:
    path = tmp_path / "changed.pdf"
    path.write_bytes(report.replace(b"/Title", b"/Titlf", 1))
    assert main(["docs", "verify", str(path), "--host", host.base_url]) == 1
    assert "NOT genuine" in capsys.readouterr().err


def test_a_document_signed_with_the_key_but_never_issued_is_not(host: HostSimulatorProcess, report: bytes,
                                                                tmp_path: Path, capsys) -> None:
    from devices.docprinter.api import Document
    from devices.docprinter.render import render_pdf

    forged = sign_pdf(render_pdf(Document(kind="statement", lang="en_US", title="Statement", issuer=("Bank",),
                                          verification_code="AAAA-BBBB-CCCC")), reason="x", location="y")
    assert check_signature(forged).valid  # the signature alone is fine...
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    assert main(["docs", "verify", str(path), "--host", host.base_url, "--json"]) == 1
    assert '"known": false' in capsys.readouterr().out  # ...but the bank never issued that code


def test_the_signature_chains_to_the_demo_root_only(report: bytes, tmp_path: Path) -> None:
    check = check_signature(report)
    assert (check.signed, check.intact, check.trusted, check.whole_file) == (True, True, True, True)
    assert check.signer == "Demo Bank Document Signing (demo)"
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "another root")])
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    other = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(other_key.public_key())
             .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
             .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
             .sign(other_key, hashes.SHA256()))
    root = tmp_path / "other-root.pem"
    root.write_bytes(other.public_bytes(serialization.Encoding.PEM))
    assert not check_signature(report, root).trusted
