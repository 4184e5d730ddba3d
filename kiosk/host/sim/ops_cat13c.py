"""The cards-and-accounts catalogue (issue 13, part 1) on the host: accounts opened online verified in person
(网点核身), e-banking signings (电子银行签约/解约), SMS alerts (短信通知) and the customer's profile (客户信息修改).

The bank's rules (docs/host-api.md):
- One class I account per person at a bank, at most five class II accounts (PBOC, 银发〔2016〕302号): a verified
  class II account becomes class I only when the customer holds no class I account here, a class III account
  becomes class II only while the customer holds fewer than five class II accounts.
- A restriction for suspected fraud (涉诈风险管控) is lifted only at the counter, after staff look into it.
- E-banking and SMS codes go to the mobile number on file (预留手机号); opening a non-counter channel needs an
  ID card on file that has not expired (update it first: 客户信息修改).
- Card and PIN as for a payment: the card is the customer's, not reported lost, the PIN is right (three wrong a
  day lock it).
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from kiosk.core.masking import mask_pan, mask_phone
from kiosk.host.api import (
    CardServicesRequest,
    CustomerProfileRequest,
    CustomerProfileResult,
    EbankingChangeRequest,
    EbankingChangeResult,
    EbankingServiceStatus,
    EbankingStatusResult,
    ProfileUpdateRequest,
    ProfileUpdateResult,
    ReservedMobileCodeRequest,
    ReservedMobileCodeResult,
    RestrictedAccount,
    RestrictedAccountsRequest,
    RestrictedAccountsResult,
    SmsAlertChangeRequest,
    SmsAlertChangeResult,
    SmsAlertStatusResult,
    SmsSendRequest,
    VerifyInPersonRequest,
    VerifyInPersonResult,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_cards import card_status
from kiosk.host.sim.ops_customers import send_sms_code
from kiosk.host.sim.ops_staff import is_approved
from kiosk.host.sim.pins import verify_card_pin

MAX_CLASS2_ACCOUNTS = 5
SMS_ALERT_FEE_FEN = 200  # a month, per card
THRESHOLD_MIN_FEN, THRESHOLD_MAX_FEN = 100, 5_000_000  # 1 to 50,000 yuan, whole yuan
SERVICES = ("mobile_banking", "sms_payment")


# --- accounts opened online: the branch identity check ----------------------------------------------------


def restricted_accounts(ctx: OpContext, req: RestrictedAccountsRequest) -> RestrictedAccountsResult:
    rows = ctx.conn.execute(
        "SELECT r.account_ref, r.account_no, r.channel, r.restriction, a.class, a.opened_at FROM account_restrictions r "
        "JOIN accounts a ON a.account_no = r.account_no JOIN customers u ON u.customer_id = a.customer_id "
        "WHERE u.id_number = ? AND r.restriction IS NOT NULL ORDER BY r.account_ref", (req.id_number,)).fetchall()
    return RestrictedAccountsResult(accounts=[
        RestrictedAccount(account_ref=r["account_ref"], account_masked=mask_pan(r["account_no"]),
                          account_class=r["class"], restriction=r["restriction"], opened_channel=r["channel"],
                          opened_at=datetime.fromisoformat(r["opened_at"]))
        for r in rows])


def _raised_class(conn: sqlite3.Connection, customer_id: str, account_class: int) -> tuple[int, str]:
    held = {row["class"]: row["n"] for row in conn.execute(
        "SELECT class, COUNT(*) AS n FROM accounts WHERE customer_id = ? GROUP BY class", (customer_id,))}
    if account_class == 2:
        return (2, "class1_exists") if held.get(1) else (1, "raised")
    if account_class == 3:
        return (3, "class2_limit") if held.get(2, 0) >= MAX_CLASS2_ACCOUNTS else (2, "raised")
    return account_class, "raised"


def verify_in_person(ctx: OpContext, req: VerifyInPersonRequest) -> VerifyInPersonResult:
    row = ctx.conn.execute(
        "SELECT r.*, a.class, a.customer_id FROM account_restrictions r JOIN accounts a ON a.account_no = r.account_no "
        "JOIN customers u ON u.customer_id = a.customer_id WHERE u.id_number = ? AND r.account_ref = ?",
        (req.id_number, req.account_ref)).fetchone()
    if row is None:
        raise Refusal("account_not_found", "no such account for this customer")
    if row["restriction"] is None:
        raise Refusal("account_not_restricted", "the account was verified already", verified_at=row["verified_at"])
    if row["restriction"] == "fraud_control":
        raise Refusal("restriction_needs_counter", "this restriction is lifted only at the counter",
                      reason="fraud_control")
    if req.verified_by == "staff" and not is_approved(ctx.conn, req.approval_ref):
        raise Refusal("approval_required", "staff verification needs a supervisor's recorded approval")
    class_after, note = _raised_class(ctx.conn, row["customer_id"], row["class"])
    ref = next_ref(ctx.conn, "VC")
    ctx.conn.execute("UPDATE accounts SET class = ? WHERE account_no = ?", (class_after, row["account_no"]))
    ctx.conn.execute(
        "UPDATE account_restrictions SET restriction = NULL, class_before = ?, verified_at = ?, verified_by = ?, "
        "verification_ref = ?, idempotency_key = ? WHERE account_ref = ?",
        (row["class"], ctx.now.isoformat(), req.verified_by, ref, ctx.idempotency_key, req.account_ref))
    return VerifyInPersonResult(verification_ref=ref, account_masked=mask_pan(row["account_no"]),
                                class_before=row["class"], class_after=class_after,  # type: ignore[arg-type]
                                class_note=note, verified_at=ctx.now)  # type: ignore[arg-type]


# --- a card and its PIN, the mobile number on file ---------------------------------------------------------


def _holder_card(ctx: OpContext, id_number: str, pan: str) -> sqlite3.Row:
    card: sqlite3.Row | None = ctx.conn.execute(
        "SELECT c.*, u.mobile, u.customer_id AS holder FROM cards c JOIN customers u ON u.customer_id = c.customer_id "
        "WHERE c.pan = ? AND u.id_number = ?", (pan, id_number)).fetchone()
    if card is None:
        raise Refusal("card_not_found", "no such card for this customer")
    return card


def _card_with_pin(ctx: OpContext, req: CardServicesRequest | EbankingChangeRequest | SmsAlertChangeRequest
                   ) -> sqlite3.Row:
    card = _holder_card(ctx, req.id_number, req.pan)
    if card_status(card, ctx.now) != "active":
        raise Refusal("card_lost", "the card is reported lost")
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    return card


def _mobile(card: sqlite3.Row) -> str:
    if not card["mobile"]:
        raise Refusal("mobile_not_on_file", "the bank has no mobile number for this customer")
    return str(card["mobile"])


def _id_on_file_valid(ctx: OpContext, customer_id: str) -> None:
    row = ctx.conn.execute("SELECT id_valid_to FROM customer_profiles WHERE customer_id = ?", (customer_id,)).fetchone()
    valid_to = row["id_valid_to"] if row else None
    if valid_to and valid_to != "长期" and date.fromisoformat(valid_to) < ctx.now.date():
        raise Refusal("id_expired_on_file", "the ID card on file has expired", valid_to=valid_to)


def _sms_verified(ctx: OpContext, sms_ref: str | None, mobile: str) -> None:
    row = ctx.conn.execute("SELECT mobile, verified FROM sms WHERE sms_ref = ?", (sms_ref,)).fetchone()
    if row is None or not row["verified"] or row["mobile"] != mobile:
        raise Refusal("sms_not_verified", "the mobile number has not been verified by SMS")


def send_code_to_reserved_mobile(ctx: OpContext, req: ReservedMobileCodeRequest) -> ReservedMobileCodeResult:
    mobile = _mobile(_holder_card(ctx, req.id_number, req.pan))
    sent = send_sms_code(ctx, SmsSendRequest(mobile=mobile, purpose=req.purpose))
    return ReservedMobileCodeResult(sms_ref=sent.sms_ref, expires_in_s=sent.expires_in_s,
                                    mobile_masked=mask_phone(mobile))


# --- e-banking ----------------------------------------------------------------------------------------------


def _signed(conn: sqlite3.Connection, card_ref: str) -> dict[str, bool]:
    rows = conn.execute("SELECT service, signed FROM ebanking WHERE card_ref = ?", (card_ref,)).fetchall()
    signed = {r["service"]: bool(r["signed"]) for r in rows}
    return {service: signed.get(service, False) for service in SERVICES}


def ebanking_status(ctx: OpContext, req: CardServicesRequest) -> EbankingStatusResult:
    card = _card_with_pin(ctx, req)
    return EbankingStatusResult(
        services=[EbankingServiceStatus(service=s, signed=on)  # type: ignore[arg-type]
                  for s, on in _signed(ctx.conn, card["card_ref"]).items()],
        mobile_masked=mask_phone(card["mobile"]) if card["mobile"] else None)


def change_ebanking(ctx: OpContext, req: EbankingChangeRequest) -> EbankingChangeResult:
    card = _card_with_pin(ctx, req)
    signed = _signed(ctx.conn, card["card_ref"])[req.service]
    mobile = _mobile(card)
    if req.action == "sign":
        _id_on_file_valid(ctx, card["holder"])
        _sms_verified(ctx, req.sms_ref, mobile)
        if signed:
            raise Refusal("already_signed", "the card has this service already")
    else:
        if not signed:
            raise Refusal("not_signed", "the card does not have this service")
        if not req.reason:
            raise Refusal("reason_required", "say why the service is cancelled")
    ref = next_ref(ctx.conn, "EB")
    ctx.conn.execute(
        "INSERT INTO ebanking(card_ref, service, signed, mobile, reason, changed_at, change_ref, idempotency_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(card_ref, service) DO UPDATE SET signed = excluded.signed, "
        "mobile = excluded.mobile, reason = excluded.reason, changed_at = excluded.changed_at, "
        "change_ref = excluded.change_ref, idempotency_key = excluded.idempotency_key",
        (card["card_ref"], req.service, int(req.action == "sign"), mobile, req.reason, ctx.now.isoformat(), ref,
         ctx.idempotency_key))
    return EbankingChangeResult(change_ref=ref, service=req.service, signed=req.action == "sign",
                                mobile_masked=mask_phone(mobile), changed_at=ctx.now)


# --- SMS alerts ---------------------------------------------------------------------------------------------


def _alerts(conn: sqlite3.Connection, card_ref: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM sms_alerts WHERE card_ref = ? AND subscribed = 1", (card_ref,)).fetchone()
    return row


def sms_alert_status(ctx: OpContext, req: CardServicesRequest) -> SmsAlertStatusResult:
    card = _card_with_pin(ctx, req)
    alerts = _alerts(ctx.conn, card["card_ref"])
    return SmsAlertStatusResult(subscribed=alerts is not None,
                                threshold_fen=alerts["threshold_fen"] if alerts else None,
                                mobile_masked=mask_phone(card["mobile"]) if card["mobile"] else None,
                                monthly_fee_fen=SMS_ALERT_FEE_FEN)


def _check_threshold(threshold_fen: int | None) -> int:
    if threshold_fen is None or threshold_fen % 100 or not THRESHOLD_MIN_FEN <= threshold_fen <= THRESHOLD_MAX_FEN:
        raise Refusal("threshold_invalid", "the threshold is whole yuan from 1 to 50,000",
                      min_fen=THRESHOLD_MIN_FEN, max_fen=THRESHOLD_MAX_FEN)
    return threshold_fen


def change_sms_alerts(ctx: OpContext, req: SmsAlertChangeRequest) -> SmsAlertChangeResult:
    card = _card_with_pin(ctx, req)
    alerts = _alerts(ctx.conn, card["card_ref"])
    mobile = _mobile(card)
    threshold: int | None = None
    if req.action == "subscribe":
        if alerts is not None:
            raise Refusal("already_subscribed", "the card has SMS alerts already")
        _id_on_file_valid(ctx, card["holder"])
        threshold = _check_threshold(req.threshold_fen)
    elif alerts is None:
        raise Refusal("not_subscribed", "the card has no SMS alerts")
    elif req.action == "change_threshold":
        threshold = _check_threshold(req.threshold_fen)
    ref = next_ref(ctx.conn, "SA")
    on = req.action != "cancel"
    ctx.conn.execute(
        "INSERT INTO sms_alerts(card_ref, subscribed, threshold_fen, mobile, changed_at, alert_ref, idempotency_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(card_ref) DO UPDATE SET subscribed = excluded.subscribed, "
        "threshold_fen = excluded.threshold_fen, mobile = excluded.mobile, changed_at = excluded.changed_at, "
        "alert_ref = excluded.alert_ref, idempotency_key = excluded.idempotency_key",
        (card["card_ref"], int(on), threshold, mobile, ctx.now.isoformat(), ref, ctx.idempotency_key))
    return SmsAlertChangeResult(alert_ref=ref, action=req.action, subscribed=on, threshold_fen=threshold,
                                monthly_fee_fen=SMS_ALERT_FEE_FEN if on else 0, mobile_masked=mask_phone(mobile),
                                effective_at=ctx.now)


# --- the customer's profile ---------------------------------------------------------------------------------


def _customer(conn: sqlite3.Connection, id_number: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT u.customer_id, u.mobile, p.address, p.occupation, p.id_valid_to FROM customers u "
        "LEFT JOIN customer_profiles p ON p.customer_id = u.customer_id WHERE u.id_number = ?",
        (id_number,)).fetchone()
    return row


def customer_profile(ctx: OpContext, req: CustomerProfileRequest) -> CustomerProfileResult:
    row = _customer(ctx.conn, req.id_number)
    if row is None:
        return CustomerProfileResult(known=False, mobile_masked=None, address=None, occupation=None, id_valid_to=None)
    return CustomerProfileResult(known=True, mobile_masked=mask_phone(row["mobile"]) if row["mobile"] else None,
                                 address=row["address"], occupation=row["occupation"], id_valid_to=row["id_valid_to"])


def _newer(new: date | str, on_file: str | None) -> bool:
    if on_file is None:
        return True
    if on_file == "长期":
        return False
    return new == "长期" or (isinstance(new, date) and new > date.fromisoformat(on_file))


def update_profile(ctx: OpContext, req: ProfileUpdateRequest) -> ProfileUpdateResult:
    row = _customer(ctx.conn, req.id_number)
    if row is None:
        raise Refusal("customer_unknown", "the bank does not know this customer")
    customer_id = row["customer_id"]
    column, value = {"address": ("address", req.address), "occupation": ("occupation", req.occupation)}.get(
        req.item, ("", None))
    if req.item == "mobile":
        assert req.mobile is not None
        if req.mobile == row["mobile"]:
            raise Refusal("mobile_unchanged", "this is the mobile number on file already")
        _sms_verified(ctx, req.sms_ref, req.mobile)
        ctx.conn.execute("UPDATE customers SET mobile = ? WHERE customer_id = ?", (req.mobile, customer_id))
    elif req.item == "id_validity":
        assert req.id_valid_to is not None
        if not _newer(req.id_valid_to, row["id_valid_to"]):
            raise Refusal("id_validity_not_newer", "the ID card read is not newer than the one on file",
                          on_file=row["id_valid_to"])
        valid_to = req.id_valid_to
        column, value = "id_valid_to", valid_to.isoformat() if isinstance(valid_to, date) else valid_to
    if column:
        ctx.conn.execute("INSERT INTO customer_profiles(customer_id) VALUES (?) ON CONFLICT DO NOTHING", (customer_id,))
        ctx.conn.execute(f"UPDATE customer_profiles SET {column} = ?, updated_at = ? WHERE customer_id = ?",  # noqa: S608
                         (value, ctx.now.isoformat(), customer_id))
    ref = next_ref(ctx.conn, "PU")
    ctx.conn.execute("INSERT INTO profile_updates(update_ref, customer_id, item, updated_at, idempotency_key) "
                     "VALUES (?, ?, ?, ?, ?)", (ref, customer_id, req.item, ctx.now.isoformat(), ctx.idempotency_key))
    return ProfileUpdateResult(update_ref=ref, item=req.item, updated_at=ctx.now)
