"""Export everything held about a family for a subject access request: a readable PDF, a
machine-readable JSON file and each letter as it was sent, in a new folder inside the one
the adviser chooses. The files are NOT encrypted (the window says so before export)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from adviser_app.domain.disclosure import (Redaction, apply_redaction, compose_document,
                                           redact_text, row_key)
from adviser_app.domain.disclosure import withholdable as domain_withholdable
from adviser_app.pdf.letters import render
from adviser_app.services.documents import pdf_letterhead
from adviser_app.store import audit, disclosure
from adviser_app.store import subject_access as requests
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.settings import is_training


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    files: tuple[str, ...]
    withheld: int


def withholdable(db: Database, request_id: str) -> list[tuple[str, tuple[str, str]]]:
    """The records the adviser may leave out whole (for the redaction step)."""
    return domain_withholdable(disclosure.family_records(db, _family_of(db, request_id)))


def _family_of(db: Database, request_id: str) -> str:
    family_id = requests.get_request(db, request_id).family_id
    if not family_id:
        raise CaseBookError("This request is not linked to a family in the case book, so "
                            "there is nothing to export.")
    return family_id


def _new_folder(parent: Path, today: date, reference: str) -> Path:
    """A new folder named by the family's case reference (never a name: the folder's name
    shows in any file list) and the day, numbered if one is there already."""
    named = f" {_safe(reference)}" if reference else ""
    base = parent / f"Subject access request{named} {today.isoformat()}"
    folder, number = base, 1
    while folder.exists():
        number += 1
        folder = base.with_name(f"{base.name} ({number})")
    folder.mkdir(mode=0o700)
    return folder


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".partial")
    with tmp.open("xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def _safe(name: str) -> str:
    return re.sub(r"[^\w .()-]+", "-", name, flags=re.UNICODE).strip(" .-")[:80] or "letter"


def export_everything(db: Database, request_id: str, parent: Path, redaction: Redaction,
                      today: date, actor: str) -> ExportResult:
    problems = redaction.problems()
    if problems:
        raise CaseBookError(" ".join(problems))
    request = requests.get_request(db, request_id)
    family_id = _family_of(db, request_id)
    records = disclosure.family_records(db, family_id)
    result = apply_redaction(records, redaction)
    withheld_docs = {key for table, key in redaction.records if table == "document"}
    phrases = [p.strip().lower() for p in redaction.phrases if p.strip()]
    wording = {r["id"]: str(r["wording"]).lower() for r in records.get("document", [])}
    letters: list[tuple[str, bytes]] = []
    not_copied = 0
    for number, (doc_id, title, made, pdf) in enumerate(
            disclosure.letter_pdfs(db, family_id), start=1):
        if doc_id in withheld_docs:
            continue
        if any(p in wording.get(doc_id, "") for p in phrases):
            not_copied += 1  # its wording, with the words withheld, is in the document
            continue
        letters.append((f"letter {number:02d} {made[:10]} {_safe(title)}.pdf", pdf))
    ids = {row_key(table, row) for table, rows in records.items() for row in rows}
    entries = disclosure.audit_entries_about(db, ids)
    head = pdf_letterhead(db)
    about, requester = (redact_text(request.about, redaction),
                        redact_text(request.requester, redaction))
    document = compose_document(result, about=about, requester=requester,
                                today=today, service=head.name,
                                letters=[name for name, _ in letters], audit=entries,
                                letters_not_copied=not_copied,
                                not_copied_reason=redaction.phrase_reason)
    reference = requests.latest_cases(db, [family_id]).get(family_id, {}).get("reference", "")
    folder = _new_folder(parent, today, reference)
    files = ["disclosure.pdf", "disclosure.json"]
    _write(folder / "disclosure.pdf", render(document, head, training=is_training(db)))
    payload = {"about": about, "requested_by": requester,
               "request_received": request.received_on.isoformat(),
               "exported_on": today.isoformat(), "service": head.name,
               "records": result.records,
               "letters_as_sent": [name for name, _ in letters],
               "withheld": [{"what": w.what, "reason": w.reason} for w in result.withheld]
               + ([{"what": f"{not_copied} letter(s) not copied as sent because they hold "
                    "withheld words; their wording is under records.document",
                    "reason": redaction.phrase_reason}] if not_copied else [])}
    _write(folder / "disclosure.json",
           json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"))
    for name, pdf in letters:
        _write(folder / name, pdf)
        files.append(name)
    withheld = len(result.withheld) + not_copied
    with db.atomic():
        audit.record(db, actor, "exported", "subject_access_request", request_id,
                     f"{len(files)} files, {withheld} withheld")
    return ExportResult(folder, tuple(files), withheld)

