"""``kiosk docs verify FILE``: is a printed document the bank's, registered and unchanged?

It checks the PDF's digital signature against the demo bank's root (assets/sim/bank-signing/root.pem),
then asks the host (``documents.verify``) whether its verification code is registered and whether the
file is the one the bank issued under it. The host is ``--host URL``, or the host simulator started on
``--db`` (default: the configured data folder's host-simulator.sqlite; a scenario's is in its result's
``data_dir``). Exit status: 0 genuine, 1 not, 2 a configuration error.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import uuid
from pathlib import Path
from typing import Any


def add_docs_commands(sub: Any) -> None:
    docs = sub.add_parser("docs", help="bank documents").add_subparsers(metavar="ACTION")
    verify = docs.add_parser("verify", help="check a printed document's signature, code and content")
    verify.add_argument("file", type=Path, help="the document's PDF")
    verify.add_argument("--host", default="", help="the bank host's URL (default: the host simulator on --db)")
    verify.add_argument("--db", type=Path, default=None, help="host simulator database")
    verify.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")
    verify.add_argument("--json", action="store_true", help="print the host's answer as JSON")
    verify.set_defaults(handler=cmd_docs_verify)


def cmd_docs_verify(args: argparse.Namespace) -> int:
    from kiosk.app.config import load_config
    from kiosk.host.client import HostClient
    from kiosk.host.sim.process import HostSimulatorProcess
    from kiosk.host.sim.signing import check_signature

    pdf = args.file.read_bytes()
    local = check_signature(pdf)
    payload = {"document": base64.b64encode(pdf).decode("ascii")}
    config = load_config(args.config)
    process = None
    if args.host:
        url = args.host
    else:
        db = args.db or config.data_dir / "host-simulator.sqlite"
        process = HostSimulatorProcess(db, log_path=db.parent / "logs" / "docs-verify-host.log")
        url = process.start()
    try:
        client = HostClient(url, config.kiosk.kiosk_id)
        try:
            reply = client.call("documents.verify", payload, uuid.uuid4().hex, "docs-verify")
        finally:
            client.close()
    finally:
        if process is not None:
            process.stop()
    if args.json:
        sys.stdout.write(json.dumps({"signature_checked_here": local.valid, **reply}, ensure_ascii=False,
                                    indent=2) + "\n")
    elif reply["valid"] and local.valid:
        sys.stdout.write(f"{args.file}: genuine: signed by {reply['signer']}, code {reply['verification_code']} "
                         f"registered ({reply['kind']} {reply['reference']}, {reply['issued_at']}), "
                         "content unchanged\n")
    else:
        sys.stderr.write(f"{args.file}: NOT genuine: signature {'valid' if local.valid else 'invalid'}, "
                         f"code {'registered' if reply['known'] else 'unknown'}, "
                         f"content {'unchanged' if reply['unchanged'] else 'changed'}\n")
    return 0 if reply["valid"] and local.valid else 1
