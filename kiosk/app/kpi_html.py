"""The plan's measures as one self-contained HTML page: the headline, the tables per flow (each day's, then the
period's), the plan's measures in words and the four charts embedded as PNG (data: URLs), no other file."""

from __future__ import annotations

import base64
from html import escape

from kiosk.app.kpi_charts import CHARTS, Labels, chart_png, headline, period_text
from kiosk.journal.kpi import Figures, Group, KpiReport
from kiosk.journal.kpi_text import minutes, percent, table

STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.total td { font-weight: bold; border-top: 2px solid #888; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
img { max-width: 100%; display: block; margin: 1em 0; }
"""
HEAD = ("flow", "sessions", "completed", "completion rate", "cancelled", "timed out", "failed", "other",
        "median time", "p90 time", "satisfied", "answered / asked", "without staff", "abandoned at")


def _cells(name: str, f: Figures) -> list[str]:
    s = f.satisfaction
    steps = ", ".join(f"{step} {n}" for step, n in f.abandoned_at.most_common(3))
    return [name, str(f.sessions), str(f.completed), percent(f.completion_rate, 1), str(f.cancelled),
            str(f.timeout), str(f.failed), str(f.unsettled), minutes(f.median_s), minutes(f.p90_s),
            percent(s.rate, 1), f"{s.answered} / {s.asked}", percent(f.without_staff_share, 1), steps]


def _table(group: Group, t: Labels) -> str:
    rows = [_cells(f"{t.flow(flow)} ({flow})", group.flows[flow]) for flow in sorted(group.flows)]
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    total = "".join(f"<td>{escape(c)}</td>" for c in _cells("total", group.total))
    head = "".join(f"<th>{escape(h)}</th>" for h in HEAD)
    return f"<table><tr>{head}</tr>{body}<tr class=\"total\">{total}</tr></table>"


def html_report(report: KpiReport, lang: str) -> str:
    t = Labels(lang)
    title = t("kpi.dashboard.title", period=period_text(report))
    parts = [f"<h1>{escape(title)}</h1>", f"<p><strong>{escape(headline(report, t))}</strong></p>"]
    if len(report.days) > 1:
        for day, group in sorted(report.days.items()):
            parts += [f"<h2>{day.isoformat()}</h2>", _table(group, t)]
    parts += ["<h2>per flow</h2>", _table(report.period, t)]
    text = table(report)
    measures = text[text.find("self-service completion rate"):] if "self-service" in text else text
    parts += ["<h2>the plan's measures</h2>", f"<pre>{escape(measures)}</pre>"]
    for name in CHARTS:
        data = base64.b64encode(chart_png(name, report, lang)).decode("ascii")
        parts.append(f'<img alt="{escape(t(f"kpi.chart.{name}"))}" src="data:image/png;base64,{data}">')
    html_lang = "zh-CN" if t.lang == "zh_CN" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")
