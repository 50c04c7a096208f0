"""First start, creating a case book with a passphrase, unlocking, and the training book."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer

from adviser_app.services import case_books
from adviser_app.store.db import close_case_book
from adviser_app.store.settings import get_setting
from adviser_app.ui.main_window import MainWindow
from adviser_app.domain.recovery_key import new_recovery_words
from adviser_app.ui.case_book.passphrase_dialogs import NewPassphraseForm, RecoveryKeyDialog
from adviser_app.ui.case_book.unlock_page import UnlockPage
from adviser_app.ui.case_book.welcome import WelcomePage
from support import CHEAP, PASSPHRASE


def new_window(qtbot, data_dir: Path, today) -> MainWindow:
    win = MainWindow(data_dir, actor="sam", today=lambda: today, kdf=CHEAP)
    qtbot.addWidget(win)
    win.show()
    return win


def test_first_start_shows_welcome_and_writes_nothing(qtbot, data_dir: Path, today):
    win = new_window(qtbot, data_dir, today)
    assert isinstance(win.stack.currentWidget(), WelcomePage)
    assert win.welcome.create_button.isVisible() and win.welcome.training_button.isVisible()
    assert not win.menus.new_case_action.isEnabled()
    assert list(data_dir.iterdir()) == []


def test_create_case_book_with_passphrase_then_lock_and_unlock(qtbot, data_dir, today):
    win = new_window(qtbot, data_dir, today)
    shown = []
    win.access.ask_new_book = lambda default: ("Sam Patel", PASSPHRASE)
    win.access.show_recovery_key = shown.append
    qtbot.mouseClick(win.welcome.create_button, Qt.MouseButton.LeftButton)
    assert win.workspace is not None and len(shown) == 1 and len(shown[0].split()) == 12
    assert win.workspace.right.currentWidget() is win.workspace.first_steps
    # the first steps name the menu item that sets the letterhead, exactly as the menu has it
    menu_text = win.menus.letterhead_action.text().replace("&", "").rstrip("\u2026")
    assert menu_text in win.workspace.first_steps.text()
    assert win.session.actor == "Sam Patel"
    assert get_setting(win.session.db, "adviser_name") == "Sam Patel"
    place = case_books.real_place(data_dir)
    assert place.path.read_bytes()[:16] != b"SQLite format 3\x00"
    assert PASSPHRASE.encode() not in place.key_path.read_bytes()
    assert (place.backups / "casebook.key").exists()  # a copy of the key file for restores
    win.menus.lock_action.trigger()
    assert win.session is None and isinstance(win.stack.currentWidget(), UnlockPage)
    assert not win.menus.new_case_action.isEnabled()
    assert not win.book.unlock("otter lantern pumpkins")
    assert "Passphrase not recognised" in win.unlock_page.error.text()
    assert win.book.unlock(PASSPHRASE)
    assert win.workspace is not None


def test_cancelled_creation_writes_nothing(qtbot, data_dir, today):
    win = new_window(qtbot, data_dir, today)
    win.access.ask_new_book = lambda default: None
    assert not win.book.create_case_book()
    assert list(data_dir.iterdir()) == []


def test_repeated_wrong_passphrases_make_the_next_try_wait(qtbot, populated_dir, today):
    win = new_window(qtbot, populated_dir, today)
    page = win.unlock_page
    for tries in range(1, 4):
        page.passphrase.setText("wrong wrong wrong")
        page.unlock_button.click()  # the key is derived on a worker thread: not at once
        assert page.unlock_button.text() == "Unlocking\u2026" and page.passphrase.isReadOnly()
        page.unlock_button.click()  # a second press meanwhile is not a second try
        qtbot.waitUntil(lambda tries=tries: page.failures == tries)
    assert page.failures == 3
    assert not page.unlock_button.isEnabled() and "wait 2 s" in page.unlock_button.text()
    page.passphrase.setText(PASSPHRASE)
    page.passphrase.returnPressed.emit()  # ignored while waiting
    assert win.session is None
    qtbot.waitUntil(page.unlock_button.isEnabled, timeout=4000)
    page.unlock_button.click()
    qtbot.waitUntil(lambda: win.session is not None)
    assert not page.passphrase.text()  # never left in the box behind the case book


def test_recovery_key_opens_and_sets_a_new_passphrase(qtbot, data_dir, today):
    made = case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP)
    from adviser_app.store.db import close_case_book

    close_case_book(made.db)
    win = new_window(qtbot, data_dir, today)
    told = []
    win.access.tell = lambda title, message: told.append(title)
    win.access.ask_recovery = lambda: ("wrong-key", "kettle thistle yacht")
    assert not win.book.unlock_with_recovery()
    assert "12 words long, but 2 were typed" in win.unlock_page.error.text()
    win.access.ask_recovery = lambda: (new_recovery_words(), "kettle thistle yacht")
    assert not win.book.unlock_with_recovery()
    assert "not the recovery key for this case book" in win.unlock_page.error.text()
    win.access.ask_recovery = lambda: (made.recovery_key.upper(), "kettle thistle yacht")
    assert win.book.unlock_with_recovery()
    assert told == ["New passphrase set"]
    win.book.close_case_book()
    assert not win.book.unlock(PASSPHRASE)
    assert win.book.unlock("kettle thistle yacht")


def test_change_passphrase(qtbot, window):
    told = []
    window.access.tell = lambda title, message: told.append(message)
    window.access.ask_passphrase_change = lambda: ("not the old one", "kettle thistle yacht")
    assert not window.book.change_passphrase()
    assert "not recognised" in told[0]
    window.access.ask_passphrase_change = lambda: (PASSPHRASE, "kettle thistle yacht")
    assert window.book.change_passphrase()
    window.book.lock()
    assert window.book.unlock("kettle thistle yacht")


def test_recovery_key_dialog_shows_three_lines_of_four_numbered_words(qtbot):
    key = new_recovery_words()
    dialog = RecoveryKeyDialog(key)
    qtbot.addWidget(dialog)
    dialog.show()
    words = key.split()
    assert dialog.key_label.text().count("<tr>") == 3
    assert all(f">{word}</td>" in dialog.key_label.text() for word in words)
    assert f"1 {words[0]}, 2 {words[1]}" in dialog.key_label.accessibleDescription()
    sheet = dialog.sheet_html()
    assert all(f">{word}</td>" in sheet for word in words) and sheet.count("<tr>") == 3
    assert "Use the recovery key" in sheet and ">12</td>" in sheet
    assert not dialog.ok.isEnabled()


def test_recovery_key_entry_checks_the_words_as_they_are_typed(qtbot):
    form = NewPassphraseForm("Unlock with the recovery key", with_recovery=True)
    qtbot.addWidget(form)
    form.show()
    assert form.recovery is not None and form.recovery_progress is not None
    assert form.focusWidget() is form.recovery
    words = new_recovery_words().split()
    form.recovery.setText(" ".join(words[:4]) + "\n" + words[4])
    assert form.recovery_progress.text() == "5 of 12 words typed."
    form.recovery.setText(" ".join(words[:4]) + "\n" + words[4] + "x ")
    named = f"Word 5, \u201c{words[4]}x\u201d, is not on"
    assert named in form._errors["recovery"].text()  # said at once, under the box
    assert form._errors["recovery"].isVisible() and not form.recovery_progress.isVisible()
    form.new.setText("kettle thistle yacht")
    form.confirm.setText("kettle thistle yacht")
    form.buttons.button(form.buttons.StandardButton.Save).click()
    assert form.isVisible()  # not accepted: the misspelt word is named under the box
    assert named in form._errors["recovery"].text()
    three_lines = "\n".join(" ".join(words[i:i + 4]).upper() for i in range(0, 12, 4))
    form.recovery.setText(three_lines + "\n")
    assert form.recovery_progress.text() == "All 12 words typed."
    assert form.recovery.text() == three_lines + "\n"
    form.buttons.button(form.buttons.StandardButton.Save).click()
    assert not form.isVisible()


def test_recovery_key_entry_takes_an_older_key_too(qtbot):
    form = NewPassphraseForm("Unlock with the recovery key", with_recovery=True)
    qtbot.addWidget(form)
    form.show()
    assert form.recovery is not None and form.recovery_progress is not None
    form.recovery.setText("8ysf-gbdr-c6nv")
    assert "older recovery key: 12 of 32" in form.recovery_progress.text()
    assert "recovery" in {problem.field for problem in form.save()}
    form.recovery.setText("8ysf-gbdr-c6nv-twt4-exd6-6cn3-bkm7-p95w")
    form.new.setText("kettle thistle yacht")
    form.confirm.setText("kettle thistle yacht")
    assert form.save() == []


def test_recovery_key_dialog_needs_the_tick(qtbot):
    dialog = RecoveryKeyDialog("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567-89AB")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled()
    dialog.reject()  # Escape does nothing yet: the key is never shown again
    assert dialog.isVisible()
    dialog.kept.setChecked(True)
    assert dialog.ok.isEnabled()
    dialog.reject()
    assert not dialog.isVisible()
    assert "ABCD-EFGH" in dialog.sheet_html()


def test_training_case_book_is_separate_and_bannered(qtbot, data_dir, today):
    win = new_window(qtbot, data_dir, today)
    qtbot.mouseClick(win.welcome.training_button, Qt.MouseButton.LeftButton)
    assert win.session is not None and win.session.training
    assert win.workspace.banner.isVisible()
    assert "fictional" in win.workspace.banner.text()
    assert win.windowTitle() == "Adviser Toolkit \u2014 TRAINING (fictional families)"
    assert not case_books.real_place(data_dir).exists()  # no real case book was made
    assert case_books.training_place(data_dir).exists()
    win.menus.lock_action.trigger()  # fictional data: nothing to lock, and it says so
    assert win.session is not None and "fictional" in win.statusBar().currentMessage()
    win.statusBar().clearMessage()
    model = win.workspace.case_list.model
    assert model.rowCount() >= 12
    assert all(model.summary(r).reference.startswith("TR-") for r in range(model.rowCount()))
    win.book.close_case_book()
    assert win.statusBar().currentMessage() == ""


def test_a_damaged_key_file_is_explained_on_the_unlock_screen(qtbot, populated_dir, today):
    place = case_books.real_place(populated_dir)
    place.key_path.write_text("{ not json")
    (place.backups / place.key_path.name).unlink()  # no copy to use (else it is used)
    win = new_window(qtbot, populated_dir, today)
    assert isinstance(win.stack.currentWidget(), UnlockPage)
    assert not win.book.unlock(PASSPHRASE)
    assert "damaged" in win.unlock_page.error.text()
    assert case_books.real_place(populated_dir).path.exists()  # never deleted


def test_second_window_on_the_same_case_book_is_refused(qtbot, window, populated_dir,
                                                        today):
    second = new_window(qtbot, populated_dir, today)
    assert not second.book.unlock(PASSPHRASE)
    assert "already open" in second.unlock_page.error.text()


def _top_left(form, widget):
    return widget.mapTo(form, widget.rect().topLeft())


def test_the_recovery_dialog_opens_with_nothing_over_the_word_box(qtbot):
    """Issue 21: the dialog first opened with its text over the word box."""
    from PySide6.QtWidgets import QLabel

    from PySide6.QtGui import QFont, QFontDatabase

    from adviser_app.paths import RESOURCES_DIR

    for font in sorted((RESOURCES_DIR / "fonts").glob("DejaVuSans*.ttf")):
        QFontDatabase.addApplicationFont(str(font))
    form = NewPassphraseForm("Unlock with the recovery key", with_recovery=True)
    form.setFont(QFont("DejaVu Sans", 10))  # the app's own font, as app.py sets it
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    box = form.recovery
    top = _top_left(form, box).y()
    bottom = top + box.height()
    texts = [w for w in form.findChildren(QLabel) if w.isVisible() and w.text()]
    for label in texts:
        label_top = _top_left(form, label).y()
        label_bottom = label_top + label.height()
        same_column = _top_left(form, label).x() < _top_left(form, box).x() + box.width()
        overlaps = label_top < bottom and label_bottom > top and same_column and \
            _top_left(form, label).x() + label.width() > _top_left(form, box).x()
        assert not overlaps, f"{label.text()[:40]!r} is drawn over the word box"
        if label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), \
                f"{label.text()[:40]!r} is squeezed"
    layout = form.layout()
    assert form.height() >= layout.totalHeightForWidth(form.width())


def test_a_wrong_recovery_key_keeps_the_words_and_says_why(qtbot, data_dir, today):
    """Issue 21: a wrong key typed in full closed the dialog, so all 12 words had to be
    typed again."""
    made = case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP)
    close_case_book(made.db)
    win = new_window(qtbot, data_dir, today)
    win.access.tell = lambda title, message: None
    other_words = new_recovery_words()
    seen = {}

    def fill_and_continue(form):
        form.recovery.setText(other_words)
        form.new.setText("kettle thistle yacht")
        form.confirm.setText("kettle thistle yacht")
        form.buttons.button(form.buttons.StandardButton.Save).click()
        seen["open"] = form.isVisible()
        seen["words"] = form.recovery.text()
        seen["error"] = form._errors["recovery"].text()
        form.recovery.setText(made.recovery_key)  # now the right sheet
        form.buttons.button(form.buttons.StandardButton.Save).click()

    from adviser_app.ui.case_book import passphrase_dialogs

    real_exec = passphrase_dialogs.NewPassphraseForm.exec

    def exec_(form):
        QTimer.singleShot(0, lambda: fill_and_continue(form))
        return real_exec(form)
    passphrase_dialogs.NewPassphraseForm.exec = exec_
    try:
        assert win.book.unlock_with_recovery()
    finally:
        passphrase_dialogs.NewPassphraseForm.exec = real_exec
    assert seen["open"] and seen["words"] == other_words
    assert "not the recovery key for this case book" in seen["error"]
    assert win.session is not None, win.unlock_page.error.text()
    win.book.close_case_book()
