"""Branch staff at the kiosk, without Qt: the staff desk (desk.py) with its sign-in (signin.py), the
views and permissions the staff screens show (views.py), device service (devices.py) and maintenance,
journal, receipt reprints and reconciliation (maintenance.py), and the transactions needing staff: suspects,
reversals waiting, the last recovery (attention.py). The staff screens (kiosk/ui/staff) read what the desk
publishes and call its methods; they do not reach into the engine."""

from kiosk.engine.staff.desk import StaffDesk
from kiosk.engine.staff.views import Action, DeskState, Role, StaffDenied, StaffMember

__all__ = ["Action", "DeskState", "Role", "StaffDenied", "StaffDesk", "StaffMember"]
