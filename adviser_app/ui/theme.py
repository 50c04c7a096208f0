"""The app's colours and the style every window and dialog shares: normal, and presenting
(for a projector: everything 150 % and high contrast).

Every pair of text and background colours here reaches WCAG 2.2 AA's 4.5:1, every control
border and the keyboard-focus ring 3:1 against what is beside them, and every button and field
is at least 24 px high (tests/ui/test_theme.py measures them from the palette)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from adviser_app.domain.statutory.urgency import Urgency

PRESENTING_SCALE = 1.5
MIN_TARGET_PX = 24
"""WCAG 2.2 2.5.8: every control at least 24 by 24 pixels."""


@dataclass(frozen=True)
class Colours:
    window: str
    text: str
    base: str
    alternate_base: str
    button: str
    highlight: str
    highlighted_text: str
    border: str
    """Text fields, buttons, check boxes, tables: 3:1 against window, base and button."""
    focus: str
    """The keyboard-focus ring: 3:1 against window, base and button, and unlike the border."""
    focus_fill: str
    """A focused button's fill, so focus changes more than a thin line."""
    muted: str
    """Secondary text (stages not yet reached, hints): still 4.5:1."""
    link: str
    tooltip: str
    tooltip_text: str


NORMAL = Colours(window="#efefef", text="#1a1a1a", base="#ffffff", alternate_base="#f5f5f5",
                 button="#e6e6e6", highlight="#1f5fa8", highlighted_text="#ffffff",
                 border="#6b6b6b", focus="#0b4ea2", focus_fill="#d6e6fa", muted="#595959",
                 link="#0b4ea2", tooltip="#fffbe6", tooltip_text="#1a1a1a")
PRESENTING = Colours(window="#ffffff", text="#000000", base="#ffffff",
                     alternate_base="#f2f2f2", button="#f2f2f2", highlight="#003a8c",
                     highlighted_text="#ffffff", border="#000000", focus="#003a8c",
                     focus_fill="#ffe14d", muted="#404040", link="#003a8c",
                     tooltip="#ffffff", tooltip_text="#000000")

MUTED = NORMAL.muted
"""For rich text that is secondary (the graduated approach's stages not yet reached)."""

# Colours that carry a meaning, for text in labels, rich text and table cells; each reaches
# 4.5:1 on the window, base and alternate-row colours of both looks.
RED = "#b00020"
"""A problem: an error message, overdue or due today, a gap against the Code, not met."""
AMBER = "#8a5a00"
"""Due in the next 5 working days."""
GREEN = "#1b6e35"
"""Met, no gaps, or due in the next 4 weeks."""
GREY_BLUE = "#44546a"
"""Later, not known, or a note beside a field."""
CLOSED = NORMAL.border
"""A closed case's row in the case list."""

BANDS = {"red": RED, "amber": AMBER, "green": GREEN, "grey-blue": GREY_BLUE}
"""The colour of each urgency band the domain names (domain.statutory.urgency)."""

ERROR_STYLE = f"color: {RED}; font-weight: 600;"
"""An error message under a field, at the top of a form, or on a page."""
SUCCESS_STYLE = f"color: {GREEN}; font-weight: 600;"
NOTE_STYLE = f"color: {GREY_BLUE};"
WHY_STYLE = "background: #eef3f8; border: 1px solid #c6d3e2; padding: 8px;"
"""A panel saying why a step is asked for (the mediation wizard)."""
CURRENT_STAGE_BACKGROUND = "#dbe9f6"
"""The stage a SEN support cycle has reached, in its stage line."""
TRAINING_BANNER_STYLE = ("background: #ffd23f; color: #1a1a1a; font-weight: 700; "
                         "padding: 6px; border: 2px solid #8a6d00;")
TRAINER_NOTES_STYLE = "background: #fff8dc; border: 1px solid #d4b106; padding: 8px;"
HINT_COLOUR = "#444444"
"""Quiet help text beside a field or under a heading (the case book's own pages)."""
HINT_STYLE = f"color: {HINT_COLOUR};"
WARNING_BOX_STYLE = ("QLabel { background: #fff6d6; color: #3b3000; border: 1px solid #d9b84a; "
                     "border-radius: 4px; padding: 8px; }")
"""A warning that stays on screen until dealt with (no disk encryption on this laptop)."""
RECOVERY_KEY_STYLE = "background: #f6f6f2; border: 1px solid #bbb; padding: 10px;"
RECOVERY_KEY_NUMBER_COLOUR = "#555555"


def urgency_colour(urgency: Urgency) -> str:
    """The text colour of a due date in its urgency band."""
    return BANDS[urgency.band]


