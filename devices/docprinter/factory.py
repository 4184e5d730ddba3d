"""Build the A4 document printer a configuration names (for the composition root in kiosk/app).

* ``sim``: :class:`~devices.docprinter.sim.SimDocumentPrinter`, PDFs in ``spool_dir/documents``;
* ``cups``: :class:`~devices.docprinter.cups.CupsDocumentPrinter` on the CUPS ``queue`` (``lp``).
"""

from __future__ import annotations

from pathlib import Path

from devices.backends import unknown_backend
from devices.docprinter.api import DocumentPrinter
from kiosk.core.clock import Clock


def build_docprinter(backend: str, clock: Clock, *, spool_dir: Path | str, queue: str = "PDF", paper: int = 500,
                     toner: int = 3000, name: str = "docprinter",
                     state_dir: Path | str | None = None) -> DocumentPrinter:
    """``state_dir``: where the printer keeps its durable last operation (devices/durable.py)."""
    if backend == "sim":
        from devices.docprinter.sim import SimDocumentPrinter

        return SimDocumentPrinter(clock, spool_dir, paper=paper, toner=toner, name=name, state_dir=state_dir)
    if backend == "cups":
        from devices.docprinter.cups import CupsDocumentPrinter

        return CupsDocumentPrinter(queue, clock, name=name, state_dir=state_dir)
    raise unknown_backend("docprinter", backend)
