"""A case book that has not joined an office hub never loads the network code, and the status
bar says nothing about an office (run in a fresh interpreter, where sys.modules is clean)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PROBE = """
import sys, tempfile
from pathlib import Path
from PySide6.QtWidgets import QApplication
from support import CHEAP, PASSPHRASE, create_book
from adviser_app.store.db import close_case_book
from adviser_app.ui.main_window import MainWindow
app = QApplication([])
folder = Path(tempfile.mkdtemp()); close_case_book(create_book(folder))
win = MainWindow(folder, actor="Sam", kdf=CHEAP)
assert win.book.unlock(PASSPHRASE)
win.book.saved("")
print("psycopg" in sys.modules, repr(win.team.label.text()), win.team.timer.isActive())
win.book.close_case_book(show_start=False)
"""


def test_an_unjoined_case_book_never_loads_the_network_code() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "False '' False"
