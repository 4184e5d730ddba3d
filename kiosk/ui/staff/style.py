"""The staff mode's look: the kiosk's palette and scale, a dark band that says "staff mode" at a glance,
and denser type than the customer screens (staff read them every day, standing at the machine)."""

from __future__ import annotations

from kiosk.ui.theme import PALETTE, Metrics

STAFF_BAND = "#1F2A37"  # the staff mode's header: not the bank's blue, so nobody mistakes it for a customer screen
STAFF_ACCENT = "#F2B705"


def staff_style(scale: float) -> str:
    m, p = Metrics(scale), PALETTE
    return f"""
#StaffMode {{ background: {p.page}; }}
#StaffBand {{ background: {STAFF_BAND}; border-bottom: {m.px(6)}px solid {STAFF_ACCENT}; }}
#StaffBand QLabel {{ color: #FFFFFF; font-size: {m.pt(30)}px; }}
#StaffBand QLabel#StaffTitle {{ font-size: {m.pt(36)}px; font-weight: 700; color: {STAFF_ACCENT}; }}
#StaffMode QLabel {{ font-size: {m.pt(26)}px; }}
#StaffMode QLabel#StaffHeading {{ font-size: {m.pt(40)}px; font-weight: 700; }}
#StaffMode QLabel#StaffSection {{ font-size: {m.pt(30)}px; font-weight: 700; color: {p.brand_dark}; }}
#StaffMode QLabel#StaffMuted {{ color: {p.muted}; }}
#StaffMode QLabel#RowLabel {{ font-size: {m.pt(26)}px; }}
#StaffMode QLabel#RowValue {{ font-size: {m.pt(28)}px; }}
#StaffMode QLabel#Cell {{ font-size: {m.pt(24)}px; }}
#StaffMode QLabel#CellHead {{ font-size: {m.pt(22)}px; font-weight: 700; color: {p.muted}; }}
#StaffMode QLabel[state="ok"] {{ color: {p.success}; font-weight: 700; }}
#StaffMode QLabel[state="busy"] {{ color: {p.brand}; font-weight: 700; }}
#StaffMode QLabel[state="fault"], #StaffMode QLabel[state="offline"] {{ color: {p.danger}; font-weight: 700; }}
#StaffNotice {{ background: {p.brand_soft}; border-left: {m.px(10)}px solid {p.brand}; }}
#StaffNotice[error="true"] {{ background: {p.danger_soft}; border-left: {m.px(10)}px solid {p.danger}; }}
#StaffNotice QLabel {{ font-size: {m.pt(28)}px; font-weight: 700; color: {p.brand_dark}; background: transparent; }}
#StaffNotice[error="true"] QLabel {{ color: {p.danger}; }}
#StaffMode #Card {{ padding: {m.px(16)}px {m.px(22)}px; }}
#StaffMode QPushButton {{ font-size: {m.pt(28)}px; min-height: {m.px(80)}px; min-width: {m.px(120)}px;
    padding: 0 {m.px(24)}px; }}
#StaffMode QPushButton[role="small"] {{ font-size: {m.pt(24)}px; min-height: {m.px(56)}px; min-width: {m.px(96)}px;
    padding: 0 {m.px(16)}px; }}
#StaffMode QPushButton[role="chip"] {{ font-size: {m.pt(24)}px; min-height: {m.px(64)}px; min-width: {m.px(96)}px;
    padding: 0 {m.px(18)}px; border-color: {p.line}; color: {p.ink}; }}
#StaffMode QPushButton[role="chip"][selected="true"] {{ background: {p.brand}; color: #FFFFFF; border-color: {p.brand}; }}
#StaffMode QPushButton[role="key"] {{ font-size: {m.pt(32)}px; min-height: {m.px(76)}px; min-width: {m.px(76)}px;
    padding: 0; }}
#StaffMode QPushButton[role="field"] {{ font-size: {m.pt(34)}px; min-width: {m.px(520)}px; min-height: {m.px(84)}px; }}
#StaffMode QPushButton[role="danger"]:disabled {{ color: {p.disabled_ink}; border-color: {p.line}; }}
#StaffMode QPushButton[role="field"][hint="true"] {{ color: {p.muted}; font-weight: 400; }}
#StaffMode QPushButton[role="tile"] {{ text-align: left; padding: {m.px(18)}px {m.px(28)}px; min-height: {m.px(120)}px;
    border-color: {p.line}; color: {p.ink}; }}
#StaffMode QLabel#StaffTileTitle {{ font-size: {m.pt(34)}px; font-weight: 700; color: {p.brand_dark}; background: transparent; }}
#StaffMode QLabel#StaffTileDetail {{ font-size: {m.pt(28)}px; color: {p.ink}; background: transparent; }}
#StaffMode QPushButton[role="tile"]:disabled {{ background: {p.card}; }}
#StaffMode QPushButton[role="key"][selected="true"] {{ background: {p.brand}; color: #FFFFFF; border-color: {p.brand}; }}
#StaffMode QPushButton[role="tile"][alert="true"] {{ border: {m.px(5)}px solid {p.warning}; background: {p.warning_soft}; }}
#StaffBand QPushButton {{ font-size: {m.pt(26)}px; min-height: {m.px(72)}px; background: transparent; color: #FFFFFF;
    border-color: #FFFFFF; }}
"""
