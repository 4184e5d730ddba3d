"""Staff mode (员工模式): supervisors and maintenance staff at the kiosk. Opened by a hidden gesture
(gesture.py), it shows the staff desk of kiosk/engine/staff/ over the customer's screen (mode.py).
See docs/staff.md."""

from kiosk.ui.staff.gesture import StaffGesture
from kiosk.ui.staff.mode import StaffMode

__all__ = ["StaffGesture", "StaffMode"]
