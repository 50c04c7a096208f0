"""A subject access disclosure: everything held about a family, after the adviser has
withheld what must not be disclosed (other people's names, or whole records), and the
record of what was withheld. Plain values in, plain values out: no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from adviser_app.domain import vocab
from adviser_app.domain.graduated.expectations import EXPECTATIONS, CheckStatus
from adviser_app.domain.graduated.passport import TargetStatus
from adviser_app.domain.letters import Block, Letter, reading_text
from adviser_app.domain.statutory.events import DeadlineState, EventKind
from adviser_app.domain.validation import format_date, plural

WITHHELD = "[withheld]"

Records = Mapping[str, list[dict[str, Any]]]

# What a reader is shown of each table: a title and the columns worth reading, in order.
_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("family", "The family", ("family_name", "notes")),
    ("person", "Parents, carers and others", (
        "given_name", "family_name", "relationship", "address", "postcode", "phone", "email",
        "preferred_contact", "access_needs", "interpreter_language", "consent_to_share",
        "consent_date")),
    ("child", "Children and young people", (
        "given_name", "family_name", "date_of_birth", "school", "year_group",
        "local_authority", "status", "ehc_plan_issued", "ehc_plan_last_reviewed", "notes")),
    ("child_need", "Areas of need", ("area",)),
    ("case_file", "Cases", ("reference", "adviser", "state", "opened_on", "closed_on",
                            "service_user", "heard_from", "summary", "closing_note",
                            "outcome")),
    ("case_level_change", "Level of support", ("changed_on", "level")),
    ("case_status_change", "Times a case was waiting on the family", ("changed_on",
                                                                       "status")),
    ("case_evaluation_answer", "Your answers to our evaluation questions", (
        "question", "answer")),
    ("case_issue", "What each case is about", ("issue",)),
    ("timeline_entry", "Visits, calls, emails, meetings, letters and notes", (
        "entry_date", "kind", "contact", "minutes", "author", "body")),
    ("timeline_entry_version", "Earlier wordings of those entries", (
        "version", "entry_date", "kind", "author", "body", "saved_at")),
    ("task", "Tasks", ("title", "due_on", "done_on")),
    ("statutory_event", "Statutory events", ("event_date", "kind", "document", "notes")),
    ("deadline_mark", "Deadlines marked", ("deadline_key", "state", "state_on", "reason")),
    ("disagreement", "Disagreements (mediation and appeal)", ("answers",)),
    ("document", "Letters and summaries made", ("created_at", "title", "wording")),
    ("letter_recipient", "An address kept for the next letter, which mentions you", (
        "kept_for", "address")),
    ("ga_cycle", "SEN support: assess, plan, do, review", (
        "assessed_on", "assessed_by", "planned_on", "parents_told_on", "review_due",
        "senco_support", "reviewed_on", "parent_views", "pupil_views", "review_notes")),
    ("ga_cycle_area", "SEN support: areas", ("area",)),
    ("ga_evidence", "SEN support: evidence", ("description", "author", "given_on")),
    ("ga_outcome", "SEN support: outcomes", ("description", "progress_note")),
    ("ga_support", "SEN support: what was put in place", ("what", "who", "how_often",
                                                          "starts_on")),
    ("ga_parent_meeting", "Meetings with parents", ("met_on", "led_by", "notes")),
    ("ga_check", "SEN support checklist", ("item_key", "status", "evidence")),
    ("ga_passport", "Pupil passport", (
        "made_on", "review_on", "strengths", "needs_communication", "needs_cognition",
        "needs_semh", "needs_sensory", "what_helps", "what_doesnt", "communication",
        "sensory_medical", "triggers", "key_adults", "own_words", "parent_input")),
    ("ga_target", "Pupil passport targets", ("description", "set_on")),
    ("ga_target_check", "Target reviews", ("checked_on", "status", "note")),
    ("subject_access_request", "Requests for information", (
        "received_on", "requester", "about", "identity_check", "extended_on",
        "extension_reason", "answered_on")),
    ("subject_access_pause", "Waiting for clarification", ("asked_on", "answered_on")),
    ("retention_review", "Reviews of how long the records are kept", (
        "decided_on", "decision", "reason", "next_review")),
)
SECTION_TITLES = {table: title for table, title, _ in _SECTIONS}


@dataclass(frozen=True)
class Redaction:
    """What the adviser withholds: words (other people's names, say) blanked wherever they
    appear, and whole records left out, each with the reason that applies."""

    phrases: tuple[str, ...] = ()
    phrase_reason: str = ""
    records: tuple[tuple[str, str], ...] = ()  # (table, row key)
    record_reason: str = ""

    def problems(self) -> list[str]:
        out = []
        if any(p.strip() for p in self.phrases) and not self.phrase_reason.strip():
            out.append("Say why the words are withheld (for example, they name another "
                       "person).")
        if self.records and not self.record_reason.strip():
            out.append("Say why the chosen records are withheld.")
        return out


@dataclass(frozen=True)
class WithheldItem:
    what: str
    reason: str


@dataclass(frozen=True)
class Disclosure:
    records: dict[str, list[dict[str, Any]]]
    withheld: tuple[WithheldItem, ...] = field(default_factory=tuple)


def row_key(table: str, row: Mapping[str, Any]) -> str:
    """A row's identity: its id, or its parent's id with the other key parts."""
    if "id" in row:
        return str(row["id"])
    parts = [str(row[k]) for k in sorted(row) if k.endswith("_id") or k in (
        "version", "area", "issue", "deadline_key")]
    return f"{table}:" + "/".join(parts)


def _pattern(redaction: Redaction) -> re.Pattern[str] | None:
    phrases = sorted({p.strip() for p in redaction.phrases if p.strip()}, key=len,
                     reverse=True)
    return re.compile("|".join(re.escape(p) for p in phrases), re.IGNORECASE) \
        if phrases else None


def redact_text(text: str, redaction: Redaction) -> str:
    """One piece of text (the request's own wording) with the withheld words blanked."""
    pattern = _pattern(redaction)
    return pattern.sub(WITHHELD, text) if pattern is not None else text


def apply_redaction(records: Records, redaction: Redaction) -> Disclosure:
    pattern = _pattern(redaction)
    phrases = {p.strip().lower() for p in redaction.phrases if p.strip()}
    left_out = set(redaction.records)
    withheld: list[WithheldItem] = []
    blanked = 0
    out: dict[str, list[dict[str, Any]]] = {}
    for table, rows in records.items():
        kept = []
        for row in rows:
            if (table, row_key(table, row)) in left_out:
                withheld.append(WithheldItem(_describe(table, row), redaction.record_reason))
                continue
            clean = {}
            for column, value in row.items():
                if pattern is not None and isinstance(value, str):
                    value, n = pattern.subn(WITHHELD, value)
                    blanked += n
                clean[column] = value
            kept.append(clean)
        if kept:
            out[table] = kept
    if blanked:
        withheld.insert(0, WithheldItem(
            f"{plural(blanked, 'mention')} of "
            f"{plural(len(phrases), 'name or phrase', 'names or phrases')}, shown as "
            f"{WITHHELD}", redaction.phrase_reason))
    return Disclosure(out, tuple(withheld))


def _describe(table: str, row: Mapping[str, Any]) -> str:
    """A withheld record named without its content: its kind and date."""
    when = next((row[k] for k in ("entry_date", "event_date", "met_on", "created_at")
                 if row.get(k)), "")
    title = SECTION_TITLES.get(table, table.replace("_", " "))
    return f"One record from \u201c{title}\u201d" + (f" dated {_readable(str(when))}"
                                                        if when else "")


def _readable(value: str) -> str:
    """ISO dates as dd/mm/yyyy; other values as they are."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return format_date(date.fromisoformat(value))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", value):
        return format_date(date.fromisoformat(value[:10]))
    return value


_FLAGS = {"consent_to_share", "parental_responsibility"}
_CODES = {"relationship", "state", "kind", "status", "area", "issue", "decision",
          "preferred_contact", "item_key", "deadline_key", "service_user", "heard_from",
          "contact", "answer"}


def _labelled(kind: Callable[[Any], Any]) -> Callable[[Any], str]:
    return lambda value: str(kind(value).label)


_EXPECTATION_TITLES: dict[str, str] = {e.key: e.title for e in EXPECTATIONS}
# A stored code shown as the app shows it (a family reads "Social, emotional and mental
# health", not "social_emotional_mental_health"), by table and column.
_LABELS: dict[tuple[str, str], Callable[[Any], str]] = {
    ("person", "relationship"): _labelled(vocab.Relationship),
    ("person", "preferred_contact"): _labelled(vocab.ContactMethod),
    ("child", "status"): _labelled(vocab.ChildStatus),
    ("child_need", "area"): _labelled(vocab.AreaOfNeed),
    ("ga_cycle_area", "area"): _labelled(vocab.AreaOfNeed),
    ("case_file", "service_user"): _labelled(vocab.ServiceUser),
    ("case_file", "heard_from"): _labelled(vocab.HeardFrom),
    ("case_level_change", "level"): lambda value: vocab.SupportLevel(int(value)).label,
    ("case_status_change", "status"): _labelled(vocab.CaseStatus),
    ("case_evaluation_answer", "answer"): _labelled(vocab.EvaluationAnswer),
    ("case_issue", "issue"): _labelled(vocab.CaseIssue),
    ("timeline_entry", "kind"): _labelled(vocab.EntryKind),
    ("timeline_entry_version", "kind"): _labelled(vocab.EntryKind),
    ("timeline_entry", "contact"): _labelled(vocab.ContactWay),
    ("statutory_event", "kind"): _labelled(EventKind),
    ("deadline_mark", "state"): _labelled(DeadlineState),
    ("ga_check", "status"): _labelled(CheckStatus),
    ("ga_check", "item_key"): lambda value: _EXPECTATION_TITLES[value],
    ("ga_target_check", "status"): _labelled(TargetStatus),
}


def _cell(value: Any, column: str = "", table: str = "") -> str:
    if value is None or value == "":
        return ""
    if column in _FLAGS:
        return "Yes" if value else "No"
    if (table, column) in _LABELS:
        try:
            return _LABELS[table, column](value)
        except (KeyError, ValueError):
            pass  # a code this version does not know: shown as stored, in words
    if column in _CODES:
        return str(value).replace("_", " ").capitalize()
    if column == "answers":
        return _answers(str(value))
    if column == "wording":
        return reading_text(str(value))
    return _readable(str(value))


def _answers(text: str) -> str:
    """A disagreement's answers, one "question: answer" a line."""
    try:
        answers = json.loads(text)
    except ValueError:
        return text
    if not isinstance(answers, dict):
        return text
    lines = []
    for key, value in answers.items():
        if value in (None, "", [], {}):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"{key.replace('_', ' ')}: {_readable(shown)}")
    return "\n".join(lines)


def compose_document(disclosure: Disclosure, *, about: str, requester: str, today: date,
                     service: str, letters: list[str], audit: Sequence[Mapping[str, Any]],
                     letters_not_copied: int = 0, not_copied_reason: str = "") -> Letter:
    """The readable copy: every section with its rows, the letters sent, who accessed the
    records, and what was withheld and why."""
    blocks: list[Block] = [Block("paragraph", (
        f"This is a copy of the information {service} holds about {about}, made on "
        f"{format_date(today)} in answer to the request from {requester}. The same "
        "information is in the file disclosure.json, for a computer to read."))]
    for table, title, columns in _SECTIONS:
        rows = disclosure.records.get(table)
        if not rows:
            continue
        blocks.append(Block("heading", title))
        for row in rows:
            lines = tuple((column.replace("_", " ").capitalize(),
                           _cell(row.get(column), column, table))
                          for column in columns if _cell(row.get(column), column, table))
            if lines:
                blocks.append(Block("table", rows=lines))
    blocks.append(Block("heading", "Letters sent"))
    if letters:
        blocks += [Block("bullet", name) for name in letters]
        blocks.append(Block("paragraph", "Each letter is in this folder as it was sent."))
    elif letters_not_copied:
        blocks.append(Block("paragraph", "No letter is copied as it was sent: see \u201cWhat "
                                         "was withheld\u201d."))
    else:
        blocks.append(Block("paragraph", "No letters were kept on the case book."))
    blocks.append(Block("heading", "Who has looked at or changed these records"))
    if audit:
        blocks.append(Block("table", rows=tuple(
            (_cell(a["at"]), str(a["actor"]), str(a["action"]).replace("_", " "),
             str(a["record_type"]).replace("_", " ")) for a in audit)))
    else:
        blocks.append(Block("paragraph", "No entries."))
    blocks.append(Block("heading", "What was withheld"))
    if letters_not_copied:
        blocks.append(Block("bullet", (
            f"{plural(letters_not_copied, 'letter')} not copied "
            "as sent, because of words that are withheld; the wording, with those words "
            "withheld, is under \u201cLetters and summaries made\u201d. Reason: "
            f"{not_copied_reason}")))
    if disclosure.withheld:
        blocks += [Block("bullet", f"{w.what}. Reason: {w.reason}") for w in disclosure.withheld]
    elif not letters_not_copied:
        blocks.append(Block("paragraph", "Nothing was withheld."))
    return Letter(template="subject_access v1", title="Information we hold about you",
                  blocks=tuple(blocks), date_line=format_date(today))


# Records an adviser may need to leave out whole, and how each is named in the list.
_WITHHOLDABLE: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "person": lambda r: f"Person: {r['given_name']} {r['family_name']} "
                        f"({str(r['relationship']).replace('_', ' ')})",
    "timeline_entry": lambda r: f"{_readable(r['entry_date'])} "
                                f"{str(r['kind']).replace('_', ' ')}: {_short(r['body'])}",
    "task": lambda r: f"Task: {_short(r['title'])}",
    "statutory_event": lambda r: f"{_readable(r['event_date'])} "
                                 f"{str(r['kind']).replace('_', ' ')}: {_short(r['notes'])}",
    "document": lambda r: f"Letter of {_readable(str(r['created_at']))}: {r['title']}",
    "ga_parent_meeting": lambda r: f"Meeting with parents {_readable(r['met_on'])}: "
                                   f"{_short(r['notes'])}",
    "ga_evidence": lambda r: f"SEN support evidence: {_short(r['description'])}",
}


def _short(text: Any, limit: int = 70) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "\u2026"


def withholdable(records: Records) -> list[tuple[str, tuple[str, str]]]:
    """(label, (table, row key)) of each record the adviser may leave out whole."""
    out = []
    for table, name in _WITHHOLDABLE.items():
        for row in records.get(table, []):
            out.append((name(row), (table, row_key(table, row))))
    return out
