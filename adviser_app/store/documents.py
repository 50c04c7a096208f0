"""Produced documents: the PDF bytes exactly as made, stored in the encrypted case book."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from adviser_app.store.rows import get_row, new_id, stamps


@dataclass(frozen=True)
class StoredDocument:
    id: str
    case_id: str
    template_id: str
    template_version: int
    title: str
    wording: str
    created_at: str
    created_by: str


def insert_document(db: Database, case_id: str, template_id: str, template_version: int,
                    title: str, wording: str, pdf: bytes, actor: str) -> str:
    doc_id = new_id()
    db.execute("INSERT INTO document (id, case_id, template_id, template_version, title, "
               "wording, pdf, created_at, updated_at, updated_by) VALUES "
               "(:id, :case, :tid, :tv, :title, :wording, :pdf, :created_at, :updated_at, "
               ":updated_by)",
               {"id": doc_id, "case": case_id, "tid": template_id, "tv": template_version,
                "title": title, "wording": wording, "pdf": pdf,
                **stamps(actor, created=True)})
    return doc_id


def documents_for_case(db: Database, case_id: str) -> list[StoredDocument]:
    return [StoredDocument(r["id"], r["case_id"], r["template_id"], r["template_version"],
                           r["title"], r["wording"], r["created_at"], r["updated_by"])
            for r in db.query("SELECT id, case_id, template_id, template_version, title, "
                              "wording, created_at, updated_by FROM document WHERE case_id = ? "
                              "ORDER BY created_at DESC", [case_id])]


def document_pdf(db: Database, doc_id: str) -> bytes:
    return bytes(get_row(db, "document", doc_id, "document", "pdf")["pdf"])
