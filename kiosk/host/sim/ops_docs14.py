"""Balances and bank documents (issue 14): balances and the latest transactions, statements (preview and
issue, with the fee the customer confirmed), deposit certificates (the amount frozen until the end date),
credit reports (two free a year, then the bureau's fee), and checking a printed document.

Every operation that shows an account checks the card's PIN first (a wrong PIN counts, as for payments).
"""

from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import sqlite3
from datetime import date

from devices.docprinter.api import Section, Table
from kiosk.core.masking import mask_id_number, mask_name, mask_pan
from kiosk.core.money import format_fen
from kiosk.host.api_docs14 import (
    AccountBalance,
    BalancesRequest,
    BalancesResult,
    CreditQuotaRequest,
    CreditQuotaResult,
    CreditReportRequest,
    CreditReportResult,
    DepositCertifyRequest,
    DepositCertifyResult,
    DocumentVerifyRequest,
    DocumentVerifyResult,
    StatementIssueRequest,
    StatementIssueResult,
    StatementPreviewRequest,
    StatementPreviewResult,
    Transaction,
)
from kiosk.host.sim import documents_docs14 as docs
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_payments import _paying_card
from kiosk.host.sim.ops_staff import is_approved
from kiosk.host.sim.pins import verify_card_pin

LATEST = 50  # transactions a balance enquiry returns
MAX_MONTHS = 12  # the longest period one statement covers
CREDIT_FREE_PER_YEAR = 2  # the credit bureau's free self-queries a calendar year
CREDIT_FEE_FEN = 1000  # then 10.00 yuan a report


def _card_with_pin(ctx: OpContext, pan: str, pin_block: str, key_id: str) -> sqlite3.Row:
    card = _paying_card(ctx, pan)
    verify_card_pin(ctx, card, pin_block, key_id)
    return card


def _holder(ctx: OpContext, card: sqlite3.Row) -> sqlite3.Row:
    row: sqlite3.Row = ctx.conn.execute("SELECT * FROM customers WHERE customer_id = ?",
                                        (card["customer_id"],)).fetchone()
    return row


def frozen_fen(ctx: OpContext, account_no: str) -> int:
    (total,) = ctx.conn.execute("SELECT COALESCE(SUM(amount_fen), 0) FROM freezes WHERE account_no = ? "
                                "AND frozen_until >= ?", (account_no, ctx.now.date().isoformat())).fetchone()
    return int(total)


def _balance(ctx: OpContext, account_no: str) -> int:
    (balance,) = ctx.conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?", (account_no,)).fetchone()
    return int(balance)


def _debit(ctx: OpContext, account_no: str, amount_fen: int, kind: str, reference: str) -> None:
    """Take ``amount_fen`` from the account's available balance, with its line in the transactions."""
    if amount_fen == 0:
        return
    if _balance(ctx, account_no) - frozen_fen(ctx, account_no) < amount_fen:
        raise Refusal("insufficient_funds", "the available balance does not cover the fee")
    ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen - ? WHERE account_no = ?", (amount_fen, account_no))
    ctx.conn.execute("INSERT INTO transactions(account_no, posted_on, kind, amount_fen, balance_fen, reference) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (account_no, ctx.now.date().isoformat(), kind, -amount_fen,
                                                   _balance(ctx, account_no), reference))


# -- balances -----------------------------------------------------------------------------------

def balances(ctx: OpContext, req: BalancesRequest) -> BalancesResult:
    card = _card_with_pin(ctx, req.pan, req.pin_block, req.key_id)
    account_no = card["account_no"]
    balance, frozen = _balance(ctx, account_no), frozen_fen(ctx, account_no)
    rows = ctx.conn.execute("SELECT * FROM transactions WHERE account_no = ? ORDER BY posted_on DESC, id DESC LIMIT ?",
                            (account_no, LATEST)).fetchall()
    return BalancesResult(
        holder_masked=mask_name(_holder(ctx, card)["name"]),
        accounts=[AccountBalance(account_masked=mask_pan(account_no), product=card["product"], balance_fen=balance,
                                 frozen_fen=frozen, available_fen=balance - frozen)],
        transactions=[Transaction(posted_on=date.fromisoformat(r["posted_on"]), kind=r["kind"],
                                  amount_fen=r["amount_fen"], balance_fen=r["balance_fen"]) for r in rows])


