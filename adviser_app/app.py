"""Composition root: the QApplication, the data folder, fonts and the main window."""

from __future__ import annotations

import getpass
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QStandardPaths, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from adviser_app.admin_commands import parse
from adviser_app.none_guard import keep_none_alive
from adviser_app.paths import RESOURCES_DIR

if TYPE_CHECKING:
    from adviser_app.store.errors import CaseBookError

APP_ID = "adviser-toolkit"
CHECK_AFTER_MS = 300
"""When SQLCipher is checked after the window shows (after its first paint)."""
DATA_ENV = "ADVISER_TOOLKIT_DATA"


def data_dir() -> Path:
    """Per-user local (not roaming) app data folder, unless ADVISER_TOOLKIT_DATA says where."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    QCoreApplication.setApplicationName(APP_ID)  # the folder is named after the app
    location = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(location)


def load_fonts(app: QApplication) -> None:
    """Bundled DejaVu Sans, so every family's name renders even on a machine with no fonts."""
    loaded = False
    for font in sorted((RESOURCES_DIR / "fonts").glob("DejaVuSans*.ttf")):
        loaded = QFontDatabase.addApplicationFont(str(font)) >= 0 or loaded
    if loaded:
        app.setFont(QFont("DejaVu Sans", 10))


def smoke_letter(window: QWidget) -> int:
    """Render one letter from the training case book, to prove fonts and templates shipped."""
    from adviser_app.services import documents
    from adviser_app.ui.main_window import MainWindow

    assert isinstance(window, MainWindow) and window.session is not None
    db = window.session.db
    if not documents.letterhead(db)["name"]:
        documents.save_letterhead(db, {"name": "Smoke test SENDIASS", "address": "",
                                       "phone": "0113 496 0000", "email": "a@example.org",
                                       "footer": "", "signature_name": "",
                                       "signature_role": "", "logo_hex": ""})
    assert window.workspace is not None
    case_id = window.workspace.case_list.model.summary(0).id
    draft = documents.start(db, case_id, "deadline_schedule", window.session.today())
    letter = documents.compose(db, case_id, "deadline_schedule", draft.wording, {},
                               draft.recipient, window.session.today())
    return len(documents.preview(db, letter))


def install_crash_handler(window: QWidget,
                          damage_found: Callable[[CaseBookError], None] | None = None
                          ) -> None:
    """Unexpected errors: log where (never what data), tell the user plainly, keep running. A
    damaged page read anywhere goes to *damage_found* (the case book's recovery) instead."""
    from PySide6.QtWidgets import QMessageBox

    from adviser_app.crash import PLAIN_MESSAGE, crash_report

    def handler(kind: type[BaseException], value: BaseException,
                tb: TracebackType | None) -> None:
        # the storage code is loaded here, not at start (only its errors can be damage)
        from adviser_app.store.errors import CaseBookDamaged
        from adviser_app.store.integrity import is_damage

        logging.getLogger("adviser_app").error("unexpected error:\n%s", crash_report(kind, tb))
        if is_damage(value) and damage_found is not None:
            # A page failed its check while being read: recover as the full check would.
            damage_found(CaseBookDamaged("a damaged page was read"))
            return
        QMessageBox.warning(window, "Something went wrong", PLAIN_MESSAGE)

    sys.excepthook = handler


def encryption_present() -> bool:
    """Whether SQLCipher 4 or later is there to encrypt case books; if not, says so."""
    from adviser_app.store.db import check_encryption
    from adviser_app.store.errors import EncryptionMissing

    try:
        check_encryption()
    except EncryptionMissing as exc:
        print(str(exc), file=sys.stderr)
        return False
    return True


def bring_forward(window: QWidget) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if os.name == "posix":
        os.umask(0o077)  # case books, keys and backups readable by this user only
    if args.command is not None:  # IT support commands: no window
        from adviser_app.admin import run  # the storage code: loaded for these only

        return run(args.command, args, args.data_dir or data_dir())
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    keep_none_alive()  # before any window: the Qt bindings' fault on Python 3.11
    from adviser_app.ui import theme

    app = QApplication.instance() or theme.application(sys.argv[:1])
    assert isinstance(app, QApplication)
    from adviser_app.ui import collector

    collector.install()  # Python's collector on the GUI thread only, before any worker
    app.setApplicationName(APP_ID)
    load_fonts(app)

    from adviser_app.ui.main_window import MainWindow
    from adviser_app.ui.case_book.single_instance import SingleInstance

    if (args.training or args.smoke) and not encryption_present():
        return 3
    folder = args.data_dir or data_dir()
    guard = SingleInstance(folder)
    if not args.smoke and guard.hand_over():
        print("Adviser Toolkit is already open for this case book folder; that window was "
              "brought forward.")
        return 0
    window = MainWindow(folder, actor=getpass.getuser())
    if not args.smoke:
        guard.listen()
        guard.raise_requested.connect(lambda: bring_forward(window))
    if args.training or args.smoke:
        if not window.book.open_training_case_book():
            print(window.welcome.error.text(), file=sys.stderr)
            return 2
    install_crash_handler(window, window.book.damage_found)
    window.show()
    if not (args.training or args.smoke):
        # The storage code (SQLCipher) loads once the unlock screen is painted, not before:
        # the check runs then (with the warm-up, ui/case_book/warm_up.py) and ends the app
        # if it fails.
        check = QTimer(window)
        check.setSingleShot(True)
        check.timeout.connect(lambda: encryption_present() or app.exit(3))
        check.start(CHECK_AFTER_MS)
    if args.smoke:
        workspace = window.workspace
        count = workspace.case_list.model.rowCount() if workspace else 0
        print(f"smoke: training case book open with {count} cases")
        pages = smoke_letter(window)
        print(f"smoke: a letter rendered, {pages} bytes of PDF")
        from adviser_app.ui.help_dialog import shipped_packages
        print("smoke: help lists " + "; ".join(f"{n} {v} ({lic})"
                                                for n, v, lic in shipped_packages()))
        QTimer.singleShot(200, window.close)
        app.exec()
        return 0 if count > 0 else 1
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
