"""Faults QA injects into the host simulator (``POST /sim/faults``). They are real:

- ``refuse``: answer 503 ``host_unavailable`` without processing;
- ``delay``: sleep ``delay_s``, then process and reply;
- ``reset``: close the TCP connection (RST) without processing or replying;
- ``drop_reply``: process and commit, then close the connection without a reply.
"""

from __future__ import annotations

import threading
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Fault(BaseModel):
    model_config = ConfigDict(extra="forbid")

    op: str = Field(default="*", min_length=1)  # an operation name, or "*" for every operation
    kind: Literal["refuse", "delay", "reset", "drop_reply"]
    times: int = Field(default=1, ge=-1)  # how many requests it hits; -1 = until cleared
    delay_s: float = Field(default=0.0, ge=0.0, le=300.0)


class FaultBoard:
    """The faults in force; each request takes the first one that matches its operation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.times == 0:
            return
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, op: str) -> Fault | None:
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.op not in ("*", op):
                    continue
                if fault.times > 0:
                    remaining = fault.times - 1
                    if remaining == 0:
                        del self._faults[index]
                    else:
                        self._faults[index] = fault.model_copy(update={"times": remaining})
                return fault
        return None

    def snapshot(self) -> list[dict[str, object]]:
        with self._lock:
            return [f.model_dump() for f in self._faults]
