"""The service's letterhead and signature, used on every letter and summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from adviser_app.domain.validation import Checker, Problem
from adviser_app.services import documents
from adviser_app.ui.form_support import ValidatingForm, text_area, text_field
from adviser_app.ui.case_book.session import Session

MAX_LOGO = 2_000_000


class LetterheadDialog(ValidatingForm):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Letterhead and signature", parent)
        self.session = session
        current = documents.letterhead(session.db)
        self.name = self.add_row("Service name:", "name",
                                 text_field("Service name", current["name"]))
        self.address = self.add_row("Address:", "address",
                                    text_area("Service address", current["address"]))
        self.address.setMaximumHeight(80)
        self.phone = self.add_row("Phone:", "phone", text_field("Phone", current["phone"]))
        self.email = self.add_row("Email:", "email", text_field("Email", current["email"]))
        self.footer = self.add_row("Data-protection footer:", "footer",
                                   text_field("Data-protection footer", current["footer"]))
        self.signature_name = self.add_row("Signed by (leave empty for the adviser):",
                                           "signature_name",
                                           text_field("Signed by", current["signature_name"]))
        self.signature_role = self.add_row("Role under the signature:", "signature_role",
                                           text_field("Role", current["signature_role"]))
        self.logo_hex = current["logo_hex"]
        self.logo_button = self.add_row("Logo (PNG):", "logo", QPushButton(
            "Change the logo…" if self.logo_hex else "Choose a logo…"))
        self.logo_button.clicked.connect(self.choose_logo)
        self.resize(560, 460)

    def logo_path(self) -> Path | None:
        """Ask for the logo file. Tests replace this."""
        name, _ = QFileDialog.getOpenFileName(self, "Logo", "", "PNG images (*.png)")
        return Path(name) if name else None

    def choose_logo(self) -> None:
        path = self.logo_path()
        if path is None:
            return
        data = path.read_bytes()
        if not data.startswith(b"\x89PNG") or len(data) > MAX_LOGO:
            self.show_problems([Problem("logo", "The logo must be a PNG image under 2 MB.")])
            return
        self.logo_hex = data.hex()
        self.logo_button.setText("Change the logo… (chosen)")

    def save(self) -> list[Problem]:
        c = Checker()
        values = {
            "name": c.text("name", "Service name", self.name.text(), required=True),
            "address": c.text("address", "Address", self.address.toPlainText(),
                              multiline=True, max_len=500),
            "phone": c.phone("phone", self.phone.text()),
            "email": c.email("email", self.email.text()),
            "footer": c.text("footer", "Footer", self.footer.text(), max_len=160),
            "signature_name": c.text("signature_name", "Signed by", self.signature_name.text()),
            "signature_role": c.text("signature_role", "Role", self.signature_role.text()),
            "logo_hex": self.logo_hex}
        if not c.ok:
            return c.problems
        documents.save_letterhead(self.session.db, values)
        return []
