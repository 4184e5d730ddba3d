"""The shared steps flows are made of.

Each step renders its screen from the session, may start one operation on entry, and turns inputs
and operation results into a verdict (Next, Goto, Stay, Fail, Stop).
"""

from kiosk.engine.steps.basic import Agreement, Choose, Confirm, FieldRule, Form, FraudWarning, Info, Result
from kiosk.engine.steps.cards import DeliverCard, EnterPin, InsertBankCard, PickCard, RetainBankCard
from kiosk.engine.steps.documents import Browse, PrintDocument
from kiosk.engine.steps.host import HostCall, StaffApproval
from kiosk.engine.steps.identity import FaceCheck, ReadIdCard
from kiosk.engine.steps.receipt import PrintReceipt
from kiosk.engine.steps.scan import ScanCode

__all__ = [
    "Agreement", "Browse", "Choose", "Confirm", "DeliverCard", "EnterPin", "FaceCheck", "FieldRule", "Form", "FraudWarning",
    "HostCall",
    "Info", "InsertBankCard", "PickCard", "PrintDocument", "PrintReceipt", "ReadIdCard", "Result", "RetainBankCard",
    "ScanCode", "StaffApproval",
]