# -- statements ---------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_period(ctx: OpContext, date_from: date, date_to: date) -> None:
    if date_from > date_to or date_to > ctx.now.date():
        raise Refusal("period_invalid", "the period must end today at the latest and start before it ends")
    if date_from < add_months(date_to, -MAX_MONTHS):
        raise Refusal("period_too_long", "a statement covers 12 months at most", max_months=MAX_MONTHS)


def _period_rows(ctx: OpContext, account_no: str, date_from: date, date_to: date) -> list[sqlite3.Row]:
    return ctx.conn.execute("SELECT * FROM transactions WHERE account_no = ? AND posted_on BETWEEN ? AND ? "
                            "ORDER BY posted_on, id", (account_no, date_from.isoformat(), date_to.isoformat())
                            ).fetchall()


def preview_statement(ctx: OpContext, req: StatementPreviewRequest) -> StatementPreviewResult:
    card = _card_with_pin(ctx, req.pan, req.pin_block, req.key_id)
    if req.months is not None:
        date_to = ctx.now.date()
        date_from = add_months(date_to, -req.months)
    else:
        date_from, date_to = req.date_from or ctx.now.date(), req.date_to or ctx.now.date()  # both given
    _check_period(ctx, date_from, date_to)
    rows = _period_rows(ctx, card["account_no"], date_from, date_to)
    return StatementPreviewResult(account_masked=mask_pan(card["account_no"]), date_from=date_from,
                                  date_to=date_to, transactions=len(rows),
                                  pages=docs.statement_pages(rows, date_from, date_to, ctx.now))


def issue_statement(ctx: OpContext, req: StatementIssueRequest) -> StatementIssueResult:
    card = _card_with_pin(ctx, req.pan, req.pin_block, req.key_id)
    _check_period(ctx, req.date_from, req.date_to)
    account_no = card["account_no"]
    rows = _period_rows(ctx, account_no, req.date_from, req.date_to)
    pages = docs.statement_pages(rows, req.date_from, req.date_to, ctx.now)
    if pages != req.pages:
        raise Refusal("statement_changed", "the statement's page count changed since the preview", pages=pages)
    reference = next_ref(ctx.conn, "ST")
    _debit(ctx, account_no, req.fee_fen, "fee", reference)
    doc = docs.statement(req.lang, reference=reference, code=docs.new_code(ctx.conn), now=ctx.now,
                         holder=mask_name(_holder(ctx, card)["name"]), account=mask_pan(account_no),
                         date_from=req.date_from, date_to=req.date_to, rows=rows)
    issued = docs.issue(ctx.conn, doc, reference=reference, idempotency_key=ctx.idempotency_key, now=ctx.now,
                        reason="statement")
    return StatementIssueResult(statement_ref=reference, account_masked=mask_pan(account_no),
                                verification_code=issued.code, pages=issued.pages, issued_at=ctx.now,
                                debited_fen=req.fee_fen, document=issued.pdf_b64)


# -- deposit certificates -----------------------------------------------------------------------

