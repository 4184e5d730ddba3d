"""The kiosk's look in one place: colours, sizes and the Qt style sheet.

Sizes are designed for 1920x1080 and scale with the window (``scale_for``), so the same layouts
work at 1280x800. Elderly mode (长辈模式) makes type a quarter larger and uses a darker palette
(every text at least 7:1 against its background; the standard palette keeps at least 4.5:1).
docs/accessibility.md lists the numbers and how tests/ui/test_accessibility.py measures them.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "Noto Sans CJK SC"  # line spacing 1.45 em, so wrapped text keeps >= 1.3
DESIGN_SIZE = (1920, 1080)
TOUCH = 96  # the smallest touch target, width and height, in design pixels (both modes)
ELDERLY_TYPE = 1.25  # elderly mode: type a quarter larger


@dataclass(frozen=True)
class Palette:
    ink: str = "#14213D"  # body text: 15:1 on the page
    muted: str = "#3D4F66"  # prompts and details: 7.7:1 on the page
    page: str = "#F3F5F8"
    card: str = "#FFFFFF"
    line: str = "#C5CEDA"
    brand: str = "#0A4A8C"  # header and primary buttons: white text 8.9:1
    brand_dark: str = "#073665"
    brand_soft: str = "#E3EDF8"
    danger: str = "#A4161A"
    danger_soft: str = "#FBE9E9"
    success: str = "#1B6E3A"
    success_soft: str = "#E6F4EA"
    warning: str = "#8A5300"
    warning_soft: str = "#FFF4DC"
    disabled_bg: str = "#E4E7EC"
    disabled_ink: str = "#5C6675"  # 4.7:1 on disabled_bg
    focus: str = "#14213D"  # the keyboard focus ring on the page
    focus_on_brand: str = "#FFC233"  # ... and on the blue header: 5.5:1


PALETTE = Palette()
# Elderly mode: the colours that carry text are darker, so every text is at least 7:1 (WCAG AAA).
ELDERLY_PALETTE = Palette(ink="#0B1526", muted="#26364A", danger="#8C1116", success="#0E5A2B",
                          warning="#6B3E00", disabled_ink="#3A4350", line="#8E9AAB")


def palette_for(elderly: bool) -> Palette:
    return ELDERLY_PALETTE if elderly else PALETTE


def scale_for(width: int, height: int) -> float:
    """How much larger (or smaller) than the 1920x1080 design to draw."""
    return max(0.55, min(width / DESIGN_SIZE[0], height / DESIGN_SIZE[1]))


@dataclass(frozen=True)
class Metrics:
    scale: float
    type_scale: float = 1.0

    def px(self, design_px: float) -> int:
        """A length: margins, borders, touch targets."""
        return max(1, round(design_px * self.scale))

    def pt(self, design_px: float) -> int:
        """A type size (in pixels), larger in elderly mode."""
        return max(1, round(design_px * self.scale * self.type_scale))

    @property
    def touch(self) -> int:
        """The smallest touch target's width and height."""
        return self.px(TOUCH)


def style_sheet(scale: float, elderly: bool = False) -> str:
    m, p = Metrics(scale, ELDERLY_TYPE if elderly else 1.0), palette_for(elderly)
    return _text_rules(m, p) + _frame_rules(m, p) + _button_rules(m, p)


