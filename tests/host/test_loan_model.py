"""The consumer loan decision model (kiosk/host/sim/loan_model.py): each factor's points as documented, the
knock-outs, the bands, and every seeded application (people.toml ``[[loan_application]]``) run through the
model against the seeded bank: each outcome is covered, and the automatic decision rate is printed."""

from __future__ import annotations

import sqlite3
import sys
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.host.sim.context import SimulatorClock
from kiosk.host.sim.ledger import Ledger
from kiosk.host.sim.loan_model import (
    Applicant,
    Application,
    BureauRecord,
    SocialInsurance,
    age_points,
    credit_points,
    decide,
    dti_points,
    income_counted_fen,
    limit_fen,
    loans_points,
    monthly_debts_fen,
    social_insurance_points,
)
from kiosk.host.sim.ops_loan import applicant, birth_date, next_working_day_end
from kiosk.host.sim.seed import load_seed
from kiosk.host.sim.store import Store

TODAY = date(2026, 12, 5)
CLEAN = (BureauRecord("credit_card", "normal", 100_000),)
SI = SocialInsurance(48, 1_000_000, True)


def person(born: date = date(1990, 6, 1), bureau: tuple[BureauRecord, ...] = CLEAN,
           si: SocialInsurance | None = SI) -> Applicant:
    return Applicant(born, bureau, si)


@pytest.mark.parametrize(("bureau", "points"), [
    ((), (10, "no_record")), (CLEAN, (35, "clean")), ((BureauRecord("credit_card", "closed", 0),), (35, "clean")),
    ((BureauRecord("loan", "overdue", 10_000, 2),), (0, "overdue")),
    ((BureauRecord("loan", "closed", 0, 2),), (35, "clean")),  # an old overdue, since repaid and closed
])
def test_credit_record_points(bureau: tuple[BureauRecord, ...], points: tuple[int, str]) -> None:
    assert credit_points(bureau) == points


@pytest.mark.parametrize(("si", "points"), [
    (None, 0), (SocialInsurance(120, 1, False), 0), (SocialInsurance(36, 1, True), 25), (SocialInsurance(35, 1, True), 20),
    (SocialInsurance(24, 1, True), 20), (SocialInsurance(12, 1, True), 12), (SocialInsurance(6, 1, True), 5),
    (SocialInsurance(5, 1, True), 0),
])
def test_social_insurance_points(si: SocialInsurance | None, points: int) -> None:
    assert social_insurance_points(si)[0] == points


@pytest.mark.parametrize(("dti", "points"), [("0.10", 25), ("0.30", 25), ("0.301", 18), ("0.40", 18), ("0.45", 10),
                                             ("0.50", 10), ("0.55", 0), ("0.60", 0)])
def test_debt_to_income_points(dti: str, points: int) -> None:
    assert dti_points(Decimal(dti)) == points


@pytest.mark.parametrize(("age", "points"), [(18, 0), (21, 0), (22, 3), (24, 3), (25, 5), (45, 5), (46, 3), (55, 3),
                                             (56, 0), (60, 0)])
def test_age_points(age: int, points: int) -> None:
    assert age_points(age) == points


def test_existing_loans_count_open_loans_with_a_balance() -> None:
    loan = BureauRecord("loan", "normal", 1)
    assert loans_points(()) == (10, 0)
    assert loans_points((loan, BureauRecord("loan", "closed", 0), BureauRecord("credit_card", "normal", 5))) == (6, 1)
    assert loans_points((loan, loan)) == (2, 2)
    assert loans_points((loan, loan, loan)) == (0, 3)


def test_monthly_debts_are_a_share_of_the_balances_rounded_to_the_fen() -> None:
    bureau = (BureauRecord("loan", "normal", 1_234_567), BureauRecord("credit_card", "normal", 12_345),
              BureauRecord("credit_card", "closed", 99_999))
    assert monthly_debts_fen(bureau) == 12_346 + 1_235  # 1 % and 10 %, each half up


def test_income_counts_up_to_three_times_the_contribution_base() -> None:
    assert income_counted_fen(person(), 2_000_000) == 2_000_000
    assert income_counted_fen(person(), 5_000_000) == 3_000_000
    assert income_counted_fen(person(si=None), 5_000_000) == 5_000_000
    assert income_counted_fen(person(si=SocialInsurance(10, 100, False)), 5_000_000) == 5_000_000


def test_limits_are_months_of_income_in_whole_thousands_at_most_200000_yuan() -> None:
    assert limit_fen(1_234_567, prime=False) == 7_400_000
    assert limit_fen(1_234_567, prime=True) == 12_300_000
    assert limit_fen(9_000_000, prime=True) == 20_000_000


