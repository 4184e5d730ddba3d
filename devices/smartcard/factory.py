"""Build the bank card reader a configuration names (for the composition root in kiosk/app).

* ``sim``: the behavioural simulator, in process, no PC/SC at all;
* ``pcsc-sim``: the real PC/SC adapter reading a virtual card in vsmartcard's virtual reader
  (needs pcscd running with the vsmartcard-vpcd driver); the same QA controls as ``sim``;
* ``pcsc``: the real adapter on a real reader (``reader_name``: its name or part of it; none = any).
"""

from __future__ import annotations

from pathlib import Path

from devices.backends import unknown_backend
from devices.smartcard.api import BankCardReader
from devices.smartcard.vpcd_card import VPCD_PORT
from kiosk.core.clock import Clock


def build_smartcard(backend: str, clock: Clock, *, reader_name: str | None = None, vpcd_port: int = VPCD_PORT,
                    name: str = "smartcard", unavailable: str = "",
                    state_dir: Path | str | None = None) -> BankCardReader:
    """``unavailable`` (``pcsc-sim``): why this run has no virtual reader; the reader reports it.
    ``state_dir``: where the reader keeps its durable last operation (devices/durable.py)."""
    if backend == "sim":
        from devices.smartcard.sim import SimBankCardReader

        return SimBankCardReader(clock, name, state_dir=state_dir)
    if backend == "pcsc-sim":
        from devices.smartcard.pcsc_sim import PcscSimBankCardReader

        return PcscSimBankCardReader(clock, name, port=vpcd_port, reader_name=reader_name,
                                     unavailable=unavailable, state_dir=state_dir)
    if backend == "pcsc":
        from devices.smartcard.pcsc import PcscBankCardReader

        return PcscBankCardReader(clock, reader_name, name=name, state_dir=state_dir)
    raise unknown_backend("smartcard", backend)