def _text_rules(m: Metrics, p: Palette) -> str:
    return f"""
* {{ font-family: "{FONT_FAMILY}"; color: {p.ink}; }}
#KioskWindow, #ScreenStack, QScrollArea, #ScrollBody {{ background: {p.page}; }}
#Header {{ background: {p.brand}; }}
#Header QLabel {{ color: #FFFFFF; font-size: {m.pt(30)}px; }}
#Header QLabel#BankName {{ font-size: {m.pt(38)}px; font-weight: 700; }}
QLabel {{ font-size: {m.pt(30)}px; }}
QLabel#ScreenTitle {{ font-size: {m.pt(52)}px; font-weight: 700; }}
QLabel#ScreenPrompt {{ font-size: {m.pt(34)}px; color: {p.muted}; }}
QLabel#FooterLine {{ font-size: {m.pt(30)}px; font-weight: 700; color: {p.brand_dark}; }}
QLabel#Message {{ font-size: {m.pt(40)}px; font-weight: 700; }}
QLabel#Message[warning="true"] {{ font-size: {m.pt(46)}px; }}
QLabel#OverlayText {{ font-size: {m.pt(36)}px; }}
QLabel#ScreenPrompt[emphasis="true"] {{ font-size: {m.pt(40)}px; font-weight: 700; color: {p.ink}; }}
QLabel#Status {{ font-size: {m.pt(36)}px; font-weight: 700; color: {p.brand_dark}; }}
QLabel#OutcomeWords {{ font-size: {m.pt(48)}px; font-weight: 700; }}
QLabel#OutcomeWords[outcome="success"] {{ color: {p.success}; }}
QLabel#OutcomeWords[outcome="failure"] {{ color: {p.danger}; }}
QLabel#Document {{ font-size: {m.pt(30)}px; background: {p.card}; padding: {m.px(32)}px; }}
QLabel#RowLabel {{ color: {p.muted}; font-size: {m.pt(30)}px; }}
QLabel#RowValue {{ font-size: {m.pt(34)}px; font-weight: 700; }}
QLabel#Countdown {{ font-size: {m.pt(120)}px; font-weight: 700; color: {p.warning}; }}
QLabel#ChoiceLabel {{ font-size: {m.pt(36)}px; font-weight: 700; background: transparent; }}
QLabel#ChoiceDetail {{ font-size: {m.pt(28)}px; color: {p.muted}; background: transparent; }}
QLabel#FieldLabel {{ font-size: {m.pt(32)}px; font-weight: 700; }}
QLabel#FieldHint {{ font-size: {m.pt(28)}px; color: {p.muted}; }}
QLabel[dim="true"] {{ color: {p.disabled_ink}; }}
QLabel#PageLabel {{ font-size: {m.pt(30)}px; font-weight: 700; color: {p.ink}; }}
QLabel#RailCount {{ font-size: {m.pt(26)}px; color: {p.muted}; background: transparent; }}
QPushButton[selected="true"] QLabel#RailCount {{ color: #FFFFFF; }}
QLabel#SearchHint {{ font-size: {m.pt(30)}px; color: {p.muted}; }}
"""


def _frame_rules(m: Metrics, p: Palette) -> str:
    return f"""
#Footer {{ background: {p.card}; border-top: {m.px(2)}px solid {p.line}; }}
#Card {{ background: {p.card}; border: {m.px(2)}px solid {p.line}; border-radius: {m.px(16)}px;
    padding: {m.px(20)}px {m.px(28)}px; }}
#Card[warning="true"] {{ background: {p.warning_soft}; border: {m.px(5)}px solid {p.warning}; }}
#Card QLabel {{ background: transparent; }}
#ErrorLine, #FieldError {{ background: {p.danger_soft}; border-left: {m.px(10)}px solid {p.danger}; }}
#ErrorLine QLabel, #FieldError QLabel {{ color: {p.danger}; font-size: {m.pt(32)}px; font-weight: 700; }}
#NoticeLine {{ background: {p.brand_soft}; border-left: {m.px(10)}px solid {p.brand}; }}
#NoticeLine QLabel {{ color: {p.brand_dark}; font-size: {m.pt(30)}px; }}
#OfferBanner {{ background: {p.brand_soft}; border: {m.px(3)}px solid {p.brand}; border-radius: {m.px(16)}px; }}
#OfferBanner QLabel {{ color: {p.ink}; font-size: {m.pt(30)}px; font-weight: 700; background: transparent; }}
#Overlay {{ background: rgba(10, 20, 40, 170); }}
#OverlayCard {{ background: {p.card}; border-radius: {m.px(24)}px; }}
QScrollBar:vertical {{ width: {m.px(28)}px; background: {p.disabled_bg}; }}
QScrollBar::handle:vertical {{ background: {p.brand}; min-height: {m.px(80)}px; border-radius: {m.px(8)}px; }}
"""


