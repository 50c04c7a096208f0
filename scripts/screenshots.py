"""Take the README screenshots under Xvfb.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py OUT


Uses a throwaway data folder and the training case book, so no real data is ever shown.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from adviser_app.app import load_fonts
from adviser_app.ui.main_window import MainWindow
from adviser_app.services import documents
from adviser_app.ui.deadlines.calculator_dialog import CalculatorDialog
from adviser_app.ui.documents.document_dialog import DocumentDialog
from adviser_app.domain.mediation import Choice, Decision
from adviser_app.ui.mediation.mediation_wizard import MediationWizard
from adviser_app.ui.case_view.new_case_dialog import NewCaseDialog


def shoot(app: QApplication, window: QWidget, path: Path) -> None:
    for _ in range(20):
        app.processEvents()
    screen = window.screen()
    screen.grabWindow(window.winId()).save(str(path))
    print("wrote", path)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("adviser-toolkit")
    load_fonts(app)
    today = date(2026, 11, 28)
    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(Path(folder), actor="Harriet Lowe", today=lambda: today)
        window.resize(1360, 820)
        window.show()
        shoot(app, window, out / "first-run.png")
        window.book.open_training_case_book()
        shoot(app, window, out / "case-list.png")
        assert window.workspace is not None
        window.workspace.case_list.search.setText("okaf")
        window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
        shoot(app, window, out / "case-view.png")
        window.workspace.detail.tabs.setCurrentIndex(1)
        shoot(app, window, out / "case-tasks.png")
        window.workspace.case_list.search.setText("shah")
        window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
        detail = window.workspace.detail
        detail.tabs.setCurrentWidget(detail.statutory)
        detail.statutory.deadlines_view.selectRow(0)
        shoot(app, window, out / "case-statutory.png")
        window.workspace.show_deadlines()
        shoot(app, window, out / "deadlines.png")
        window.workspace.show_cases()
        calc = CalculatorDialog(window.workspace.deadlines._calendar, window)
        calc.choose("appeal")
        calc.set_value("letter", "03/03/2025")
        calc.work_out.click()
        calc.show()
        shoot(app, calc, out / "calculator.png")
        calc.close()
        documents.save_letterhead(window.session.db, {
            "name": "Example SENDIASS (training)", "address": "1 Example Street\nLeeds LS1 1AA",
            "phone": "0113 496 0000", "email": "sendiass@example.org", "footer": "",
            "signature_name": "", "signature_role": "SEND adviser", "logo_hex": ""})
        window.workspace.case_list.search.setText("okafor")
        okafor = window.workspace.case_list.model.summary(0).id
        letters = DocumentDialog(window.session, okafor, "case_summary", window)
        letters.show_preview()
        letters.show()
        shoot(app, letters, out / "letter-preview.png")
        letters.close()
        window.workspace.case_list.search.setText("wisniewski")
        window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
        detail = window.workspace.detail
        wizard = MediationWizard(window.session, detail.case.id, detail.family, None, window)
        wizard.show()
        wizard.currentPage().decision.select(Decision.REFUSE_ASSESS)
        shoot(app, wizard, out / "wizard-1-decision.png")
        wizard.next()
        wizard.currentPage().letter_dated.setText("02/11/2026")
        shoot(app, wizard, out / "wizard-2-dates.png")
        wizard.next()
        wizard.currentPage().choice.select(Choice.CERTIFICATE_ONLY)
        wizard.currentPage().adviser_told.setText("20/11/2026")
        shoot(app, wizard, out / "wizard-3-choice.png")
        wizard.next()
        shoot(app, wizard, out / "wizard-5-summary.png")
        wizard.close()
        dialog = NewCaseDialog(window.session, window)
        dialog.person.given_name.setText("Grace")
        dialog.person.family_name.setText("Okafor")
        dialog.person.email.setText("grace@")
        dialog.child.given_name.setText("Tobi")
        dialog.child.date_of_birth.setText("30/02/2017")
        dialog.show()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        shoot(app, dialog, out / "form-problems.png")
        dialog.close()
        window.book.close_case_book()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