@pytest.mark.parametrize(("born", "term", "declined"), [
    (date(2009, 1, 1), 6, True),  # 17
    (date(2008, 12, 5), 6, False),  # 18 today
    (date(1966, 12, 6), 12, False),  # 60 the day the loan ends
    (date(1966, 12, 5), 12, True),  # 61 the day the loan ends
])
def test_age_knocks_out_under_18_and_over_60_at_maturity(born: date, term: int, declined: bool) -> None:
    decision = decide(person(born), Application(1_000_000, term, 2_000_000), TODAY)
    assert ("age" in decision.reasons) is declined


def test_serious_overdue_or_bad_debt_declines_whatever_the_score() -> None:
    for record in (BureauRecord("credit_card", "overdue", 10_000, 3), BureauRecord("loan", "written_off", 0)):
        decision = decide(person(bureau=(record,)), Application(1_000_000, 12, 3_000_000), TODAY)
        assert (decision.decision, decision.reasons) == ("declined", ("credit_record",))


def test_debts_above_60_percent_of_income_decline() -> None:
    decision = decide(person(), Application(20_000_000, 6, 2_000_000), TODAY)
    assert (decision.decision, decision.reasons) == ("declined", ("debt_to_income",))


def test_the_bands() -> None:
    prime = decide(person(), Application(1_000_000, 12, 3_000_000), TODAY)
    assert (prime.decision, prime.score, prime.apr, prime.limit_fen) == ("approved", 100, Decimal("0.0360"),
                                                                         20_000_000)
    standard = decide(person(bureau=(BureauRecord("loan", "normal", 1_000_000),), si=SocialInsurance(12, 1_000_000, True)),
                      Application(1_000_000, 12, 3_000_000), TODAY)
    assert (standard.decision, standard.score, standard.apr) == ("approved", 83, Decimal("0.0480"))
    assert standard.limit_fen == 18_000_000  # six months of 30,000 yuan
    thin = decide(person(bureau=(), si=None), Application(1_000_000, 12, 3_000_000), TODAY)
    assert (thin.decision, thin.score, thin.reasons) == ("referred", 50, ("credit_thin", "social_insurance_short"))
    low = decide(person(born=date(2005, 1, 1), bureau=(), si=None), Application(1_000_000, 12, 3_000_000), TODAY)
    assert (low.decision, low.score, low.reasons) == ("declined", 45, ("score_low",))


def test_an_amount_above_the_limit_declines_with_the_limit() -> None:
    decision = decide(person(), Application(10_000_000, 36, 800_000), TODAY)  # prime: 10 months of 8,000 yuan
    assert (decision.decision, decision.reasons, decision.limit_fen) == ("declined", ("amount_over_limit",), 8_000_000)


def test_the_decision_is_deterministic() -> None:
    app = Application(5_000_000, 24, 1_500_000)
    assert decide(person(), app, TODAY) == decide(person(), app, TODAY)


def test_birth_dates_come_from_the_id_number_and_staff_call_by_the_next_working_day() -> None:
    assert birth_date("43010219960412002X") == date(1996, 4, 12)
    friday = datetime.fromisoformat("2026-12-04T16:00:00+08:00")
    assert next_working_day_end(friday).isoformat() == "2026-12-07T17:30:00+08:00"
    assert next_working_day_end(datetime.fromisoformat("2026-12-07T09:00:00+08:00")).day == 8


# --- the seeded applications ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("loan_model") / "host.db"
    ledger = Ledger(Store(path), SimulatorClock(), {})
    ledger.seed(load_seed())
    ledger.store.close()
    return path


def test_every_seeded_application_through_the_model(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tables = load_seed().tables
    ids = {p["key"]: str(p["id_number"]) for p in tables["person"]}
    conn = sqlite3.connect(f"file:{seeded}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    lines, outcomes = [], Counter[str]()
    try:
        for app in tables["loan_application"]:
            decision = decide(applicant(conn, ids[app["person"]]),
                              Application(app["amount_yuan"] * 100, app["term_months"], app["monthly_income_yuan"] * 100),
                              TODAY)
            outcomes[decision.decision] += 1
            lines.append(f"  {app['person']:<16} {app['amount_yuan']:>7} yuan {app['term_months']:>2} m  "
                         f"{decision.decision:<8} score {decision.score:>3}  {', '.join(decision.reasons)}")
    finally:
        conn.close()
    automatic = (outcomes["approved"] + outcomes["declined"]) / sum(outcomes.values())
    with capsys.disabled():
        sys.stdout.write("\nseeded loan applications through the decision model:\n" + "\n".join(lines) +
                         f"\n  automatic decision rate: {outcomes['approved'] + outcomes['declined']}/"
                         f"{sum(outcomes.values())} = {automatic:.0%} ({dict(outcomes)})\n")
    assert set(outcomes) == {"approved", "referred", "declined"}  # the seed covers each outcome
    assert automatic >= 0.8  # the plan's target: 80 % decided automatically
