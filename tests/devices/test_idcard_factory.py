"""build_idcard: what each configured backend builds, and what QA gets to act on."""

from __future__ import annotations

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode
from devices.idcard.factory import build_idcard
from devices.idcard.pty_sim import PtyIdCardSimulator
from devices.idcard.serial_reader import SerialIdCardReader
from devices.idcard.sim import SimIdCardReader
from devices.idcard.wlt import NoPhotoDecoder


def test_sim_is_the_serial_adapter_on_the_pty_simulator(clock, people):
    card = people.id_cards["zhang_wei"]
    reader, qa = build_idcard("sim", clock, poll_interval=0.02)
    try:
        assert isinstance(reader, SerialIdCardReader)
        assert isinstance(qa, PtyIdCardSimulator)
        assert reader.port == qa.port_path
        qa.place(card)
        assert qa.current() is card
        assert reader.read(5, Cancellation()) == card  # photo included, through the simulator's decoder
    finally:
        reader.close()
        qa.close()


def test_sim_faults_reach_the_adapter(clock, people):
    reader, qa = build_idcard("sim", clock, reply_timeout=0.3)
    try:
        assert qa is not None
        qa.place(people.id_cards["zhang_wei"])
        qa.inject("offline")
        with pytest.raises(DeviceError) as info:
            reader.read(5, Cancellation())
        assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "offline")
        qa.reset()
        assert reader.read(5, Cancellation()).name == "张伟"
    finally:
        reader.close()
        qa.close()


def test_sim_with_another_decoder_uses_it(clock, people):
    reader, qa = build_idcard("sim", clock, decoder=NoPhotoDecoder())
    try:
        assert qa is not None
        qa.place(people.id_cards["zhang_wei"])
        assert reader.read(5, Cancellation()).photo is None
    finally:
        reader.close()
        qa.close()


def test_behavioural_is_the_in_process_simulator(clock, people):
    reader, qa = build_idcard("behavioural", clock)
    assert isinstance(reader, SimIdCardReader)
    assert qa is reader
    qa.place(people.id_cards["chen_jing"])
    assert reader.read(0, Cancellation()) is people.id_cards["chen_jing"]
    reader.close()


def test_serial_on_a_missing_port_builds_and_says_not_ready(clock, tmp_path):
    reader, qa = build_idcard("serial", clock, port=str(tmp_path / "ttyUSB0"))
    try:
        assert qa is None
        status = reader.status()
        assert (status.state, status.fault) == (DeviceState.OFFLINE, "no_port")
        assert "ttyUSB0: No such file or directory" in status.detail
    finally:
        reader.close()


def test_serial_needs_a_port_and_backends_are_known(clock):
    with pytest.raises(ValueError, match="needs a port"):
        build_idcard("serial", clock)
    with pytest.raises(ValueError, match="backends: sim, behavioural, serial"):
        build_idcard("usb", clock)
