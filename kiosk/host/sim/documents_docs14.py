"""The bank's documents as the host simulator makes them: statement, deposit certificate and credit
report as :class:`~devices.docprinter.api.Document` models (texts from the catalogs, ``docs.*``), rendered
once to PDF and signed with the demo bank key; each is registered under its verification code with the
digest of the signed bytes, so ``documents.verify`` can tell a document is the bank's and unchanged."""

from __future__ import annotations

import base64
import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from devices.docprinter.api import Document, Section, Table
from devices.docprinter.layout import page_count
from devices.docprinter.render import render_pdf
from kiosk.core import i18n
from kiosk.core.money import format_fen
from kiosk.host.sim.signing import sign_pdf

BANK = "示范银行"
BRANCH = "示范银行股份有限公司示范支行"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass(frozen=True)
class Issued:
    code: str
    pages: int
    pdf_b64: str


def t(lang: str, key: str, **params: object) -> str:
    return i18n.text(lang, f"docs.{key}", **params)


def yuan(lang: str, fen: int) -> str:
    return t(lang, "yuan", amount=format_fen(fen))


def new_code(conn: sqlite3.Connection) -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if conn.execute("SELECT 1 FROM documents WHERE verification_code = ?", (code,)).fetchone() is None:
            return code


def frame(lang: str, kind: str, *, title_key: str, reference: str, code: str | None, now: datetime,
          fields: tuple[tuple[str, str], ...], sections: tuple[Section, ...] = (), notes: tuple[str, ...] = (),
          seal: bool = True) -> Document:
    """A document with the bank's frame: issuer lines, title, seal, verification code, page numbers."""
    return Document(
        kind=kind, lang=lang, title=t(lang, title_key), issuer=(t(lang, "bank"), t(lang, "branch")),
        fields=fields, sections=sections, notes=notes, reference=reference, verification_code=code,
        verification_label=t(lang, "verification_code"), verification_hint=t(lang, "verification_hint"),
        seal=seal, seal_text=(BRANCH, t("zh_CN", "seal_purpose")),
        page_label=t(lang, "page"), issued_at=now.strftime("%Y-%m-%d %H:%M"))


def statement_table(lang: str, rows: list[sqlite3.Row]) -> Table:
    body = tuple((r["posted_on"], i18n.text(lang, f"txn.{r['kind']}"), format_fen(r["amount_fen"]), format_fen(r["balance_fen"]))
                 for r in rows)
    head = (t(lang, "col.date"), t(lang, "col.description"), t(lang, "col.amount"), t(lang, "col.balance"))
    return Table(head, body, (1.2, 2.4, 1.3, 1.4), (2, 3))


def statement(lang: str, *, reference: str, code: str | None, now: datetime, holder: str, account: str,
              date_from: date, date_to: date, rows: list[sqlite3.Row]) -> Document:
    credits = sum(r["amount_fen"] for r in rows if r["amount_fen"] > 0)
    debits = -sum(r["amount_fen"] for r in rows if r["amount_fen"] < 0)
    fields = ((t(lang, "row.holder"), holder), (t(lang, "row.account"), account),
              (t(lang, "row.period"), t(lang, "period", start=date_from.isoformat(), end=date_to.isoformat())),
              (t(lang, "row.totals"), t(lang, "totals", count=len(rows), credits=format_fen(credits),
                                        debits=format_fen(debits))))
    section = Section(t(lang, "section.transactions"), table=statement_table(lang, rows))
    return frame(lang, "statement", title_key="statement.title", reference=reference, code=code, now=now,
                 fields=fields, sections=(section,), notes=(t(lang, "statement.note"),))


def statement_pages(rows: list[sqlite3.Row], date_from: date, date_to: date, now: datetime) -> int:
    """The statement's page count (the same in either language: the layout counts lines, not words)."""
    doc = statement("zh_CN", reference="ST", code="CODE", now=now, holder="", account="", date_from=date_from,
                    date_to=date_to, rows=rows)
    return page_count(doc)


def issue(conn: sqlite3.Connection, doc: Document, *, reference: str, idempotency_key: str, now: datetime,
          reason: str, sign: bool = True) -> Issued:
    """Render, sign, register under the verification code; the PDF as base64."""
    assert doc.verification_code is not None
    pdf = render_pdf(doc)
    if sign:
        pdf = sign_pdf(pdf, reason=reason, location=BRANCH)
    pages = page_count(doc)
    conn.execute("INSERT INTO documents(verification_code, kind, reference, sha256, pages, issued_at, idempotency_key) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (doc.verification_code, doc.kind, reference, hashlib.sha256(pdf).hexdigest(), pages,
                  now.isoformat(), idempotency_key))
    return Issued(doc.verification_code, pages, base64.b64encode(pdf).decode("ascii"))
