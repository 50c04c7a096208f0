"""Subject access requests, one function per thing the service does: record a request, stop
and restart the clock for clarification, extend it, and mark it answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from adviser_app.services.due_rows import DueRow
from adviser_app.domain.statutory.deadline import Deadline
from adviser_app.domain.subject_access import extension_problem, paused_since, response_due
from adviser_app.domain.validation import format_date
from adviser_app.store import audit
from adviser_app.store import subject_access as rows
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.subject_access import SubjectAccessRequest

__all__ = ["RequestClock", "SubjectAccessRequest", "record_request", "ask_clarification",
           "clarification_received", "extend", "mark_answered", "clock", "open_clocks",
           "all_clocks", "family_choices", "open_request_rows", "SAR_GROUP"]


@dataclass(frozen=True)
class RequestClock:
    request: SubjectAccessRequest
    due: Deadline | None  # None while the clock is stopped
    paused_since: date | None

    @property
    def deadline(self) -> Deadline:
        """The date the answer is due (only asked of a request whose clock is running)."""
        if self.due is None:
            raise ValueError("the clock is stopped for clarification")
        return self.due

    def status(self, today: date) -> str:
        if self.request.answered_on:
            return f"Answered on {format_date(self.request.answered_on)}"
        if self.paused_since:
            return (f"Clock stopped since {format_date(self.paused_since)}: waiting for "
                    "clarification")
        assert self.due is not None
        if self.due.due < today:
            return f"Overdue: the answer was due by {format_date(self.due.due)}"
        return f"Answer due by {format_date(self.due.due)}"


def clock(request: SubjectAccessRequest) -> RequestClock:
    due = response_due(request.received_on, extended=request.extended_on is not None,
                       pauses=request.pauses)
    return RequestClock(request, due, paused_since(request.pauses))


def record_request(db: Database, *, family_id: str | None, requester: str, about: str,
                   received_on: date, identity_check: str, today: date, actor: str) -> str:
    problems = []
    if not requester.strip():
        problems.append("Say who made the request.")
    if not about.strip():
        problems.append("Say whom the request is about.")
    if received_on > today:
        problems.append("The date received can't be in the future.")
    if problems:
        raise CaseBookError(" ".join(problems))
    with db.atomic():
        request_id = rows.insert_request(
            db, family_id=family_id, requester=requester.strip(), about=about.strip(),
            received_on=received_on, identity_check=identity_check.strip(), actor=actor)
        audit.record(db, actor, "created", "subject_access_request", request_id)
    return request_id


def ask_clarification(db: Database, request_id: str, asked_on: date, actor: str) -> None:
    request = rows.get_request(db, request_id)
    if paused_since(request.pauses) is not None:
        raise CaseBookError("The clock is already stopped: record the clarification first.")
    if asked_on < request.received_on:
        raise CaseBookError("Clarification can't be asked for before the request arrived.")
    with db.atomic():
        rows.insert_pause(db, request_id, asked_on, actor)
        audit.record(db, actor, "changed", "subject_access_request", request_id, "paused")


def clarification_received(db: Database, request_id: str, answered_on: date,
                           actor: str) -> None:
    request = rows.get_request(db, request_id)
    since = paused_since(request.pauses)
    if since is None:
        raise CaseBookError("The clock is not stopped for clarification.")
    if answered_on < since:
        raise CaseBookError(f"The clarification can't arrive before it was asked for "
                            f"({format_date(since)}).")
    with db.atomic():
        rows.end_open_pause(db, request_id, answered_on, actor)
        audit.record(db, actor, "changed", "subject_access_request", request_id, "resumed")


def extend(db: Database, request_id: str, decided_on: date, reason: str, actor: str) -> None:
    request = rows.get_request(db, request_id)
    problem = extension_problem(request.received_on, decided_on, reason, request.pauses)
    if problem:
        raise CaseBookError(problem)
    with db.atomic():
        rows.set_extension(db, request_id, decided_on, reason.strip(), actor)
        audit.record(db, actor, "changed", "subject_access_request", request_id, "extended")


def mark_answered(db: Database, request_id: str, answered_on: date, actor: str) -> None:
    request = rows.get_request(db, request_id)
    if answered_on < request.received_on:
        raise CaseBookError("The answer can't be sent before the request arrived.")
    with db.atomic():
        rows.set_answered(db, request_id, answered_on, actor)
        audit.record(db, actor, "changed", "subject_access_request", request_id, "answered")


def family_choices(db: Database) -> list[tuple[str, str]]:
    return rows.family_choices(db)


def all_clocks(db: Database) -> list[RequestClock]:
    return [clock(r) for r in rows.list_requests(db)]


SAR_GROUP = "Subject access requests"
OFFICE = "The office"


def open_request_rows(db: Database) -> list[DueRow[RequestClock]]:
    """Every unanswered request whose clock is running (a stopped clock has no date)."""
    clocks = [c for c in open_clocks(db) if c.due is not None]
    cases = rows.latest_cases(db, sorted({c.request.family_id for c in clocks
                                          if c.request.family_id}))
    out = []
    for c in clocks:
        case = cases.get(c.request.family_id or "", {})
        out.append(DueRow(c, case.get("id", ""), case.get("reference", ""),
                          case.get("family_name", ""),
                          f"{c.request.about} (asked by {c.request.requester})",
                          case.get("adviser", OFFICE), SAR_GROUP))
    return out


def open_clocks(db: Database) -> list[RequestClock]:
    """Unanswered requests with their clocks, for the Deadlines view."""
    return [clock(r) for r in rows.list_requests(db, open_only=True)]
