"""Help that helps (issue 21): a built-in guide, the keyboard shortcuts on F1 and Ctrl+?, and
the version and licences of what ships inside."""

from __future__ import annotations

from PySide6.QtCore import Qt

from adviser_app import __version__
from adviser_app.ui.help_dialog import SHORTCUTS, HelpDialog


def test_f1_opens_the_guide_and_the_shortcuts(window, qtbot):
    qtbot.keyClick(window.workspace.case_list.search, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "help_dialog", None) is not None
                    and window.help_dialog.isVisible())
    dialog = window.help_dialog
    guide = dialog.page_text(HelpDialog.GUIDE)
    for topic in ("Finding a family", "visit note", "wizard", "letter", "colours mean"):
        assert topic in guide, topic
    keys = dialog.page_text(HelpDialog.SHORTCUTS)
    shown = {a.shortcut().toString() for a in window.findChildren(type(window.menus.lock_action))
             if not a.shortcut().isEmpty()}
    for action_key in shown - {"F1"}:
        assert action_key in keys, action_key  # every menu shortcut is listed
    assert len(SHORTCUTS) >= 12
    dialog.close()


def test_ctrl_question_mark_opens_help_too(window, qtbot):
    assert any(k.toString() == "Ctrl+?" for k in window.menus.guide_action.shortcuts())
    window.menus.guide_action.trigger()
    assert window.help_dialog.isVisible()
    window.help_dialog.close()


def test_about_gives_the_version_and_the_licences_of_what_ships(window):
    window.case_actions.show_about()
    about = window.help_dialog.page_text(HelpDialog.ABOUT)
    assert __version__ in about
    for package in ("PySide6", "reportlab", "sqlcipher3", "sqlite-utils", "argon2-cffi"):
        assert package.lower() in about.lower(), package
    assert "LGPL" in about and "DejaVu" in about
    window.help_dialog.close()
