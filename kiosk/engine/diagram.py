"""Draws a flow's compiled statechart with Graphviz, so staff and QA can see its paths.

By default the drawing shows the counter procedure: the steps, their branches and back steps. The
transitions the engine adds to every state (cancel and timeout to the safe exit, device and host faults
and refusals to the failure screen, staff stepping a session back) would cover it in lines, so they are
left out and named once in a note; ``everything=True`` draws them too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kiosk.engine.chart import compile_chart
from kiosk.engine.flow import Flow

# Transition labels the engine compiles into every state (kiosk/engine/chart.py).
EVERY_STATE = ("Cancel", "Timeout", "Device fault", "Host fault", "Fail", "Staff back")
NOTE = ("From every step: Cancel and Timeout go to 'ending' (the safe exit); Device fault, Host fault and "
        "Fail go to 'failed'; staff can step a session back. Drawn with --all.")


def write_diagram(flow: Flow, out: Path, everything: bool = False) -> Path:
    from statemachine.contrib.diagram import DotGraphMachine

    graph = DotGraphMachine(compile_chart(flow)).get_graph()
    if not everything:
        _main_paths(graph)
    if flow.onward is not None:
        _onward(graph, *flow.onward)
    fmt = out.suffix.lstrip(".") or "png"
    out.parent.mkdir(parents=True, exist_ok=True)
    graph.write(str(out), format=fmt)
    return out


def label_text(label: object) -> str:
    """The transition's name as drawn (the library wraps it in an HTML table)."""
    return re.sub(r"<[^>]+>", " ", str(label or "")).split("[")[0].strip(" <>")


def _onward(graph: Any, step: str, words: str) -> None:
    """Where the visit may go on in another flow (kiosk.engine.flow.Continue): a dashed edge to it."""
    import pydot

    graph.add_node(pydot.Node("onward", shape="box", style="dashed,rounded", fontsize="10", label=words))
    graph.add_edge(pydot.Edge(step, "onward", style="dashed", fontsize="9", label="Continue"))


def _main_paths(graph: Any) -> None:
    import pydot

    edges = graph.obj_dict["edges"]  # (source, destination) -> the edges' attribute dicts
    for key in list(edges):
        kept = [e for e in edges[key] if label_text(e["attributes"].get("label")) not in EVERY_STATE]
        if kept:
            edges[key] = kept
        else:
            del edges[key]
    graph.add_node(pydot.Node("every_state_note", shape="note", fontsize="10", label=NOTE))