def certify_deposit(ctx: OpContext, req: DepositCertifyRequest) -> DepositCertifyResult:
    card = _paying_card(ctx, req.pan)
    holder = _holder(ctx, card)
    if holder["id_number"] != req.id_number:
        raise Refusal("not_card_holder", "a deposit certificate is issued to the account holder only")
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    if not is_approved(ctx.conn, req.approval_ref):
        raise Refusal("approval_required", "a deposit certificate needs a supervisor's approval")
    account_no, today = card["account_no"], ctx.now.date()
    if frozen_fen(ctx, account_no) > 0:
        raise Refusal("already_frozen", "the account already backs a deposit certificate")
    if _balance(ctx, account_no) < req.amount_fen + req.fee_fen:
        raise Refusal("insufficient_funds", "the balance does not cover the amount and the fee",
                      available_fen=_balance(ctx, account_no) - req.fee_fen)
    reference = next_ref(ctx.conn, "DC")
    _debit(ctx, account_no, req.fee_fen, "fee", reference)
    until = add_months(today, req.months)
    ctx.conn.execute("INSERT INTO freezes(certificate_ref, account_no, amount_fen, frozen_until, issued_at, "
                     "idempotency_key) VALUES (?, ?, ?, ?, ?, ?)",
                     (reference, account_no, req.amount_fen, until.isoformat(), ctx.now.isoformat(),
                      ctx.idempotency_key))
    lang = req.lang
    t = docs.t
    fields = ((t(lang, "row.holder"), mask_name(holder["name"])), (t(lang, "row.id_number"), mask_id_number(req.id_number)),
              (t(lang, "row.account"), mask_pan(account_no)), (t(lang, "row.amount"), docs.yuan(lang, req.amount_fen)),
              (t(lang, "row.amount_words"), amount_in_words(lang, req.amount_fen)),
              (t(lang, "row.frozen_until"), until.isoformat()))
    doc = docs.frame(lang, "deposit_certificate", title_key="certificate.title", reference=reference,
                     code=docs.new_code(ctx.conn), now=ctx.now, fields=fields,
                     notes=(t(lang, "certificate.body", amount=docs.yuan(lang, req.amount_fen), until=until.isoformat()),
                            t(lang, "certificate.note")))
    issued = docs.issue(ctx.conn, doc, reference=reference, idempotency_key=ctx.idempotency_key, now=ctx.now,
                        reason="deposit certificate")
    return DepositCertifyResult(certificate_ref=reference, account_masked=mask_pan(account_no),
                                frozen_fen=req.amount_fen, frozen_until=until, verification_code=issued.code,
                                pages=issued.pages, issued_at=ctx.now, debited_fen=req.fee_fen,
                                document=issued.pdf_b64)


DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def rmb_upper(fen: int) -> str:
    """人民币大写, as a certificate writes the amount: 300000 fen -> 人民币叁仟元整."""
    yuan, cents = divmod(fen, 100)
    words, group, zero = "", 0, False
    if yuan == 0:
        words = "零"
    while yuan:
        yuan, part = divmod(yuan, 10000)
        text, pending = "", False
        for position in range(4):
            part, digit = divmod(part, 10)
            if digit:
                text = DIGITS[digit] + UNITS[position] + ("零" if pending else "") + text
                pending = False
            elif text:
                pending = True
        if text:
            words = text + GROUPS[group] + ("零" if zero else "") + words
        zero = bool(text) and pending or (not text and bool(words))
        group += 1
    words = words.rstrip("零")
    jiao, cent = divmod(cents, 10)
    tail = "整" if not cents else (DIGITS[jiao] + "角" if jiao else "零") + (DIGITS[cent] + "分" if cent else "")
    if fen == 0:
        return "人民币零元整"
    if fen < 100:  # less than a yuan: no yuan part
        return "人民币" + tail.removeprefix("零")
    return f"人民币{words}元{tail}"


def amount_in_words(lang: str, fen: int) -> str:
    return rmb_upper(fen) if lang == "zh_CN" else f"CNY {format_fen(fen)}"


# -- credit reports -----------------------------------------------------------------------------

def _self_queries(ctx: OpContext, id_number: str) -> int:
    start = date(ctx.now.year, 1, 1).isoformat()
    (count,) = ctx.conn.execute("SELECT COUNT(*) FROM credit_queries WHERE id_number = ? AND self = 1 "
                                "AND queried_at >= ?", (id_number, start)).fetchone()
    return int(count)


def credit_quota(ctx: OpContext, req: CreditQuotaRequest) -> CreditQuotaResult:
    left = max(CREDIT_FREE_PER_YEAR - _self_queries(ctx, req.id_number), 0)
    return CreditQuotaResult(year=ctx.now.year, free_left=left, fee_fen=0 if left else CREDIT_FEE_FEN)


def credit_report(ctx: OpContext, req: CreditReportRequest) -> CreditReportResult:
    fee = credit_quota(ctx, CreditQuotaRequest(id_number=req.id_number)).fee_fen
    if req.fee_fen != fee:
        raise Refusal("fee_changed", "the report's fee is not what was confirmed", fee_fen=fee)
    reference = next_ref(ctx.conn, "CR")
    if fee:
        if req.pan is None or req.pin_block is None or req.key_id is None:
            raise Refusal("payment_required", "this report has a fee: a bank card and its PIN pay it", fee_fen=fee)
        card = _card_with_pin(ctx, req.pan, req.pin_block, req.key_id)
        _debit(ctx, card["account_no"], fee, "fee", reference)
    doc = _credit_document(ctx, req, reference)
    ctx.conn.execute("INSERT INTO credit_queries(id_number, queried_at, queried_by, reason, self, report_ref, "
                     "idempotency_key) VALUES (?, ?, ?, ?, 1, ?, ?)",
                     (req.id_number, ctx.now.isoformat(), "本人查询", "本人查询", reference, ctx.idempotency_key))
    issued = docs.issue(ctx.conn, doc, reference=reference, idempotency_key=ctx.idempotency_key, now=ctx.now,
                        reason="credit report")
    return CreditReportResult(report_ref=reference, verification_code=issued.code, pages=issued.pages,
                              issued_at=ctx.now, debited_fen=fee, document=issued.pdf_b64)


