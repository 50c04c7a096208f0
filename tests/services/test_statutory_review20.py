"""Review of issue 20, item 5 ("one decision, one set of dates"): merging the same deadline
from two records must never merge two children's decisions."""

from __future__ import annotations

from datetime import date

from adviser_app.domain.statutory.events import EventDetails, EventKind
from adviser_app.domain.records import CaseDetails, ChildDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import casework, statutory
from adviser_app.store import cases, families


def test_twins_refused_on_the_same_day_keep_an_appeal_deadline_each(db) -> None:
    # The LA refuses to assess each of two twins in letters sent the same day, Mon 3 March
    # 2025. Each child has their own appeal (s.51 is per child): 2 months on is Sat 3 May,
    # moved past Sun 4 and the early May bank holiday (Mon 5) to Tue 6 May 2025, for each.
    # The same key and date on two different children are two deadlines, not one.
    twins = [ChildDetails(name, "Adebayo", date(2019, 6, 1)) for name in ("Ada", "Ayo")]
    case_id = casework.open_new_family_case(
        db, family_name="Adebayo", person=None, children=twins,
        case=CaseDetails("Harriet Lowe", date(2025, 1, 2), frozenset({CaseIssue.MEDIATION})),
        actor="H")
    child_ids = [c.id for c in families.get_family(
        db, cases.get_case(db, case_id).family_id).children]
    for child_id in child_ids:
        statutory.record_event(db, case_id, EventDetails(
            EventKind.ASSESSMENT_DECISION, date(2025, 3, 3), child_id, {"outcome": "refuse"}),
            "H")
    appeals = [i for i in statutory.case_deadlines(db, case_id) if i.deadline.key == "appeal"]
    assert sorted(i.event.details.child_id for i in appeals) == sorted(child_ids)
    assert {i.deadline.due for i in appeals} == {date(2025, 5, 6)}
    rows = [r for r in statutory.open_deadlines(db) if r.item.deadline.key == "appeal"]
    assert sorted(r.child_name for r in rows) == ["Ada Adebayo", "Ayo Adebayo"]
