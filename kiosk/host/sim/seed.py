"""The host simulator's demo bank, seeded from assets/sim/people.toml.

Customers (``customer = true``) get a class I account per card, holding the card's balance; every
person's social-insurance bills are unpaid; staff come from ``[[staff]]``. PINs are kept only as
salted hashes; staff passwords and staff card PINs as Argon2id hashes (kiosk/host/sim/hashing.py). The file is read here with tomllib so the host does not depend on the device layer.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.host.sim.context import next_ref
from kiosk.host.sim.hashing import demo_hash
from kiosk.host.sim.money14_seed import seed_money
from kiosk.host.sim.seed_feedback import seed_feedback

DEFAULT_PEOPLE = Path(__file__).resolve().parents[3] / "assets" / "sim" / "people.toml"

# Social-insurance premiums are collected by the tax bureau of the payer's province.
SS_INITIAL_MEDICAL_PIN = "123456"  # every social-security card's medical-account PIN when issued
_PROVINCES = {"11": "北京市", "31": "上海市", "32": "江苏省", "44": "广东省", "51": "四川省"}


@dataclass(frozen=True)
class SeedCard:
    pan: str
    pin: str = field(repr=False)  # "" for a card issued without one (set when it is activated)
    product: str
    balance_fen: int
    expiry: str | None = None  # YYMM, as on the chip
    status: str = "active"  # or lost_verbal / lost_formal (already reported lost), inactive (issued, not activated)
    holds: tuple[str, ...] = ()  # "loan", "deposit_certificate": what keeps its account from being closed
    ss_card_no: str | None = None  # a social-security card's SS card number


@dataclass(frozen=True)
class SeedBill:
    type: str
    period: str
    amount_fen: int


@dataclass(frozen=True)
class SeedPerson:
    key: str
    name: str
    id_number: str = field(repr=False)
    birth_date: date
    mobile: str
    customer: bool
    cards: tuple[SeedCard, ...]
    bills: tuple[SeedBill, ...]


@dataclass(frozen=True)
class SeedStaff:
    number: str
    name: str
    role: str
    password: str = field(default="", repr=False)
    card_pan: str | None = field(default=None, repr=False)
    card_pin: str = field(default="", repr=False)


@dataclass(frozen=True)
class SeedData:
    people: tuple[SeedPerson, ...]
    staff: tuple[SeedStaff, ...]
    tables: dict[str, Any] = field(default_factory=dict, repr=False)  # the whole file, for the ops_* seeders


def pin_hash(pan: str, pin: str) -> str:
    return hashlib.sha256(f"kiosk-host-sim:{pan}:{pin}".encode()).hexdigest()


def payee_for(id_number: str) -> str:
    return f"国家税务总局{_PROVINCES.get(id_number[:2], '')}税务局"


def _person(raw: dict[str, Any]) -> SeedPerson:
    cards = tuple(
        SeedCard(c["pan"], str(c.get("pin", "")), c.get("product", "借记卡"), int(c.get("balance_fen", 0)),
                 str(c["expiry"]) if "expiry" in c else None, c.get("status", "active"), tuple(c.get("holds", ())),
                 c.get("social_security"))
        for c in raw.get("card", [])
    )
    bills = tuple(SeedBill(b["type"], str(b["period"]), int(b["amount_fen"])) for b in raw.get("bill", []))
    return SeedPerson(
        key=raw["key"], name=raw["name"], id_number=raw["id_number"], birth_date=raw["birth_date"],
        mobile=raw.get("mobile", ""), customer=bool(raw.get("customer", False)), cards=cards, bills=bills,
    )


def load_seed(path: str | Path = DEFAULT_PEOPLE) -> SeedData:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    people = tuple(_person(p) for p in raw.get("person", []))
    staff = tuple(_staff(s) for s in raw.get("staff", []))
    return SeedData(people, staff, raw)


def _staff(raw: dict[str, Any]) -> SeedStaff:
    card = raw.get("card") or {}
    return SeedStaff(str(raw["number"]), raw["name"], raw["role"], str(raw.get("password", "")),
                     str(card["pan"]) if card else None, str(card.get("pin", "")))


def seed_staff(conn: sqlite3.Connection, staff: SeedStaff) -> None:
    """Add a member of staff, or give one seeded before staff sign-in their credentials."""
    row = conn.execute("SELECT password_hash FROM staff WHERE number = ?", (staff.number,)).fetchone()
    if row is not None and row["password_hash"] is not None:
        return
    password = demo_hash(staff.password) if staff.password else None
    pin = demo_hash(staff.card_pin) if staff.card_pan and staff.card_pin else None
    conn.execute(
        "INSERT INTO staff(number, name, role, password_hash, card_pan, card_pin_hash) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(number) DO UPDATE SET password_hash = excluded.password_hash, card_pan = excluded.card_pan, "
        "card_pin_hash = excluded.card_pin_hash",
        (staff.number, staff.name, staff.role, password, staff.card_pan, pin),
    )


def open_class1_account(
    conn: sqlite3.Connection, customer_id: str, balance_fen: int, now: datetime, idempotency_key: str | None
) -> str:
    account_no = next_ref(conn, "95588", width=14)
    conn.execute(
        "INSERT INTO accounts(account_no, customer_id, class, balance_fen, opened_at, idempotency_key) "
        "VALUES (?, ?, 1, ?, ?, ?)",
        (account_no, customer_id, balance_fen, now.isoformat(), idempotency_key),
    )
    return account_no


def add_card(
    conn: sqlite3.Connection, pan: str, pin_digest: str, account_no: str, customer_id: str, product: str,
    expiry: str | None = None,
) -> str:
    card_ref = next_ref(conn, "K")
    conn.execute(
        "INSERT INTO cards(card_ref, pan, account_no, customer_id, product, status, pin_hash, expiry) "
        "VALUES (?, ?, ?, ?, ?, 'active', ?, ?)",
        (card_ref, pan, account_no, customer_id, product, pin_digest, expiry),
    )
    return card_ref


def _seed_card_state(conn: sqlite3.Connection, card_ref: str, account_no: str, card: SeedCard, now: datetime) -> None:
    """A seeded card already under a loss report, and what its account holds (loans, deposit certificates)."""
    if card.status != "active":
        expires = (now + timedelta(days=5)).isoformat() if card.status == "lost_verbal" else None
        conn.execute("UPDATE cards SET status = ?, loss_expires_at = ? WHERE card_ref = ?",
                     (card.status, expires, card_ref))
    for kind in card.holds:
        conn.execute("INSERT INTO account_holds(hold_ref, account_no, kind) VALUES (?, ?, ?)",
                     (next_ref(conn, "H"), account_no, kind))


def add_customer(conn: sqlite3.Connection, id_number: str, name: str, mobile: str, now: datetime) -> str:
    customer_id = next_ref(conn, "C")
    conn.execute(
        "INSERT INTO customers(customer_id, id_number, name, mobile, created_at) VALUES (?, ?, ?, ?, ?)",
        (customer_id, id_number, name, mobile, now.isoformat()),
    )
    return customer_id


def _seed_person(conn: sqlite3.Connection, person: SeedPerson, now: datetime) -> None:
    conn.execute(
        "INSERT INTO persons(id_number, name, birth_date, mobile) VALUES (?, ?, ?, ?)",
        (person.id_number, person.name, person.birth_date.isoformat(), person.mobile),
    )
    for bill in person.bills:
        conn.execute(
            "INSERT INTO bills(bill_id, id_number, type, period, amount_fen, payee) VALUES (?, ?, ?, ?, ?, ?)",
            (next_ref(conn, "SI", width=6), person.id_number, bill.type, bill.period, bill.amount_fen,
             payee_for(person.id_number)),
        )
    if not person.customer:
        return
    customer_id = add_customer(conn, person.id_number, person.name, person.mobile, now)
    for card in person.cards:
        account_no = open_class1_account(conn, customer_id, card.balance_fen, now, None)
        digest = pin_hash(card.pan, card.pin) if card.pin else ""  # "" matches no PIN
        card_ref = add_card(conn, card.pan, digest, account_no, customer_id, card.product, card.expiry)
        if card.ss_card_no:
            conn.execute("INSERT INTO ss_cards(card_ref, ss_card_no, medical_pin_hash) VALUES (?, ?, ?)",
                         (card_ref, card.ss_card_no, pin_hash(card.pan, SS_INITIAL_MEDICAL_PIN)))
        _seed_card_state(conn, card_ref, account_no, card, now)


def seed_database(conn: sqlite3.Connection, data: SeedData, now: datetime) -> None:
    """Fill an empty database (inside the caller's transaction)."""
    for person in data.people:
        _seed_person(conn, person, now)
    for staff in data.staff:
        seed_staff(conn, staff)
    from kiosk.host.sim.seed_cat13c import seed_cat13c  # imports this module

    seed_cat13c(conn, data.tables, now)
    seed_money(conn, data.tables, now)
    from kiosk.host.sim.seed_docs14 import seed_docs14

    seed_docs14(conn, dict(data.tables), now)
    from kiosk.host.sim.seed_utility import seed_utility

    seed_utility(conn, data.tables, now)
    from kiosk.host.sim.seed_fx import seed_fx

    seed_fx(conn, data.tables, now)
    from kiosk.host.sim.seed_td_withdraw import seed_td_withdraw

    seed_td_withdraw(conn, data.tables, now)
    seed_feedback(conn, dict(data.tables))
    from kiosk.host.sim.seed_queue import seed_queue

    seed_queue(conn, data.tables, now)
    from kiosk.host.sim.seed_wealth import seed_wealth

    seed_wealth(conn, data.tables, now)
    conn.execute("INSERT INTO meta(key, value) VALUES ('seeded_at', ?)", (now.isoformat(),))