def _credit_document(ctx: OpContext, req: CreditReportRequest, reference: str) -> docs.Document:
    lang, t = req.lang, docs.t
    records = ctx.conn.execute("SELECT * FROM credit_records WHERE id_number = ? ORDER BY opened_on",
                               (req.id_number,)).fetchall()
    queries = ctx.conn.execute("SELECT * FROM credit_queries WHERE id_number = ? AND queried_at >= ? "
                               "ORDER BY queried_at DESC", (req.id_number, add_months(ctx.now.date(), -24).isoformat())
                               ).fetchall()
    sections = []
    for kind in ("loan", "credit_card"):
        rows = tuple((r["lender"], r["product"], r["opened_on"], format_fen(r["limit_fen"]), format_fen(r["balance_fen"]),
                      t(lang, f"credit.status.{r['status']}", months=r["overdue_months"]))
                     for r in records if r["kind"] == kind)
        head = tuple(t(lang, f"credit.col.{c}") for c in ("lender", "product", "opened", "limit", "balance", "status"))
        table = Table(head, rows, (2.1, 1.4, 1.2, 1.3, 1.2, 1.5), (3, 4)) if rows else None
        sections.append(Section(t(lang, f"credit.section.{kind}"), table=table,
                                notes=() if rows else (t(lang, "credit.none"),)))
    own = t(lang, "credit.self_query")
    query_rows = tuple((q["queried_at"][:10], own if q["self"] else q["queried_by"], own if q["self"] else q["reason"])
                       for q in queries)
    sections.append(Section(t(lang, "credit.section.queries"),
                            table=Table(tuple(t(lang, f"credit.col.{c}") for c in ("date", "by", "reason")),
                                        query_rows, (1, 2, 1.5)) if query_rows else None,
                            notes=() if query_rows else (t(lang, "credit.none"),)))
    overdue = sum(1 for r in records if r["status"] == "overdue")
    fields = ((t(lang, "row.holder"), mask_name(req.name)), (t(lang, "row.id_number"), mask_id_number(req.id_number)),
              (t(lang, "credit.summary"), t(lang, "credit.summary_value", accounts=len(records), overdue=overdue)))
    return docs.frame(lang, "credit_report", title_key="credit.title", reference=reference,
                      code=docs.new_code(ctx.conn), now=ctx.now, fields=fields, sections=tuple(sections),
                      notes=(t(lang, "credit.note"),))


# -- checking a document ------------------------------------------------------------------------

def verify_document(ctx: OpContext, req: DocumentVerifyRequest) -> DocumentVerifyResult:
    from kiosk.host.sim.signing import check_signature

    try:
        pdf = base64.b64decode(req.document, validate=True)
        check = check_signature(pdf)
    except (binascii.Error, ValueError, Exception):  # not a PDF, or not one pyHanko can read: not the bank's
        return DocumentVerifyResult(valid=False, signature_valid=False, known=False, unchanged=False,
                                    verification_code=None, kind=None, reference=None, issued_at=None, signer="")
    row = None
    if check.verification_code:
        row = ctx.conn.execute("SELECT * FROM documents WHERE verification_code = ?",
                               (check.verification_code,)).fetchone()
    unchanged = row is not None and row["sha256"] == hashlib.sha256(pdf).hexdigest()
    return DocumentVerifyResult(
        valid=check.valid and row is not None and unchanged, signature_valid=check.valid, known=row is not None,
        unchanged=unchanged, verification_code=check.verification_code, kind=row["kind"] if row else None,
        reference=row["reference"] if row else None,
        issued_at=row["issued_at"] if row else None, signer=check.signer)


__all__ = ["balances", "certify_deposit", "credit_quota", "credit_report", "issue_statement", "preview_statement",
           "verify_document"]
