"""The service's own lists for its figures: the outcomes a case can close with and the
evaluation questions asked on closing. Each service edits them; these are the starting lists."""

from __future__ import annotations

from collections.abc import Iterable

from adviser_app.domain.validation import Problem

DEFAULT_OUTCOMES = (
    "Information given; no further help needed",
    "Family able to go on with the advice given",
    "Agreement reached with the school or setting",
    "EHC needs assessment agreed",
    "EHC plan issued or amended",
    "Agreement reached at mediation",
    "Appeal decided or settled",
    "Referred to another service",
    "Family stopped contact",
    "Other",
)

DEFAULT_QUESTIONS = (
    "Did we help you understand the SEND process?",
    "Do you feel more confident to take part in decisions about your child?",
    "Would you recommend the service to others?",
)

MAX_ITEM = 200
MAX_ITEMS = 40


def clean_list(lines: Iterable[str], what: str, field: str) -> tuple[list[str], list[Problem]]:
    """One item a line: blank lines and repeats dropped; too long or too many explained."""
    out: list[str] = []
    problems: list[Problem] = []
    for line in lines:
        item = " ".join(line.split())
        if not item or item.casefold() in (o.casefold() for o in out):
            continue
        if len(item) > MAX_ITEM:
            problems.append(Problem(field, f"Each {what} can be at most {MAX_ITEM} characters "
                                           f"(\u201c{item[:30]}\u2026\u201d is longer)."))
        out.append(item)
    if not out:
        problems.append(Problem(field, f"Give at least one {what}, one a line."))
    if len(out) > MAX_ITEMS:
        problems.append(Problem(field, f"At most {MAX_ITEMS} of them, please."))
    return out, problems
