"""The one table of host operations: every entry resolves to its simulator handler, and PIN blocks
are hex-encoded by the client, not by the callers."""

from __future__ import annotations

from devices.pinpad.api import PinBlock
from kiosk.host.api import OPERATIONS
from kiosk.host.client import wire_payload
from kiosk.host.sim.ledger import HANDLERS


def test_every_operation_has_its_simulator_handler() -> None:
    assert set(HANDLERS) == set(OPERATIONS)
    for name, op in OPERATIONS.items():
        assert HANDLERS[name].__name__ == op.simulator.rsplit(".", 1)[1]


def test_pin_blocks_go_on_the_wire_as_hex_with_their_key() -> None:
    block = PinBlock(bytes.fromhex("0a1b2c3d4e5f6071"), "K1", "SM4")
    confirm = PinBlock(bytes.fromhex("ffeeddccbbaa9988"), "K1", "SM4")
    wire = wire_payload({"pan": "6222020000000001", "pin_block": block, "pin_block_confirm": confirm},
                        OPERATIONS["pins.check_new"])
    assert wire == {"pan": "6222020000000001", "pin_block": "0A1B2C3D4E5F6071",
                    "pin_block_confirm": "FFEEDDCCBBAA9988", "key_id": "K1"}
    assert "key_id" not in wire_payload({"x": block}, OPERATIONS["cards.list"])
