"""Screenshots of presentation mode in the training case book.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/presenting_screenshots.py OUT
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from adviser_app.app import load_fonts
from adviser_app.ui.main_window import MainWindow


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    load_fonts(app)

    def shoot(widget: QWidget, name: str) -> None:
        for _ in range(30):
            app.processEvents()
        widget.screen().grabWindow(widget.winId()).save(str(out / name))
        print("wrote", name)

    with tempfile.TemporaryDirectory() as folder:
        win = MainWindow(Path(folder), actor="Trainer", today=lambda: date(2026, 11, 28))
        win.resize(1600, 1000)
        win.show()
        win.book.open_training_case_book()
        assert win.workspace is not None and win.workspace.training_bar is not None
        win.workspace.training_bar.presenting.setChecked(True)
        win.workspace.case_list.search.setText("martinez")
        win.workspace.open_case(win.workspace.case_list.model.summary(0).id)
        win.workspace.training_bar.buttons["week"].click()
        shoot(win, "training-presenting.png")
        win.workspace.show_deadlines()
        shoot(win, "training-presenting-deadlines.png")
        win.book.close_case_book()


if __name__ == "__main__":
    main()
