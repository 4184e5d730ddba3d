"""``kiosk appointments book``: play the bank's mini-program for QA: book a kiosk business for a customer, with
its answers filled in, and write the booking's QR code as a PNG to show the kiosk's camera (the simulator
panel's "hold up to the camera", or a phone held up to a real camera).

    kiosk appointments book --flow transfer --id-number 110105198503121234 \\
        --field payee_choice=new --field bank_code=CCB --field payee_account=6217000010012345678 \\
        --field payee_name=孙丽 --field amount_yuan=2000 --field purpose=goods --out qr.png

The host is ``--host URL``, or the host simulator started on ``--db`` (default: the configured data folder's
host-simulator.sqlite, the one ``kiosk run`` uses). The window defaults to the next 24 hours; times are ISO
8601, local time unless they carry an offset. Exit status: 0 booked, 1 refused by the host, 2 a configuration
or usage error.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

EXIT_REFUSED, EXIT_USAGE = 1, 2


def add_appointments_commands(sub: Any) -> None:
    appointments = sub.add_parser("appointments", help="appointments booked in the mini-program (QA)")
    actions = appointments.add_subparsers(metavar="ACTION")
    book = actions.add_parser("book", help="book a business as the mini-program does and write its QR code")
    book.add_argument("--flow", required=True, help="the business: a bookable flow (transfer, time_deposit_open, ...)")
    book.add_argument("--id-number", required=True, help="the customer's resident ID number")
    book.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                      help="an answer filled in (the flow's field or choice name); repeat for each")
    book.add_argument("--window-from", type=_moment, default=None, help="when the window opens (default: now)")
    book.add_argument("--window-to", type=_moment, default=None, help="when it closes (default: 24 hours later)")
    book.add_argument("--out", type=Path, required=True, help="the QR code's PNG file")
    book.add_argument("--host", default="", help="the bank host's URL (default: the host simulator on --db)")
    book.add_argument("--db", type=Path, default=None, help="host simulator database")
    book.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")
    book.set_defaults(handler=cmd_appointments_book)
    appointments.set_defaults(handler=lambda _args: appointments.print_help() or EXIT_USAGE)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time (2026-05-04T10:00)") from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def _local(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone().strftime("%Y-%m-%d %H:%M")


def parse_fields(pairs: list[str]) -> dict[str, str]:
    """``["amount_yuan=2000", ...]`` as answers; ValueError naming the first malformed one."""
    answers: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"--field {pair!r}: give NAME=VALUE")
        answers[name.strip()] = value.strip()
    return answers


def write_qr(text: str, out: Path) -> Path:
    """The QR code of ``text`` as a PNG (black on white, with its quiet zone), as a phone shows it."""
    import qrcode

    image = qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(out))
    return out


def book(url: str, kiosk_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    from kiosk.host.client import HostClient

    client = HostClient(url, kiosk_id)
    try:
        return client.call("appointments.create", payload, uuid.uuid4().hex, "mini-program")
    finally:
        client.close()


def cmd_appointments_book(args: argparse.Namespace) -> int:
    from kiosk.app.config import load_config
    from kiosk.core.masking import mask_id_number
    from kiosk.host.errors import HostError, HostRejected, HostRequestInvalid
    from kiosk.host.sim.process import HostSimulatorProcess

    try:
        answers = parse_fields(args.field)
    except ValueError as exc:
        sys.stderr.write(f"kiosk appointments book: {exc}\n")
        return EXIT_USAGE
    payload: dict[str, Any] = {"flow": args.flow, "id_number": args.id_number, "answers": answers}
    for name in ("window_from", "window_to"):
        if getattr(args, name) is not None:
            payload[name] = getattr(args, name).isoformat()
    config = load_config(args.config)
    process = None
    try:
        if args.host:
            url = args.host
        else:
            db = args.db or config.data_dir / "host-simulator.sqlite"
            logs = db.parent / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            process = HostSimulatorProcess(db, log_path=logs / "appointments-host.log")
            url = process.start()
        reply = book(url, config.kiosk.kiosk_id, payload)
    except HostRejected as exc:
        sys.stderr.write(f"kiosk appointments book: refused: {exc.code}: {exc.message} {exc.details or ''}\n")
        return EXIT_USAGE if isinstance(exc, HostRequestInvalid) else EXIT_REFUSED
    except HostError as exc:
        sys.stderr.write(f"kiosk appointments book: the host did not answer: {exc}\n")
        return EXIT_USAGE
    finally:
        if process is not None:
            process.stop()
    write_qr(reply["token"], args.out)
    start, end = (_local(reply[name]) for name in ("window_from", "window_to"))
    sys.stdout.write(f"booked {reply['booking_ref']}: {reply['flow']} for {mask_id_number(args.id_number)} "
                     f"({reply['holder_masked'] or 'not known to the bank'}), {start} to {end}\n"
                     f"QR code: {args.out}\ncode: {reply['token']}\n")
    return 0
