"""The day's figures on the staff desk's records screen: the plan's main measures (kiosk/journal/kpi.py) for
one day, as label/value rows in the desk's language. Counts, rates and times only: nothing personal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from kiosk.core import i18n
from kiosk.engine.flow import Flow
from kiosk.engine.screens import Row
from kiosk.journal import Journal
from kiosk.journal.kpi import FlowProfile, KpiReport, kpi_report
from kiosk.journal.kpi_text import minutes, percent

TOP_STEPS = 2  # the steps most often abandoned at, shown


def profiles(flows: Mapping[str, Flow]) -> dict[str, FlowProfile]:
    return {f.id: FlowProfile(f.counter_business, f.counter_minutes) for f in flows.values()}


def day_report(journal: Journal, flows: Mapping[str, Flow], day: date) -> KpiReport:
    return kpi_report(journal, day, day, profiles(flows))


def figure_rows(lang: str, report: KpiReport, flows: Mapping[str, Flow]) -> list[Row]:
    t = lambda key, **params: i18n.text(lang, key, **params)  # noqa: E731
    na = t("staff.figures.na")
    pct = lambda value: percent(value, 1) if value is not None else na  # noqa: E731
    pair = lambda value, detail: t("staff.figures.pair", value=value, detail=detail)  # noqa: E731
    total = report.period.total
    s = total.satisfaction
    loans = report.loans
    rows = [
        Row(t("staff.figures.sessions"), str(total.sessions)),
        Row(t("staff.figures.completed"), pair(total.completed, pct(total.completion_rate))),
        Row(t("staff.figures.abandoned"), pair(total.abandoned, f"{total.cancelled} / {total.timeout}")),
        Row(t("staff.figures.abandoned_at"), _abandoned_at(lang, report, flows) or t("staff.figures.none")),
        Row(t("staff.figures.time"), f"{_time(total.median_s, na)} / {_time(total.p90_s, na)}"),
        Row(t("staff.figures.satisfaction"), pair(pct(s.rate), f"{s.answered} / {s.asked}")),
        Row(t("staff.figures.without_staff"), pair(pct(total.without_staff_share), total.without_staff)),
        Row(t("staff.figures.counter"), t("staff.figures.counter_value", count=report.counter.completions,
                                          minutes=f"{report.counter.minutes_saved:,.0f}")),
    ]
    if loans.decided:
        rows.append(Row(t("staff.figures.loans"), pair(pct(loans.automatic_rate),
                                                      f"{loans.approved + loans.declined} / {loans.decided}")))
    return rows


def _time(seconds: float | None, na: str) -> str:
    return na if seconds is None else minutes(seconds)


def _abandoned_at(lang: str, report: KpiReport, flows: Mapping[str, Flow]) -> str:
    counts: Counter[tuple[str, str]] = Counter()
    for flow_id, figures in report.period.flows.items():
        for step, n in figures.abandoned_at.items():
            counts[(flow_id, step)] += n
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_STEPS]
    sep = "；" if lang == "zh_CN" else "; "
    return sep.join(f"{_title(lang, flows, flow_id, step)} {n}" for (flow_id, step), n in ranked)


def _title(lang: str, flows: Mapping[str, Flow], flow_id: str, step_id: str) -> str:
    """"the flow · the step" in the desk's language; ids when the catalogue no longer has them."""
    flow = flows.get(flow_id)
    if flow is None:
        return f"{flow_id} · {step_id}"
    try:
        step = flow.step(step_id)
    except KeyError:
        return f"{flow.title(lang)} · {step_id}"
    specific = f"flow.{flow_id}.{step_id}.title"
    words = i18n.text(lang, specific) if i18n.has_text(lang, specific) else i18n.text(lang, f"step.{step.text}.title")
    return f"{flow.title(lang)} · {words}"