def palette(colours: Colours) -> QPalette:
    p = QPalette()
    roles = QPalette.ColorRole
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role, value in ((roles.Window, colours.window), (roles.WindowText, colours.text),
                            (roles.Base, colours.base),
                            (roles.AlternateBase, colours.alternate_base),
                            (roles.Text, colours.text), (roles.Button, colours.button),
                            (roles.ButtonText, colours.text),
                            (roles.Highlight, colours.highlight),
                            (roles.HighlightedText, colours.highlighted_text),
                            (roles.PlaceholderText, colours.muted),
                            (roles.ToolTipBase, colours.tooltip),
                            (roles.ToolTipText, colours.tooltip_text),
                            (roles.Link, colours.link), (roles.LinkVisited, colours.link),
                            (roles.BrightText, colours.base)):
            p.setColor(group, role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled  # exempt from the contrast rule, but readable
    for role, value in ((roles.Window, colours.window), (roles.Base, colours.window),
                        (roles.Button, colours.button), (roles.WindowText, colours.muted),
                        (roles.Text, colours.muted), (roles.ButtonText, colours.muted),
                        (roles.Highlight, colours.muted),
                        (roles.HighlightedText, colours.base)):
        p.setColor(disabled, role, QColor(value))
    return p


def stylesheet(colours: Colours, font_pt: float | None = None, scale: float = 1.0) -> str:
    """Borders, focus and sizes for every window. font_pt (presenting): every widget's text
    at that size, menus, tables, status bar and dialogs included."""
    c = colours
    pad = round(3 * scale)
    target = MIN_TARGET_PX
    # Sizes given here replace Qt's own minimum (from the text), so they must hold the text:
    # a line of the font in use, and never less than the 24 px target.
    line_px = round((font_pt or 10.0) * 96 / 72 * 1.3)
    inner = max(target - 2 * pad - 2, line_px)
    size = f"* {{ font-size: {font_pt:.1f}pt; }}\n" if font_pt else ""
    return size + f"""
QPushButton, QToolButton {{ color: {c.text}; background: {c.button};
    border: 1px solid {c.border}; border-radius: 3px; padding: {pad}px {round(10 * scale)}px;
    min-height: {inner}px; }}
QToolButton {{ min-width: {target - 2}px; }}
QPushButton:hover, QToolButton:hover {{ background: {c.focus_fill}; }}
QPushButton:default {{ border: 2px solid {c.text}; }}
QPushButton:focus, QToolButton:focus {{ border: 3px solid {c.focus};
    background: {c.focus_fill}; }}
QPushButton:pressed {{ background: {c.highlight}; color: {c.highlighted_text}; }}
QPushButton:disabled {{ color: {c.muted}; border-color: {c.muted}; }}
QLineEdit, QPlainTextEdit, QTextEdit, QTextBrowser, QComboBox, QSpinBox, QDateEdit,
QAbstractItemView {{ border: 1px solid {c.border}; background: {c.base}; color: {c.text}; }}
QLineEdit, QComboBox, QSpinBox, QDateEdit {{ padding: {pad}px 4px; min-height: {inner}px; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QTextBrowser:focus, QComboBox:focus,
QSpinBox:focus, QDateEdit:focus, QAbstractItemView:focus {{ border: 2px solid {c.focus}; }}
QAbstractItemView {{ selection-background-color: {c.highlight};
    selection-color: {c.highlighted_text}; alternate-background-color: {c.alternate_base}; }}
QCheckBox, QRadioButton {{ padding: 2px; border: 2px solid transparent;
    min-height: {target - 4}px; }}
QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {c.focus}; border-radius: 3px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: {round(16 * scale)}px;
    height: {round(16 * scale)}px; }}
QTabBar::tab {{ min-height: {target}px; padding: 2px {round(10 * scale)}px; }}
QTabBar::tab:selected {{ font-weight: 700; }}
QTabBar QToolButton {{ padding: 0px; min-width: 0px; }}
QTabBar::scroller {{ width: {2 * round(target * scale)}px; }}
QTabBar::tab:selected:focus {{ color: {c.text}; background: {c.focus_fill};
    border: 3px solid {c.focus}; border-radius: 3px; padding: 0px {round(10 * scale) - 1}px; }}
QHeaderView::section {{ color: {c.text}; background: {c.button}; padding: 2px 4px;
    border: 0px; border-right: 1px solid {c.border}; border-bottom: 1px solid {c.border}; }}
QToolTip {{ color: {c.tooltip_text}; background: {c.tooltip}; border: 1px solid {c.border}; }}
QLabel#lockCountdown {{ color: {c.text}; background: {c.tooltip};
    border: 3px solid {c.focus}; }}
QLabel[role="title"] {{ font-size: {15 * scale:.1f}pt; font-weight: 700; }}
QLabel[role="heading"] {{ font-size: {11 * scale:.1f}pt; font-weight: 700; }}
"""


STYLE = "Fusion"
"""The palette and borders look the same on Windows and Linux."""
_STYLE_SET = "adviserFusion"


def application(argv: list[str]) -> QApplication:
    """The app's QApplication, its style chosen as it is made (Qt's "-style" argument), so
    apply() leaves it alone. Set afterwards, setStyle hands back the style object, for which
    PySide builds QStyle's Python type and its enum types before the first screen shows."""
    app = QApplication([*argv, "-style", STYLE])
    app.setProperty(_STYLE_SET, True)
    return app


def apply(app: QApplication, *, presenting: bool = False,
          base_font: QFont | None = None) -> None:
    """The normal look, or presenting's (every text 150 % of base_font, high contrast)."""
    # Each change re-styles every widget in the app: only change what differs (a new window
    # made while the look is already set changes nothing; replacing the style object under
    # widgets that still use it is what crashes).
    # Once per application: with a style sheet set, app.style() is Qt's style-sheet wrapper
    # (its name is empty), so asking it for "fusion" would replace the style every time.
    if not app.property(_STYLE_SET):
        app.setStyle(STYLE)
        app.setProperty(_STYLE_SET, True)
    colours = PRESENTING if presenting else NORMAL
    wanted = palette(colours)
    if app.palette() != wanted:
        app.setPalette(wanted)
    if presenting:
        font = base_font or app.font()
        size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        sheet = stylesheet(colours, size * PRESENTING_SCALE, PRESENTING_SCALE)
    else:
        sheet = stylesheet(colours)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
