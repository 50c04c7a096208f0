"""Consent to share: when it needs renewing, and when a young person's own consent is needed.

At the end of compulsory school age the rights under the Children and Families Act 2014
pass from the parent to the young person (s.83(2)), so the case must ask for their own
consent. Compulsory school age ends on the last Friday in June of the school year (1 September
to 31 August) in which the child turns 16 (Education Act 1996 s.8; the School Leaving Date
Order 1997).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, timedelta

from adviser_app.domain.statutory.deadline import Confidence, Deadline, long
from adviser_app.domain.statutory.periods import add_months, anniversary
from adviser_app.domain.records import Family
from adviser_app.domain.vocab import Relationship
from adviser_app.domain.validation import plural

DEFAULT_RENEWAL_MONTHS = 12


def end_of_compulsory_school_age(date_of_birth: date) -> Deadline:
    """The last Friday in June of the school year in which the child turns 16."""
    sixteenth, _ = anniversary(date_of_birth, 16)
    school_year_ends = sixteenth.year + (1 if sixteenth.month >= 9 else 0)
    june_30 = date(school_year_ends, 6, 30)
    last_friday = june_30 - timedelta(days=(june_30.weekday() - 4) % 7)
    first = school_year_ends - 1
    return Deadline(
        key="end_compulsory_school_age", label="End of compulsory school age",
        due=last_friday,
        source="Education Act 1996 s.8; CFA 2014 s.83(2)", confidence=Confidence.SECONDARY,
        explanation=(f"Born {long(date_of_birth)}, the child turns 16 on {long(sixteenth)}, "
                     f"in the school year {first}/{str(school_year_ends)[2:]}; compulsory "
                     f"school age ends on the last Friday in June of that school year, "
                     f"{long(last_friday)}."),
        inputs=(("Date of birth", date_of_birth),),
        note="From then the young person makes their own decisions and gives their own "
             "consent to share.")


def young_person_consent_needed(date_of_birth: date | None, today: date,
                                has_own_consent: bool) -> bool:
    if date_of_birth is None or has_own_consent:
        return False
    return end_of_compulsory_school_age(date_of_birth).due <= today


def consent_renewal_due(given_on: date, months: int = DEFAULT_RENEWAL_MONTHS) -> Deadline:
    due = add_months(given_on, months)
    return Deadline(
        key="consent_renewal", label="Consent to share due for renewal", due=due,
        source="The service's consent policy", confidence=Confidence.POLICY,
        explanation=(f"Consent was given on {long(given_on)}; the service renews consent after "
                     f"{plural(months, 'month')}, on {long(due)}."),
        inputs=(("Consent given", given_on),))



@dataclass(frozen=True)
class ConsentDue:
    """A consent question for the case header, explained like any other date."""

    deadline: Deadline
    is_open: bool = True


def consent_renewal(name: str, given_on: date,
                    months: int = DEFAULT_RENEWAL_MONTHS) -> ConsentDue:
    """One person's consent to share to renew, named for the case header and Deadlines."""
    return ConsentDue(replace(consent_renewal_due(given_on, months),
                              label=f"Renew {name.strip()}'s consent to share"))


def consent_due(family: Family, child_ids: Collection[str], today: date,
                renewal_months: int = DEFAULT_RENEWAL_MONTHS) -> list[ConsentDue]:
    """Consent to share to renew, and children on the case who are (or within a year will
    be) past compulsory school age, whose own consent is needed."""
    out = []
    for person in family.people:
        d = person.details
        if d.consent_to_share and d.consent_date is not None:
            out.append(consent_renewal(f"{d.given_name} {d.family_name}", d.consent_date,
                                       renewal_months))
    own = any(p.details.relationship is Relationship.YOUNG_PERSON and p.details.consent_to_share
              for p in family.people)
    for child in family.children:
        if own or child.id not in child_ids:
            continue
        ends = end_of_compulsory_school_age(child.details.date_of_birth)
        if ends.due <= add_months(today, 12):
            out.append(ConsentDue(replace(
                ends, label=f"Ask {child.details.full_name} for their own consent to share")))
    return out
