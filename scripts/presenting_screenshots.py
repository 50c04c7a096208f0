"""Screenshots of presentation mode: xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/presenting_screenshots.py OUT"""
import sys, tempfile
from datetime import date
from pathlib import Path
from PySide6.QtWidgets import QApplication
from adviser_app.app import load_fonts
from adviser_app.ui.main_window import MainWindow
out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
app = QApplication([]); load_fonts(app)
def shoot(w, name):
    for _ in range(30): app.processEvents()
    w.screen().grabWindow(w.winId()).save(str(out / name)); print("wrote", name)
with tempfile.TemporaryDirectory() as folder:
    win = MainWindow(Path(folder), actor="Trainer", today=lambda: date(2026, 11, 28))
    win.resize(1600, 1000); win.show(); win.open_training_case_book()
    win.workspace.training_bar.presenting.setChecked(True)
    win.workspace.case_list.search.setText("martinez")
    win.workspace.open_case(win.workspace.case_list.model.summary(0).id)
    win.workspace.training_bar.buttons["week"].click()
    shoot(win, "training-presenting.png")
    win.workspace.show_deadlines(); shoot(win, "training-presenting-deadlines.png")
    win.close_case_book()
