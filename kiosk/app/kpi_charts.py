"""The plan's measures as pictures (matplotlib, Agg, no window): completions by flow, the handling time of each
flow, sessions by hour, satisfaction; and one dashboard with all four under the headline figures.

Labels are in the kiosk's language: flow titles and words from the catalogs, in Noto Sans CJK SC (Debian's
fonts-noto-cjk, found as the A4 documents find it: devices/docprinter/render.py). Without that font the
labels are English. Each picture is PNG bytes; nothing personal is drawn (counts, rates and durations).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from typing import Any

from kiosk.core import i18n
from kiosk.journal.kpi import Figures, KpiReport
from kiosk.journal.kpi_text import minutes, percent

COMPLETED, ABANDONED, FAILED, OTHER = "#2e7d32", "#f9a825", "#c62828", "#9e9e9e"
RATING_COLOURS = {"satisfied": COMPLETED, "neutral": "#1565c0", "dissatisfied": FAILED, "skipped": OTHER,
                  "timeout": "#cfcfcf"}
DPI = 110
ROW_IN = 0.36  # inches per flow in the flow charts
CHARTS = ("completions", "times", "hours", "satisfaction")
OPENING_HOURS = range(9, 17)  # the hours always shown on the sessions-by-hour chart


@cache
def font_family() -> tuple[str, ...]:
    """Noto Sans CJK SC registered with matplotlib, or () when it is not installed."""
    from matplotlib import font_manager

    from devices.docprinter.render import FontMissing, cjk_fonts

    try:
        regular, bold = cjk_fonts()
    except FontMissing:
        return ()
    for path in {regular, bold}:
        font_manager.fontManager.addfont(str(path))
    return ("Noto Sans CJK SC", "DejaVu Sans")


class Labels:
    """Words for the charts in ``lang`` (English when the CJK font is missing)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in i18n.LANGUAGES and (lang == "en_US" or font_family()) else "en_US"

    def __call__(self, key: str, **params: Any) -> str:
        return i18n.text(self.lang, key, **params)

    def flow(self, flow_id: str) -> str:
        key = f"flow.{flow_id}.title"
        return i18n.text(self.lang, key) if i18n.has_text(self.lang, key) else flow_id

    def rating(self, rating: str) -> str:
        key = {"skipped": "satisfaction.skip", "timeout": "kpi.chart.timeout"}.get(rating, f"satisfaction.{rating}")
        return i18n.text(self.lang, key)


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _with_font(draw: Callable[[], bytes]) -> bytes:
    from matplotlib import rc_context

    family = font_family()
    params = {"font.family": list(family)} if family else {}
    with rc_context({**params, "font.size": 11, "axes.titlesize": 14, "axes.titleweight": "bold",
                     "axes.spines.top": False, "axes.spines.right": False}):
        return draw()


def _flows_by_sessions(report: KpiReport) -> list[Figures]:
    return sorted(report.period.flows.values(), key=lambda f: (-f.sessions, f.name))


