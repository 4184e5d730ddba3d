"""The plan's measures (kiosk/journal/kpi.py) as aligned text, for the console and the README."""

from __future__ import annotations

from kiosk.journal.kpi import APPOINTMENT_FLOW, Figures, Group, KpiReport
from kiosk.journal.kpi_sessions import LOAN_DECISION_OP

NA = "n/a"
COLUMNS = (("sessions", 8), ("done", 6), ("rate", 6), ("cancel", 7), ("timeout", 8), ("failed", 7), ("other", 6),
           ("median", 8), ("p90", 7), ("satisf.", 8), ("answered", 9), ("no staff", 9))
FLOW_WIDTH = 26


def percent(value: float | None, digits: int = 0) -> str:
    return NA if value is None else f"{value * 100:.{digits}f}%"


def minutes(seconds: float | None) -> str:
    """m:ss"""
    if seconds is None:
        return NA
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _row(name: str, f: Figures) -> str:
    s = f.satisfaction
    cells = (f.sessions, f.completed, percent(f.completion_rate), f.cancelled, f.timeout, f.failed, f.unsettled,
             minutes(f.median_s), minutes(f.p90_s), percent(s.rate), f"{s.answered}/{s.asked}",
             percent(f.without_staff_share))
    return f"{name:<{FLOW_WIDTH}}" + "".join(f"{cell!s:>{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True))


def group_table(group: Group) -> list[str]:
    head = f"{'flow':<{FLOW_WIDTH}}" + "".join(f"{name:>{width}}" for name, width in COLUMNS)
    lines = [head, "-" * len(head)]
    lines += [_row(flow, group.flows[flow]) for flow in sorted(group.flows)]
    lines += ["-" * len(head), _row("total", group.total)]
    return lines


def _abandoned(group: Group) -> list[str]:
    lines = []
    for flow in sorted(group.flows):
        steps = group.flows[flow].abandoned_at
        if steps:
            lines.append(f"  {flow:<{FLOW_WIDTH - 2}}" + ", ".join(f"{step} {n}" for step, n in steps.most_common()))
    return ["abandoned (cancelled or timed out) at the step screen:", *(lines or ["  none"])]


def _satisfaction(group: Group) -> str:
    s = group.total.satisfaction
    reasons = ", ".join(f"{r} {n}" for r, n in s.reasons.most_common())
    return (f"satisfaction: {percent(s.rate, 1)} satisfied of {s.answered} answered (satisfied {s.satisfied}, "
            f"neutral {s.neutral}, dissatisfied {s.dissatisfied}{f': {reasons}' if reasons else ''}); "
            f"asked {s.asked}, answered {percent(s.response_rate, 1)} (skipped {s.skipped}, left to time out {s.timeout})")


def _hours(group: Group) -> str:
    return "sessions by hour: " + ", ".join(f"{h:02d}h {n}" for h, n in sorted(group.hours.items()))


def table(report: KpiReport) -> str:
    """Each day's table (when the period has more than one), then the period's, then the plan's measures."""
    lines = [f"the plan's measures, sessions started {report.start.isoformat()} to {report.end.isoformat()}"]
    if len(report.days) > 1:
        for day, group in sorted(report.days.items()):
            lines += ["", day.isoformat(), *group_table(group)]
        lines += ["", "the period"]
    elif report.days:
        lines += ["", next(iter(report.days)).isoformat()]
    period = report.period
    lines += [*group_table(period), ""]
    if not period.total.sessions:
        return "\n".join([*lines, "no sessions in the period"]) + "\n"
    total = period.total
    lines += [
        f"self-service completion rate: {percent(total.completion_rate, 1)} ({total.completed} of {total.sessions});"
        f" handling time of completed sessions: median {minutes(total.median_s)}, p90 {minutes(total.p90_s)}",
        f"completed without staff: {percent(total.without_staff_share, 1)} ({total.without_staff} of {total.completed})",
        _satisfaction(period), _hours(period), *_abandoned(period), *_plan(report),
    ]
    return "\n".join(lines) + "\n"


def _plan(report: KpiReport) -> list[str]:
    a, loans, c = report.appointments, report.loans, report.counter
    bookings = NA if a.bookings is None else str(a.bookings)
    share = (f"{percent(c.share, 1)} of {c.completions + (c.counter_transactions or 0)} (counters did "
             f"{c.counter_transactions})" if c.counter_transactions is not None else f"share {NA} (counter transactions not given)")
    minutes_each = sorted(set(report.counter_minutes.values())) or [30.0]
    counter_time = "/".join(f"{m:g}" for m in minutes_each)
    return [
        f"appointments ({APPOINTMENT_FLOW}): {a.sessions} sessions, {a.completed} completed, bookings {bookings}: "
        f"show-up {percent(a.show_up, 1)}, conversion {percent(a.conversion, 1)}",
        f"loan decisions ({LOAN_DECISION_OP}): {loans.decided} decided (approved {loans.approved}, referred "
        f"{loans.referred}, declined {loans.declined}): automatic {percent(loans.automatic_rate, 1)}",
        f"counter replacement: {c.completions} completions of counter business; {share}; "
        f"{c.minutes_saved:,.0f} customer minutes saved (counter {counter_time} min each, less the kiosk's measured time)",
    ]