def _button_rules(m: Metrics, p: Palette) -> str:
    return f"""
QPushButton {{
    font-size: {m.pt(34)}px; font-weight: 700; min-height: {m.touch}px; min-width: {m.px(200)}px;
    padding: 0 {m.px(36)}px; border-radius: {m.px(14)}px;
    background: {p.card}; color: {p.brand}; border: {m.px(3)}px solid {p.brand};
}}
QPushButton:pressed {{ background: {p.brand_soft}; }}
QPushButton:disabled {{ background: {p.disabled_bg}; color: {p.disabled_ink}; border-color: {p.line}; }}
QPushButton[role="primary"] {{ background: {p.brand}; color: #FFFFFF; border-color: {p.brand}; }}
QPushButton[role="primary"]:pressed {{ background: {p.brand_dark}; }}
QPushButton[role="primary"]:disabled {{ background: {p.disabled_bg}; color: {p.disabled_ink}; border-color: {p.line}; }}
QPushButton[role="danger"] {{ color: {p.danger}; border-color: {p.danger}; }}
QPushButton[role="choice"] {{ text-align: left; padding: {m.px(20)}px {m.px(32)}px; border-color: {p.line};
    min-height: {m.px(120)}px; }}
QPushButton[tile="true"] {{ min-height: {m.px(170)}px; }}
QPushButton[role="choice"]:disabled {{ background: {p.disabled_bg}; }}
QPushButton#btn-elderly {{ background: {p.brand_soft}; border: {m.px(4)}px solid {p.brand};
    min-height: {m.px(120)}px; min-width: {m.px(600)}px; }}
QPushButton[role="key"] {{ font-size: {m.pt(46)}px; min-height: {m.touch}px; min-width: {m.px(150)}px;
    padding: 0 {m.px(8)}px; color: {p.ink}; border-color: {p.line}; }}
QPushButton[role="key"][word="true"] {{ font-size: {m.pt(34)}px; }}
#PinyinKeyboard QPushButton[role="key"] {{ min-width: {m.px(96)}px; }}
QPushButton[role="field"] {{ text-align: left; font-size: {m.pt(44)}px;
    color: {p.ink}; border-color: {p.line}; min-width: {m.px(560)}px; }}
QPushButton[role="field"][active="true"] {{ border-color: {p.brand}; border-width: {m.px(5)}px; }}
QLineEdit[role="field"] {{ font-size: {m.pt(44)}px; color: {p.ink}; background: #FFFFFF; border: {m.px(3)}px solid {p.line};
    border-radius: {m.px(12)}px; min-height: {m.touch}px; min-width: {m.px(560)}px; padding: 0 {m.px(36)}px; }}
QLineEdit[role="field"]:focus {{ border: {m.px(5)}px solid {p.brand}; }}
QPushButton[role="bar"] {{ font-size: {m.pt(28)}px; min-height: {m.touch}px; min-width: {m.touch}px;
    background: transparent; color: #FFFFFF; border-color: #FFFFFF; padding: 0 {m.px(20)}px; }}
QPushButton[role="lang"] {{ font-size: {m.pt(28)}px; min-height: {m.touch}px; min-width: {m.touch}px;
    background: transparent; color: #FFFFFF; border: {m.px(3)}px solid #FFFFFF; padding: 0 {m.px(20)}px; }}
QPushButton[role="lang"][side="left"] {{ border-top-right-radius: 0; border-bottom-right-radius: 0; }}
QPushButton[role="lang"][side="right"] {{ border-top-left-radius: 0; border-bottom-left-radius: 0; border-left: 0; }}
QPushButton[role="lang"][selected="true"] {{ background: #FFFFFF; color: {p.brand}; }}
QPushButton[role="switch"] {{ font-size: {m.pt(28)}px; min-height: {m.touch}px; min-width: {m.touch}px;
    background: transparent; color: #FFFFFF; border: {m.px(3)}px solid transparent;
    padding: 0 {m.px(110)}px 0 {m.px(12)}px; text-align: left; }}
QPushButton[role="switch"]:disabled {{ background: transparent; color: #FFFFFF; border-color: transparent;
    padding: 0 {m.px(12)}px; }}
QPushButton[role="page"] {{ font-size: {m.pt(30)}px; min-width: {m.px(150)}px; padding: 0 {m.px(20)}px; }}
QPushButton[role="rail"] {{ text-align: left; font-size: {m.pt(32)}px; min-height: {m.touch}px;
    padding: 0 {m.px(28)}px; color: {p.ink}; border-color: {p.line}; }}
QPushButton[role="rail"][selected="true"] {{ background: {p.brand}; color: #FFFFFF; border-color: {p.brand}; }}
QPushButton[role="letter"] {{ font-size: {m.pt(36)}px; min-height: {m.touch}px; min-width: {m.touch}px;
    padding: 0; color: {p.ink}; border-color: {p.line}; }}
QPushButton#SearchBox {{ min-width: {m.px(300)}px; }}
QPushButton#btn-search {{ min-height: {m.px(120)}px; }}
QPushButton:focus {{ border: {m.px(7)}px solid {p.focus}; text-decoration: underline; }}
QPushButton[role="bar"]:focus, QPushButton[role="lang"]:focus, QPushButton[role="switch"]:focus {{
    border: {m.px(7)}px solid {p.focus_on_brand}; }}
QPushButton[role="field"][active="true"]:focus, QPushButton#btn-elderly:focus {{ border: {m.px(7)}px solid {p.focus}; }}
"""
