"""Help › Guide (F1): a short built-in guide, the keyboard shortcuts, and the version and
licences of what ships inside the app (read from the installed packages themselves)."""

from __future__ import annotations

import re
from html import escape
from importlib import metadata

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QTabWidget, QTextBrowser,
                               QVBoxLayout, QWidget)

from adviser_app.paths import RESOURCES_DIR
from adviser_app.ui.theme import AMBER, GREEN, GREY_BLUE, RED

APP_DISTRIBUTION = "adviser-toolkit"

GUIDE = f"""
<h2>Finding a family</h2>
<p>Press <b>Ctrl+F</b> and type part of a name, a child's name, a school, a postcode, a phone
number or a case reference. Accents and capitals do not matter (type <i>zoe</i> for Zoë,
<i>djordje</i> for Đorđe, a phone number with or without spaces). Press <b>Enter</b> to open
the case at the top of the list, or use the arrow keys first.</p>
<h2>Adding a visit note</h2>
<p>With the case open, press <b>Ctrl+Shift+N</b> (or <i>Add visit note</i>). Type the note and
press <b>Save</b>. If the app locks while you are typing, the note is kept, encrypted, and
offered back when you unlock.</p>
<h2>The mediation and appeal wizard</h2>
<p>Press <b>Ctrl+M</b> on an open case. Answer one page at a time: the decision, its dates,
what the family wants to do. The wizard saves at every step, so you can stop and carry on
later; every date it works out appears on the case and in <b>Deadlines</b>.</p>
<h2>Making a letter</h2>
<p>Press <b>Ctrl+P</b> on an open case and choose the letter. Anything missing is named before
anything is made. Check the preview, then keep it: it is stored, encrypted, on the case and
noted on the timeline. An exported copy is not encrypted.</p>
<h2>What the colours mean</h2>
<ul>
<li><b style="color:{RED}">Red</b>: overdue, or due today.</li>
<li><b style="color:{AMBER}">Amber</b>: due in the next 5 working days.</li>
<li><b style="color:{GREEN}">Green</b>: due in the next 4 weeks.</li>
<li><b style="color:{GREY_BLUE}">Grey-blue</b>: later.</li>
<li>A date marked <i>check this date</i> comes from a rule we are not sure of: check it
before relying on it.</li>
<li>The yellow <b>TRAINING</b> banner: fictional families only.</li>
</ul>
<h2>Locking</h2>
<p><b>Ctrl+L</b> locks at once, from anywhere. The app also locks after a time without use
(a countdown shows first: move the mouse to keep working), when the laptop sleeps and when the
screen locks.</p>
"""

SHORTCUTS = (
    ("Ctrl+F", "Find a family or case"),
    ("Enter", "Open the case at the top of the list"),
    ("Ctrl+N", "New family and case"),
    ("Ctrl+Shift+N", "Add a home visit note"),
    ("Ctrl+Shift+E", "Add another timeline entry"),
    ("Ctrl+P", "Letters and summaries"),
    ("Ctrl+M", "Mediation and appeal wizard"),
    ("Ctrl+D", "Deadlines across all cases"),
    ("Ctrl+1", "Back to the case list"),
    ("Ctrl+K", "Deadline calculator"),
    ("Ctrl+L", "Lock now (from anywhere)"),
    ("Ctrl+Shift+Y", "Sync with the office now (once connected to the office hub)"),
    ("Ctrl+Shift+W", "Close the case book"),
    ("F1 or Ctrl+?", "This help"),
    ("Ctrl+Q", "Quit"),
)


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td style='padding:2px 16px 2px 0'><b>{escape(keys)}</b></td>"
                   f"<td>{escape(what)}</td></tr>" for keys, what in SHORTCUTS)
    return f"<h2>Keyboard shortcuts</h2><table>{rows}</table>"


def _licence(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    text = meta["License-Expression"] or ""
    if not text:
        classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                       if c.startswith("License ::")]
        text = "; ".join(classifiers)
    if not text:
        text = next(iter((meta["License"] or "").splitlines()), "")
    return text[:80] or "see the package"


def _requirement_name(requirement: str) -> str:
    return re.split(r"[ ;<>=!~\[]", requirement, maxsplit=1)[0]


def shipped_packages() -> list[tuple[str, str, str]]:
    """(name, version, licence) of the app and each library it depends on, as installed."""
    found: list[tuple[str, str, str]] = []
    try:
        app = metadata.distribution(APP_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return found
    found.append((app.metadata["Name"], app.version, _licence(app)))
    for requirement in app.requires or []:
        if "extra ==" in requirement:
            continue  # tests and building: not shipped
        try:
            dist = metadata.distribution(_requirement_name(requirement))
        except metadata.PackageNotFoundError:
            continue
        found.append((dist.metadata["Name"], dist.version, _licence(dist)))
    return found


def about_html() -> str:
    from adviser_app import __version__

    rows = "".join(f"<tr><td style='padding:2px 16px 2px 0'>{escape(n)}</td>"
                   f"<td style='padding-right:16px'>{escape(v)}</td><td>{escape(lic)}</td></tr>"
                   for n, v, lic in shipped_packages())
    fonts = "DejaVu fonts (Bitstream Vera and Arev licences; public domain changes)" \
        if (RESOURCES_DIR / "fonts" / "LICENSE-DejaVu.txt").exists() else ""
    return (f"<h2>Adviser Toolkit {escape(__version__)}</h2>"
            "<p>An offline case book for SENDIASS advisers in England. Nothing is sent "
            "anywhere.</p><h3>What ships inside, and its licences</h3>"
            f"<table><tr><th align='left'>Package</th><th align='left'>Version</th>"
            f"<th align='left'>Licence</th></tr>{rows}</table>"
            + (f"<p>{escape(fonts)}.</p>" if fonts else "")
            + "<p>Qt and PySide6 are used under the GNU LGPL version 3; SQLCipher under a "
            "BSD-style licence.</p>")


class HelpDialog(QDialog):
    GUIDE, SHORTCUTS, ABOUT = range(3)

    def __init__(self, page: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Adviser Toolkit help")
        self.setAccessibleName("Help")
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Help sections")
        for title, html in (("Guide", GUIDE), ("Keyboard shortcuts", shortcuts_html()),
                            ("Version and licences", about_html())):
            view = QTextBrowser()
            view.setAccessibleName(title)
            view.setOpenExternalLinks(False)
            view.setHtml(html)
            self.tabs.addTab(view, title)
        self.tabs.setCurrentIndex(page)
        layout.addWidget(self.tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def page_text(self, page: int) -> str:
        view = self.tabs.widget(page)
        assert isinstance(view, QTextBrowser)
        return view.toPlainText()
