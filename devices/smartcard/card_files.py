"""Virtual card profiles as data files: ``assets/sim/cards/<key>.toml``, one card each.

The cards of the demo people are generated from the bank card profiles in ``assets/sim/people.toml``
(``python -m devices.smartcard.card_files --write``; a test fails when they drift apart), and so are
the protocol variants of one of them (no PSE, 61xx, 6Cxx, no PDOL, mute). Cards that are not a demo
person's (``credit_two_apps``: two applications chosen by priority) are written by hand. Record values are
hex, except the text tags (50, 5F20, 5F2D, 9F12, 9F0B), which are text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from devices.sim_profiles import People, load_people
from devices.smartcard import tlv
from devices.smartcard.card_app import (
    DEFAULT_ATR,
    STANDARD_AIP,
    STANDARD_PDOL,
    TEXT_TAGS,
    CardApplication,
    CardProfile,
    CardRecord,
    ResponseMode,
    encode_text,
    profile_from_card,
)
from kiosk.core.toml_files import read_toml

CARDS_DIR = Path(__file__).resolve().parents[2] / "assets" / "sim" / "cards"
GENERATED = (
    "# Virtual PBOC card for the PC/SC simulator, generated from assets/sim/people.toml by\n"
    "# `python -m devices.smartcard.card_files --write`: edit people.toml and regenerate, not this file.\n"
)


class CardFileError(ValueError):
    """A card file that does not describe a card."""


def load_profile(path: Path | str) -> CardProfile:
    path = Path(path)
    try:
        return _profile(read_toml(path), default_key=path.stem)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:  # a table where a value goes, and back
        raise CardFileError(f"{path}: {exc}") from exc


def load_profiles(directory: Path | str = CARDS_DIR) -> dict[str, CardProfile]:
    profiles = [load_profile(path) for path in sorted(Path(directory).glob("*.toml"))]
    return {profile.key: profile for profile in profiles}


def _profile(data: dict[str, Any], default_key: str) -> CardProfile:
    apps = tuple(_application(app) for app in data["application"])
    if not apps:
        raise ValueError("a card needs at least one [[application]]")
    return CardProfile(
        key=str(data.get("key", default_key)),
        applications=apps,
        atr=bytes.fromhex(data.get("atr", DEFAULT_ATR.hex())),
        pse=bool(data.get("pse", True)),
        responses=ResponseMode(data.get("responses", "plain")),
        mute=bool(data.get("mute", False)),
    )


def _application(data: dict[str, Any]) -> CardApplication:
    return CardApplication(
        aid=bytes.fromhex(data["aid"]),
        label=str(data["label"]),
        records=tuple(_record(r) for r in data.get("record", [])),
        priority=int(data.get("priority", 1)),
        pdol=bytes.fromhex(data.get("pdol", STANDARD_PDOL.hex())),
        aip=bytes.fromhex(data.get("aip", STANDARD_AIP.hex())),
        blocked=bool(data.get("blocked", False)),
        kind=str(data.get("kind", "pboc")),
    )


def _record(data: dict[str, Any]) -> CardRecord:
    objects = []
    for key, value in data.items():
        if key in ("sfi", "number"):
            continue
        tag = int(key, 16)
        objects.append((tag, encode_text(value) if tag in TEXT_TAGS else bytes.fromhex(value)))
    return CardRecord(int(data["sfi"]), int(data["number"]), tuple(objects))


def dump_profile(profile: CardProfile, header: str = "") -> str:
    lines = [header.rstrip("\n")] if header else []
    lines += [f"key = {_s(profile.key)}", f"atr = {_s(profile.atr.hex().upper())}",
              f"pse = {_b(profile.pse)}", f"responses = {_s(profile.responses.value)}",
              f"mute = {_b(profile.mute)}"]
    for app in profile.applications:
        lines += ["", "[[application]]", f"aid = {_s(app.aid.hex().upper())}", f"label = {_s(app.label)}",
                  f"priority = {app.priority}", f"blocked = {_b(app.blocked)}",
                  f"pdol = {_s(app.pdol.hex().upper())}", f"aip = {_s(app.aip.hex().upper())}"]
        if not app.is_payment:
            lines.append(f"kind = {_s(app.kind)}")
        for record in app.records:
            lines += ["", "[[application.record]]", f"sfi = {record.sfi}", f"number = {record.number}"]
            lines += [f"{_s(tlv.tag_hex(tag))} = {_s(_value(tag, value))}" for tag, value in record.objects]
    return "\n".join(lines) + "\n"


def _value(tag: int, value: bytes) -> str:
    if tag in TEXT_TAGS:
        return value.decode("ascii") if value.isascii() else value.decode("gb18030")
    return value.hex().upper()


def _s(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _b(flag: bool) -> str:
    return "true" if flag else "false"


def people_profiles(people: People) -> dict[str, CardProfile]:
    """The chip of every demo bank card, keyed as in people.toml ("zhang_wei_1", "blocked_1")."""
    return {key: profile_from_card(key, p.card, p.blocked) for key, p in people.bank_cards.items()}


# The protocol variants, all of one demo card so that a flow can run with each of them.
VARIANT_OF = "zhang_wei_1"
VARIANTS = ("no_pse", "get_response", "exact_le", "no_pdol", "mute")


def variant(profile: CardProfile, name: str) -> CardProfile:
    """``profile`` with one protocol variant; its key gets the variant's name."""
    key = f"{profile.key}_{name}"
    if name == "no_pse":
        return replace(profile, key=key, pse=False)
    if name in ("get_response", "exact_le"):
        return replace(profile, key=key, responses=ResponseMode(name))
    if name == "no_pdol":
        return replace(profile, key=key, applications=tuple(replace(a, pdol=b"") for a in profile.applications))
    if name == "mute":
        return replace(profile, key=key, mute=True)
    raise ValueError(f"unknown card variant {name!r}; variants: {', '.join(VARIANTS)}")


def people_card_files(people: People) -> dict[str, str]:
    """File name -> text of the generated card files: every demo card, and the variants."""
    profiles = people_profiles(people)
    profiles |= {f"{VARIANT_OF}_{name}": variant(profiles[VARIANT_OF], name) for name in VARIANTS}
    return {f"{key}.toml": dump_profile(profile, GENERATED) for key, profile in profiles.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="virtual card files for the PC/SC simulator")
    parser.add_argument("--write", action="store_true", help="write the demo people's cards")
    parser.add_argument("--dir", type=Path, default=CARDS_DIR)
    args = parser.parse_args(argv)
    stale = []
    for name, text in people_card_files(load_people()).items():
        path = args.dir / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if args.write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "wrote" if args.write else "out of date"
    for path in stale:
        sys.stderr.write(f"{verb}: {path}\n")
    return 0 if args.write or not stale else 1


if __name__ == "__main__":
    sys.exit(main())
