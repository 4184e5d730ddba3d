"""QA's hands on the document camera: a licence, a picture or a code laid on the platen (one at a time), taken
away; a scenario step naming what the simulator does not have fails in one line."""

from __future__ import annotations

import pytest

from kiosk.app.qa import QAError
from kiosk.app.scenario import DocumentShow
from kiosk.app.scenario_driver import ScenarioFailure


def test_one_thing_at_a_time_is_laid_and_taken_away(kiosk, driver) -> None:
    qa, doccamera = driver.qa, kiosk.devices.doccamera
    qa.show_document(licence="corp_shop", damaged=True)
    assert doccamera.document() == "licence:corp_shop"
    qa.show_document(code="https://pay.example.com/qr/1")
    assert doccamera.document() == "code"
    qa.show_document(picture="faces/eileen_collins_nasa.png")  # under the simulators' assets
    assert doccamera.document() == "picture"
    qa.clear_document()
    assert doccamera.document() == "empty"
    with pytest.raises(QAError, match="one of licence, picture and code"):
        qa.show_document(licence="corp_shop", code="x")
    with pytest.raises(QAError, match="no picture"):
        qa.show_document(picture="no/such.png")


def test_a_scenario_step_the_simulator_cannot_do_fails_in_one_line(driver) -> None:
    with pytest.raises(ScenarioFailure, match="show_document: doccamera: no licence 'corp_nobody'"):
        driver._lay(DocumentShow(licence="corp_nobody"))
