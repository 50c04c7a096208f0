"""SEN support reviews that are due: the date agreed in each plan, not yet reviewed, as a
Deadline the Deadlines view can show beside the statutory ones (CoP 6.52-6.54)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from adviser_app.domain.statutory.deadline import Confidence, Deadline, long
from adviser_app.domain.graduated.cycles import Cycle

REVIEW_KEY = "sen_support_review"
REVIEW_SOURCE = "CoP 6.52\u20136.54 [C2/M]"
REVIEW_GROUP = "SEN support reviews"


@dataclass(frozen=True)
class ReviewDue:
    """A cycle whose agreed review date is set but which has no review recorded."""

    cycle: Cycle
    deadline: Deadline

    @property
    def is_open(self) -> bool:
        return True

    @property
    def child_id(self) -> str:
        return self.cycle.details.child_id


def review_deadline(cycle: Cycle, child_name: str = "") -> Deadline | None:
    """The review of *cycle* as a Deadline, or None once reviewed or with no agreed date."""
    d = cycle.details
    if d.review_due is None or d.reviewed_on is not None:
        return None
    who = f"{child_name}'s" if child_name else "the pupil's"
    planned = (f"In the plan of {long(d.planned_on)} the school agreed" if d.planned_on
               else "The school agreed")
    inputs = tuple((name, day) for name, day in (("Plan agreed", d.planned_on),
                                                 ("Review date agreed", d.review_due))
                   if day is not None)
    return Deadline(
        key=REVIEW_KEY, label=f"SEN support review (cycle {cycle.number})", due=d.review_due,
        source=REVIEW_SOURCE, confidence=Confidence.SECONDARY,
        explanation=(f"{planned} to review {who} SEN support on {long(d.review_due)}. The Code "
                     "expects the school to review how well the support is working on the "
                     "agreed date, with the parents and the pupil, and to agree what happens "
                     "next. This date was agreed by the school, not set by law."),
        inputs=inputs,
        note=("send-rules.md marks this C2/M: paragraphs 6.52-6.53 are confirmed by secondary "
              "sources; 6.54 by one secondary source only, so check it before quoting it."))


def reviews_due(cycles: Iterable[Cycle], child_name: str = "") -> list[ReviewDue]:
    """Every unreviewed cycle with an agreed review date, soonest first."""
    out = []
    for cycle in cycles:
        deadline = review_deadline(cycle, child_name)
        if deadline is not None:
            out.append(ReviewDue(cycle, deadline))
    return sorted(out, key=lambda r: (r.deadline.due, r.cycle.number))
