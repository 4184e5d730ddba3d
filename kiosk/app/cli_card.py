"""``kiosk devices card read``: wait for a bank card in a PC/SC reader and show what its chip says.

For staff and QA at the machine. The PAN is masked (first 6, one ``*`` per hidden digit, last 4) and
the holder's name keeps only the surname, as in the journal, unless ``--show-personal-data``; track 2
is never shown. A failure is one line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from devices.api import Cancellation, DeviceError, DeviceEvent
from devices.smartcard.api import BankCard
from kiosk.core.clock import SystemClock
from kiosk.core.masking import mask_name, mask_pan

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
DEFAULT_TIMEOUT = 30.0
FIELDS = ("reader", "atr", "aid", "label", "pan", "expiry", "holder_name", "card_type")


def add_card_commands(devices: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``card read`` under the ``kiosk devices`` sub-commands."""
    card = devices.add_parser("card", help="the bank IC card reader (PC/SC)").add_subparsers(metavar="ACTION")
    read = card.add_parser("read", help="wait for a card in the PC/SC reader and read its payment application")
    read.add_argument("--reader", help="the reader's name or part of it (default: any PC/SC reader)")
    read.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                      help=f"seconds to wait for a card (default {DEFAULT_TIMEOUT:g})")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.add_argument("--show-personal-data", action="store_true",
                      help="print the card number and the holder's name in full")
    read.set_defaults(handler=cmd_card_read)


def cmd_card_read(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from devices.smartcard.pcsc import PcscBankCardReader

    out, err = out or sys.stdout, err or sys.stderr
    reader = PcscBankCardReader(SystemClock(), args.reader)
    inserted: dict[str, Any] = {}

    def on_event(event: DeviceEvent) -> None:
        if event.kind == "card_inserted":
            inserted.update(event.data)

    where = repr(args.reader) if args.reader else "any PC/SC reader"
    err.write(f"waiting up to {args.timeout:g} s for a card in {where}...\n")
    err.flush()
    try:
        card = reader.read_card(args.timeout, Cancellation(), on_event)
    except DeviceError as exc:
        err.write(f"kiosk: card read failed ({exc.reason}){': ' + exc.detail if exc.detail else ''}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        err.write("kiosk: card read interrupted\n")
        return EXIT_INTERRUPTED
    finally:
        reader.close()
    row = card_row(card, inserted.get("reader", ""), inserted.get("atr", ""), args.show_personal_data)
    if args.json:
        out.write(json.dumps(row, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("".join(f"{name:<12} {row[name]}\n" for name in FIELDS))
    return 0


def card_row(card: BankCard, reader: str, atr: str, show_personal_data: bool = False) -> dict[str, str]:
    """What the command prints about ``card``; never track 2."""
    return {
        "reader": reader,
        "atr": atr,
        "aid": card.aid,
        "label": card.label,
        "pan": card.pan if show_personal_data else mask_pan(card.pan),
        "expiry": f"20{card.expiry[:2]}-{card.expiry[2:4]}",
        "holder_name": card.holder_name if show_personal_data else mask_name(card.holder_name),
        "card_type": card.card_type.value,
    }
