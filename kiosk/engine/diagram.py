"""Draws a flow's compiled statechart with Graphviz, so staff and QA can see every path."""

from __future__ import annotations

from pathlib import Path

from kiosk.engine.chart import compile_chart
from kiosk.engine.flow import Flow


def write_diagram(flow: Flow, out: Path) -> Path:
    from statemachine.contrib.diagram import DotGraphMachine

    graph = DotGraphMachine(compile_chart(flow)).get_graph()
    fmt = out.suffix.lstrip(".") or "png"
    out.parent.mkdir(parents=True, exist_ok=True)
    graph.write(str(out), format=fmt)
    return out