def draw_completions(ax: Any, report: KpiReport, t: Labels) -> None:
    flows = _flows_by_sessions(report)[::-1]
    names = [t.flow(f.name) for f in flows]
    parts = ((t("kpi.chart.completed"), [f.completed for f in flows], COMPLETED),
             (t("kpi.chart.abandoned"), [f.abandoned for f in flows], ABANDONED),
             (t("kpi.chart.failed"), [f.failed + f.unsettled for f in flows], FAILED))
    left = [0] * len(flows)
    for label, values, colour in parts:
        ax.barh(names, values, left=left, color=colour, label=label, height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, f in enumerate(flows):
        ax.text(f.sessions + 0.3, y, f"{f.completed}/{f.sessions}", va="center", fontsize=9)
    ax.set_xlim(0, max([f.sessions for f in flows] or [1]) * 1.15 + 1)
    ax.set_title(t("kpi.chart.completions"), loc="left")
    ax.set_xlabel(t("kpi.chart.sessions"))
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    ax.margins(y=0.01)


def draw_times(ax: Any, report: KpiReport, t: Labels) -> None:
    flows = [f for f in _flows_by_sessions(report) if f.seconds][::-1]
    data = [[s / 60 for s in f.seconds] for f in flows]
    if data:
        ax.boxplot(data, orientation="horizontal", widths=0.6, patch_artist=True,
                   boxprops={"facecolor": "#c8e6c9", "edgecolor": COMPLETED},
                   medianprops={"color": "#1b5e20", "linewidth": 2}, flierprops={"markersize": 3})
        ax.set_yticks(range(1, len(flows) + 1), [f"{t.flow(f.name)} (n={len(f.seconds)})" for f in flows])
    ax.set_xlim(left=0)
    ax.set_title(t("kpi.chart.times"), loc="left")
    ax.set_xlabel(t("kpi.chart.minutes"))
    ax.grid(axis="x", alpha=0.3)


def draw_hours(ax: Any, report: KpiReport, t: Labels) -> None:
    hours = report.period.hours
    span = range(min([OPENING_HOURS.start, *hours]), max([OPENING_HOURS.stop - 1, *hours]) + 1)
    ax.bar([f"{h:02d}:00" for h in span], [hours.get(h, 0) for h in span], color="#1565c0", width=0.7)
    for x, h in enumerate(span):
        ax.text(x, hours.get(h, 0), str(hours.get(h, 0)), ha="center", va="bottom", fontsize=9)
    ax.set_title(t("kpi.chart.hours"), loc="left")
    ax.set_xlabel(t("kpi.chart.hour"))
    ax.set_ylabel(t("kpi.chart.sessions"))


def draw_satisfaction(ax: Any, report: KpiReport, t: Labels) -> None:
    s = report.period.total.satisfaction
    ratings = ("satisfied", "neutral", "dissatisfied", "skipped", "timeout")
    counts = [getattr(s, r) for r in ratings][::-1]
    ax.barh([t.rating(r) for r in ratings][::-1], counts, color=[RATING_COLOURS[r] for r in ratings][::-1], height=0.6)
    total = sum(counts) or 1
    for y, n in enumerate(counts):
        ax.text(n + total * 0.01, y, f"{n} ({n * 100 / total:.0f}%)", va="center", fontsize=9)
    ax.set_xlim(0, max(counts or [1]) * 1.25 + 1)
    rate = t("kpi.chart.satisfaction_rate", rate=percent(s.rate, 1), satisfied=s.satisfied, answered=s.answered)
    ax.set_title(f"{t('kpi.chart.satisfaction')}\n{rate}", loc="left")
    ax.set_xlabel(t("kpi.chart.asked", asked=s.asked))


DRAW = {"completions": draw_completions, "times": draw_times, "hours": draw_hours, "satisfaction": draw_satisfaction}


def _flow_height(report: KpiReport) -> float:
    return max(3.0, 1.4 + ROW_IN * len(report.period.flows))


def chart_png(name: str, report: KpiReport, lang: str) -> bytes:
    """One chart (:data:`CHARTS`) as PNG."""
    t = Labels(lang)
    height = _flow_height(report) if name in ("completions", "times") else 4.2

    def draw() -> bytes:
        fig = _figure(10, height)
        DRAW[name](fig.add_subplot(), report, t)
        return _png(fig)

    return _with_font(draw)


def headline(report: KpiReport, t: Labels) -> str:
    total = report.period.total
    return t("kpi.dashboard.headline", sessions=total.sessions, rate=percent(total.completion_rate, 1),
             median=minutes(total.median_s), p90=minutes(total.p90_s),
             satisfaction=percent(total.satisfaction.rate, 1))


def period_text(report: KpiReport) -> str:
    start, end = report.start.isoformat(), report.end.isoformat()
    return start if start == end else f"{start} – {end}"


def dashboard_png(report: KpiReport, lang: str) -> bytes:
    """The four charts on one picture, the period and the headline figures above them."""
    t = Labels(lang)
    top = _flow_height(report)

    def draw() -> bytes:
        fig = _figure(18, top + 5.2)
        fig.suptitle(f"{t('kpi.dashboard.title', period=period_text(report))}\n{headline(report, t)}",
                     fontsize=15, fontweight="bold")
        grid = fig.add_gridspec(2, 2, height_ratios=[top, 4.4])
        for (row, col), name in zip(((0, 0), (0, 1), (1, 0), (1, 1)), CHARTS, strict=True):
            DRAW[name](fig.add_subplot(grid[row, col]), report, t)
        return _png(fig)

    return _with_font(draw)
