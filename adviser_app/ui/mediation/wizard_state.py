"""The mediation wizard's state in plain Python (no Qt): the draft being answered, what was
last saved, the dates it gives, and the rules for moving on, saving and closing half-way.
The pages show and edit it; the wizard asks the questions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from adviser_app.domain.mediation import MediationDraft, Step, next_step, problems, steps_for
from adviser_app.domain.records import Child, Family
from adviser_app.domain.statutory.disagreement_dates import Dated
from adviser_app.domain.validation import Problem
from adviser_app.services import mediation
from adviser_app.store.db import is_open
from adviser_app.ui.case_book.session import Session

DATE_FIELDS = ("letter_dated", "letter_sent", "adviser_told", "certificate_issued", "la_told",
               "mediation_date", "concluded", "health_body_told", "conduct_on",
               "appeal_registered")


class WizardState:
    """One disagreement on one case, new (saved on the first step) or carried on."""

    def __init__(self, session: Session, case_id: str, family: Family,
                 disagreement_id: str | None = None) -> None:
        self.session, self.case_id = session, case_id
        self.children: list[Child] = list(family.children)
        self.disagreement_id = disagreement_id
        if disagreement_id:
            _, self.draft = mediation.load(session.db, disagreement_id)
        else:
            self.draft = MediationDraft(child_id=self.children[0].id if self.children else "")
        self.saved = self.draft
        """The draft as it was last saved (or loaded)."""

    def today(self) -> date:
        return self.session.today()

    def next_after(self, step: Step) -> Step | None:
        return next_step(self.draft, step)

    def route(self) -> list[Step]:
        """The steps this disagreement goes through, as answered so far."""
        return steps_for(self.draft)

    def step_number(self, step: Step) -> int:
        """*step*'s number on this route (1, 2, 3 then 4 on the certificate-only route)."""
        route = self.route()
        return route.index(step) + 1 if step in route else int(step) + 1

    def dates(self) -> list[Dated]:
        """The dates the answers so far give, each able to explain itself."""
        return mediation.dates(self.session.db, self.draft)

    def problems(self, step: Step) -> list[Problem]:
        """What the rules say is missing or wrong on *step*."""
        return problems(self.draft, step, self.today())

    def save(self) -> None:
        self.disagreement_id = mediation.save(self.session.db, self.case_id, self.draft,
                                              self.session.actor, self.disagreement_id)
        self.saved = self.draft

    def move_on(self, step: Step) -> None:
        """*step* is answered: remember the step that comes next (to resume there), and save."""
        self.draft = self.draft.with_(step=self.next_after(step) or step)
        self.save()

    def cleared_deadlines(self) -> list[str]:
        """Deadlines that would disappear because a date saved before has been cleared."""
        old, new = self.saved, self.draft
        if not any(getattr(old, name) is not None and getattr(new, name) is None
                   for name in DATE_FIELDS):
            return []
        before = {d.deadline.label for d in mediation.dates(self.session.db, old)}
        after = {d.deadline.label for d in mediation.dates(self.session.db, new)}
        return sorted(before - after)

    def keep_on_close(self, step: Step, typed: Iterable[Problem]) -> bool:
        """Closing half-way keeps what was typed on *step* too, except a date with a problem
        (*typed*: the page's own, plus the rules'), which keeps its saved value, and a cleared
        date that would take deadlines away (then nothing new is saved). True if saved."""
        if not is_open(self.session.db):
            return False
        found = {p.field for p in (*typed, *self.problems(step))}
        rejected = found & set(DATE_FIELDS)
        if rejected:
            self._restore_dates(rejected)
            # a rule between two dates (sent before dated, say) still fails: keep every
            # date as it was saved rather than half of the pair
            if {p.field for p in self.problems(step)} & set(DATE_FIELDS):
                self._restore_dates(DATE_FIELDS)
        if self.cleared_deadlines():
            return False
        self.draft = self.draft.with_(step=step)
        self.save()
        return True

    def _restore_dates(self, names: Iterable[str]) -> None:
        self.draft = self.draft.with_(**{name: getattr(self.saved, name) for name in names})
