"""Showing PDF bytes inside the app (QtPdf), and printing them."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget


class PdfPreview(QPdfView):
    """A PDF viewer that owns the bytes it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]  # the stub wants a parent
        self.setAccessibleName("Preview")
        # The document and its buffer are owned here in Python, not as Qt children of the
        # view: deleting the view with its document as a child crashed Qt 6.12 (seen in tests).
        self.pdf_document = QPdfDocument()
        self.setDocument(self.pdf_document)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer: QBuffer | None = None

    def show_pdf(self, data: bytes) -> int:
        """Load *data* (from memory: a preview never touches the disk); returns the pages."""
        self.pdf_document.close()
        if self._buffer is None:
            self._buffer = QBuffer()
        self._buffer.close()
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf_document.load(self._buffer)
        return self.pdf_document.pageCount()


def print_pdf(document: QPdfDocument, parent: QWidget) -> bool:
    """Send each page to a printer the user picks."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, parent).exec() != QPrintDialog.DialogCode.Accepted:
        return False
    painter = QPainter(printer)
    try:
        rect = painter.viewport()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            image = document.render(page, QSize(rect.width(), rect.height()))
            painter.drawImage(rect, image)
    finally:
        painter.end()
    return True
