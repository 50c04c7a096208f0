"""When a closed case is due for a retention review (UK GDPR storage limitation).

There is no national retention period for SENDIASS records (send-rules.md: local policies
only, for example 6 years), so the service sets its own. The default: review a closed case
once it has been closed for 6 years AND its youngest child has turned 25, whichever comes
later. Both numbers are the service's to change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from adviser_app.domain.statutory.deadline import Confidence, Deadline, long
from adviser_app.domain.statutory.periods import anniversary
from adviser_app.domain.validation import plural

DEFAULT_YEARS_CLOSED = 6
DEFAULT_YOUNGEST_AGE = 25
_SOURCE = "The service's retention policy (UK GDPR Art 5(1)(e), storage limitation)"


@dataclass(frozen=True)
class RetentionPolicy:
    years_closed: int = DEFAULT_YEARS_CLOSED
    youngest_age: int = DEFAULT_YOUNGEST_AGE

    def problems(self) -> dict[str, str]:
        """Plain-English problems by field name; empty when the policy can be saved."""
        out: dict[str, str] = {}
        if not 1 <= self.years_closed <= 100:
            out["years_closed"] = "Enter a number of years from 1 to 100."
        if not 0 <= self.youngest_age <= 100:
            out["youngest_age"] = "Enter an age from 0 to 100."
        return out


def review_due(policy: RetentionPolicy, closed_on: date | None,
               children_born: Iterable[date | None]) -> Deadline | None:
    """The review date of a case closed on *closed_on*, or None while it is open.

    A case that was reopened and closed again counts from its latest closing date, which is
    the one passed in. A child without a date of birth cannot be counted; the date then rests
    on the closure alone and says so, to be checked.
    """
    if closed_on is None:
        return None
    births = list(children_born)
    known = [b for b in births if b is not None]
    after_closure, moved = anniversary(closed_on, policy.years_closed)
    parts = [f"{_years(policy.years_closed)} after the case was closed on {long(closed_on)} "
             f"is {long(after_closure)}{_leap_note(moved)}"]
    inputs: list[tuple[str, date]] = [("Case closed", closed_on)]
    due = after_closure
    if known:
        youngest = max(known)
        turns, moved = anniversary(youngest, policy.youngest_age)
        inputs.append(("Youngest child's date of birth", youngest))
        parts.append(f"the youngest child, born {long(youngest)}, turns "
                     f"{policy.youngest_age} on {long(turns)}{_leap_note(moved)}")
        if turns > due:
            due = turns
        parts.append(f"the later of the two is {long(due)}")
    explanation = "; ".join(parts) + "."
    missing = len(births) - len(known)
    confidence = Confidence.POLICY
    note = ""
    if missing or not births:
        confidence = Confidence.UNCONFIRMED
        note = ("No child's date of birth is recorded, so the date rests on the closure alone."
                if not known else
                f"{missing} child{'ren have' if missing > 1 else ' has'} no date of birth "
                "recorded and could not be counted.")
    return Deadline(key="retention_review", label="Retention review due", due=due,
                    source=_SOURCE, confidence=confidence, explanation=explanation,
                    inputs=tuple(inputs), note=note)


def is_due(deadline: Deadline | None, today: date) -> bool:
    return deadline is not None and deadline.due <= today


def _years(n: int) -> str:
    return plural(n, 'year')


def _leap_note(moved: bool) -> str:
    return " (that year has no 29 February, so 1 March is used)" if moved else ""
