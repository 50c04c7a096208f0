"""Producing letters and summaries from a case: wording from the templates, values from the
case, a PDF kept on the case's timeline, and exports that say they are not encrypted."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from adviser_app.domain.letter_context import LetterContext, build_context
from adviser_app.domain.letters import Letter, Template, fill, missing_fields, parse_template, \
    to_blocks
from adviser_app.domain.records import EntryDetails
from adviser_app.domain.records import Case
from adviser_app.domain.validation import format_date, format_long_date
from adviser_app.domain.vocab import EntryKind
from adviser_app.paths import RESOURCES_DIR
from adviser_app.services import statutory
from adviser_app.store import (audit, cases, disagreements, documents, events, families,
                               letter_recipients, tasks, timeline)
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.settings import get_setting, is_training, set_setting

# The PDF code (reportlab, about a quarter of a second to load) is loaded when a letter is
# made, not when the case book opens (the workspace needs this module for other things).
if TYPE_CHECKING:
    from adviser_app.pdf.letters import Letterhead

LETTERS_DIR = RESOURCES_DIR / "letters"
LETTERHEAD_SETTING = "letterhead"
# Things only the person writing knows: asked for in the document form, not taken from the case.
TYPED_FIELDS = {"mediation_issues": "The issues for mediation",
                "health_provision": "Health provision wanted (or \u201cNone\u201d)",
                "evidence": "Evidence (reports, with authors and dates)",
                "send_support_history": "SEN support so far"}
LETTERHEAD_FIELDS = ("name", "address", "phone", "email", "footer", "signature_name",
                     "signature_role")
ADDRESSED = {"local authority": "the SEN team", "mediation adviser": "the mediation adviser"}
"""Audiences whose letters go to someone outside the family, and who that is. The To box of
the last one kept is offered again (store.letter_recipients, which also says when it goes with
a family's erasure)."""


@cache
def _shipped_templates() -> tuple[Template, ...]:
    """Read once: the templates ship with the app and do not change while it runs."""
    return tuple(sorted((parse_template(p.read_text(encoding="utf-8"))
                         for p in LETTERS_DIR.glob("*.txt")), key=lambda t: t.title))


def templates() -> list[Template]:
    return list(_shipped_templates())


def template(template_id: str) -> Template:
    for t in templates():
        if t.id == template_id:
            return t
    raise CaseBookError(f"There is no document called {template_id}.")


def letterhead(db: Database) -> dict[str, str]:
    try:
        stored = json.loads(get_setting(db, LETTERHEAD_SETTING, "{}"))
    except ValueError:
        stored = {}
    return {k: str(stored.get(k, "")) for k in LETTERHEAD_FIELDS + ("logo_hex",)}


def save_letterhead(db: Database, values: dict[str, str]) -> None:
    with db.atomic():
        set_setting(db, LETTERHEAD_SETTING, json.dumps(values, sort_keys=True))


def context(db: Database, case_id: str, today: date) -> LetterContext:
    case = cases.get_case(db, case_id)
    ctx = build_context(
        case=case, family=families.get_family(db, case.family_id),
        tasks=tasks.list_tasks(db, case_id), deadlines=statutory.case_deadlines(db, case_id),
        events=events.events_for_case(db, case_id),
        # the letters use only the latest home visit: a case can have thousands of entries
        timeline=[visit for visit in [timeline.latest_entry_of_kind(
            db, case_id, EntryKind.HOME_VISIT)] if visit is not None],
        letterhead=letterhead(db), today=today,
        disagreements=disagreements.for_case(db, case_id))
    _add_graduated(db, case, ctx, today)
    return ctx


def _add_graduated(db: Database, case: Case, ctx: LetterContext, today: date) -> None:
    """The graduated-approach summary and pupil passport of the case's (first) child."""
    from adviser_app.services.graduated import summary

    child_ids = sorted(case.details.child_ids)
    if not child_ids:
        return
    ga = summary(db, child_ids[0], today)
    ctx.values["ga_position"] = ga.position
    ctx.tables["ga_cycles"] = _grouped([(f"{title}: {section.heading}", line)
                                        for title, sections in ga.cycles
                                        for section in sections for line in section.lines])
    ctx.tables["ga_evidence"] = [(format_date(e.given_on), e.description,
                                  f"{e.author} ({e.kind})") for e in ga.evidence]
    ctx.tables["ga_meetings"] = [(line,) for line in ga.meetings]
    ctx.tables["ga_gaps"] = [(gap.text, gap.source) for gap in ga.gaps]
    ctx.tables["passport"] = _grouped([(section.heading, line) for section in ga.passport
                                       for line in section.lines])


def _grouped(rows: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Show a heading once, on the first of its rows."""
    out: list[tuple[str, ...]] = []
    last = None
    for heading, line in rows:
        out.append(("" if heading == last else heading, line))
        last = heading
    return out


@dataclass(frozen=True)
class Draft:
    template: Template
    wording: str  # the template with the case's values filled in, for the adviser to edit
    to_type: list[str]  # fields the adviser must type (see TYPED_FIELDS)
    missing: list[str]  # plain names of things missing from the case
    recipient: str
    recipient_note: str = ""
    """Where the To box came from, or what to type in it."""


def _addressed_to(db: Database, audience: str, ctx: LetterContext) -> tuple[str, str]:
    """The To box for a letter to the local authority or the mediation adviser: the one
    kept last time for this child's local authority, or empty with what to type."""
    council = ctx.values.get("child_la", "").strip()
    who = ADDRESSED[audience]
    at = f" at {council}" if council else ""
    known = letter_recipients.remembered(db).get(letter_recipients.key_for(audience, council),
                                                 "")
    if known:
        return known, (f"Filled in as on the last letter kept for {who}{at}: check it is "
                       "still right.")
    if council:
        return "", (f"Type {who}'s name and address{at}, one line each. It will be "
                    "offered again for this local authority's next letter.")
    return "", (f"Type {who}'s name and address, one line each. The child's local "
                "authority is not recorded: add it to the child's details so the address can "
                "be offered next time.")


def start(db: Database, case_id: str, template_id: str, today: date,
          ctx: LetterContext | None = None) -> Draft:
    chosen = template(template_id)
    ctx = ctx or context(db, case_id, today)
    gaps = missing_fields(chosen.body, ctx.values)
    to_type = [g for g in gaps if g in TYPED_FIELDS]
    missing = ctx.missing_labels([g for g in gaps if g not in TYPED_FIELDS])
    known = {k: v for k, v in ctx.values.items() if v}
    recipient, note = "", ""
    if chosen.audience == "family":
        recipient = "\n".join(ctx.parent_lines)
    elif chosen.audience in ADDRESSED:
        recipient, note = _addressed_to(db, chosen.audience, ctx)
    return Draft(chosen, fill(chosen.body, known), to_type, missing, recipient.strip(), note)


def compose(db: Database, case_id: str, template_id: str, wording: str,
            typed: dict[str, str], recipient: str, today: date,
            ctx: LetterContext | None = None) -> Letter:
    """The letter as it will print; refuses (saying what) if anything is still missing."""
    chosen = template(template_id)
    ctx = ctx or context(db, case_id, today)
    values = {**{k: v for k, v in ctx.values.items() if v},
              **{k: v.strip() for k, v in typed.items() if v.strip()}}
    gaps = missing_fields(wording, values)
    if gaps:
        raise CaseBookError("Before this document can be made, fill in: "
                            + "; ".join(ctx.missing_labels(gaps)) + ".")
    to_lines = tuple(x for x in recipient.splitlines() if x.strip())
    if not to_lines and chosen.audience in ADDRESSED:
        raise CaseBookError(f"The To box is empty: type {ADDRESSED[chosen.audience]}'s name "
                            "and address, one line each, so the letter can be posted.")
    if not to_lines and chosen.audience == "family":
        raise CaseBookError("The To box is empty: type the parent's or young person's name "
                            "and address, one line each.")
    head = letterhead(db)
    from_family = chosen.audience in ADDRESSED
    signature: tuple[str, ...] = () if from_family else tuple(
        x for x in (head.get("signature_name") or ctx.values.get("adviser", ""),
                    head.get("signature_role", ""), head.get("name", "")) if x)
    meta = {}
    if from_family:  # the parent writes: their name and address head the letter
        meta = {"sender_name": values.get("parent_name", ""),
                "sender_address": "\n".join(ctx.parent_lines[1:]),
                "sender_phone": values.get("parent_phone", ""),
                "sender_email": values.get("parent_email", ""),
                "recipient_key": letter_recipients.key_for(chosen.audience,
                                                           values.get("child_la", ""))}
    return Letter(template=chosen.reference, title=chosen.title,
                  blocks=to_blocks(fill(wording, values), ctx.tables),
                  date_line=format_long_date(today),
                  recipient=to_lines,
                  signature=signature, meta=meta)


def standard_letter(db: Database, case_id: str, template_id: str,
                    today: date) -> tuple[Letter, str]:
    """The letter in the template's own wording for this case, nothing typed (for many cases
    at once), with that wording; refuses, saying what, if the case lacks something."""
    ctx = context(db, case_id, today)
    draft = start(db, case_id, template_id, today, ctx)
    return compose(db, case_id, template_id, draft.wording, {}, draft.recipient, today,
                   ctx), draft.wording


def pdf_letterhead(db: Database) -> Letterhead:
    from adviser_app.pdf.letters import Letterhead

    head = letterhead(db)
    if not head["name"]:
        raise CaseBookError("Set the service's name and address first (Tools \u203a "
                            "Letterhead and signature).")
    return Letterhead(name=head["name"], address=head["address"], phone=head["phone"],
                      email=head["email"], footer=head["footer"] or Letterhead.footer,
                      logo_png=bytes.fromhex(head["logo_hex"]) if head["logo_hex"] else None)


def head_for(letter: Letter, service: Letterhead) -> Letterhead:
    """Letters the parent sends carry the parent's name and address at the top."""
    from adviser_app.pdf.letters import Letterhead

    if not letter.meta.get("sender_name"):
        return service
    return Letterhead(name=letter.meta["sender_name"],
                      address=letter.meta.get("sender_address", ""),
                      phone=letter.meta.get("sender_phone", ""),
                      email=letter.meta.get("sender_email", ""), footer=service.footer)


def preview(db: Database, letter: Letter) -> bytes:
    from adviser_app.pdf.letters import render

    return render(letter, head_for(letter, pdf_letterhead(db)), training=is_training(db))


def render_many(letters: list[Letter], service: Letterhead, training: bool,
                progress: Callable[[int], None] = lambda _done: None,
                cancelled: Callable[[], bool] = lambda: False) -> list[bytes]:
    """Pure work for a background thread: no database, just letters in and PDFs out.
    Stops early (returning what is done) when *cancelled* says so."""
    from adviser_app.pdf.letters import render

    out = []
    for number, letter in enumerate(letters, start=1):
        if cancelled():
            break
        out.append(render(letter, head_for(letter, service), training=training))
        progress(number)
    return out


def keep(db: Database, case_id: str, letter: Letter, wording: str, pdf: bytes, actor: str,
         today: date) -> str:
    """Keep a rendered PDF on the case and note it on the timeline, in one transaction."""
    template_id, _, version = letter.template.partition(" v")
    with db.atomic():
        doc_id = documents.insert_document(db, case_id, template_id, int(version),
                                           letter.title, wording, pdf, actor)
        timeline.insert_entry(db, case_id, EntryDetails(
            EntryKind.LETTER, today, actor,
            f"Produced: {letter.title}. Kept on the case."), actor)
        audit.record(db, actor, "created", "document", doc_id, letter.template)
        if letter.meta.get("recipient_key") and letter.recipient:
            letter_recipients.remember(db, letter.meta["recipient_key"],
                                       "\n".join(letter.recipient))
    return doc_id


def produce(db: Database, case_id: str, letter: Letter, wording: str, actor: str,
            today: date) -> tuple[str, bytes]:
    """Render and keep one document."""
    pdf = preview(db, letter)
    return keep(db, case_id, letter, wording, pdf, actor, today), pdf


def export(db: Database, doc_id: str, path: Path, actor: str) -> None:
    """Write a kept document to a file outside the case book (that file is not encrypted)."""
    pdf = documents.document_pdf(db, doc_id)
    tmp = path.with_name(path.name + ".partial")
    tmp.write_bytes(pdf)
    tmp.replace(path)
    with db.atomic():
        audit.record(db, actor, "exported", "document", doc_id)


def export_accessible(db: Database, doc_id: str, letter: Letter, path: Path,
                      actor: str) -> None:
    """The kept letter as an accessible Word file (headings, lists, tables, title and
    language a screen reader can follow; the PDF cannot be tagged): not encrypted either.
    Only while it is being kept: see NO_WORD_COPY_LATER."""
    from adviser_app.pdf.letters_docx import render_docx  # lxml loads only when asked for

    data = render_docx(letter, head_for(letter, pdf_letterhead(db)), training=is_training(db))
    tmp = path.with_name(path.name + ".partial")
    tmp.write_bytes(data)
    tmp.replace(path)
    with db.atomic():
        audit.record(db, actor, "exported", "document", doc_id, "accessible Word copy")


NO_WORD_COPY_LATER = (
    "A Word copy can only be made while a letter is being kept, in Letters and summaries. "
    "The case book keeps each letter as the PDF that was sent, with its wording, but not "
    "everything a Word copy is built from: the To lines, the answers typed for it, and the "
    "tables of dates and notes as they stood that day. Made again from the case as it is now, "
    "it could differ from the letter that was sent, so the app does not try. Export the PDF; "
    "if a Word copy is needed, make the letter again and export its Word copy as you keep it.")
"""Why a letter kept on the case has no Word copy later (the letter as sent is the PDF)."""

_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def export_file_name(db: Database, case_id: str, title: str, made_on: date,
                     suffix: str = ".pdf") -> str:
    """The name offered when exporting: the case reference first, so exported letters sort by
    case, then the title and the date ("SA-2026-0012 Your case summary 2026-12-06.pdf")."""
    reference = cases.get_case(db, case_id).reference
    name = _NOT_IN_FILE_NAMES.sub("-", f"{reference} {title} {made_on.isoformat()}")
    return f"{name.strip(' .')}{suffix}"
