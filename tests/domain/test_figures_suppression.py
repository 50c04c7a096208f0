"""Hiding small numbers so they cannot be worked out again: small reports where hiding only
the counts of 1 to 4 leaks (a total less the other cells, the year less the other quarters,
two "fewer than 5" adding up to 8, two breakdowns of the same children), each checked by an
independent brute force: every value the hidden cells could take that agrees with what is
shown and with the sums."""

from __future__ import annotations

from datetime import date

from adviser_app.domain.figures import Figure, Report, Section, Sum
from adviser_app.domain.figures_facts import Period, financial_year, quarters
from adviser_app.domain.figures_suppression import Cell, Suppression, equations, protect

YEAR = financial_year(2025)
ONE = Period(date(2025, 4, 1), date(2025, 6, 30), "Q1")


def make(sections: dict[str, dict[str, list[int]]], sums: tuple[Sum, ...] = (), *,
         year: bool = False, dated: bool = True) -> Report:
    columns = (*quarters(YEAR), YEAR) if year else (ONE,)
    built = tuple(
        Section(name, name.title(), "", tuple(
            Figure(f"{name}.{k}", k, tuple(v), tuple(frozenset() for _ in v), dated)
            for k, v in figures.items()))
        for name, figures in sections.items())
    return Report(YEAR if year else ONE, columns, built, sums=sums)


def possible_values(report: Report, hidden: set[Cell], small: set[Cell]) -> dict[Cell, set[int]]:
    """Brute force: each hidden cell's values over every assignment that agrees with the
    shown cells and every sum (small counts 1 to 4, other hidden cells 0 to well past the
    largest value in the report). A cell an equation leaves alone is solved, not guessed."""
    values = {(f.key, c): v for s in report.sections for f in s.figures
              for c, v in enumerate(f.values)}
    biggest = 2 * max(values.values()) + 10
    known = {c: v for c, v in values.items() if c not in hidden}
    eqs = equations(report)
    seen: dict[Cell, set[int]] = {c: set() for c in hidden}

    def allowed(c: Cell, v: int) -> bool:
        return 1 <= v <= 4 if c in small else 0 <= v <= biggest

    def search(trial: dict[Cell, int]) -> None:
        trial = dict(trial)
        while True:  # solve every equation with one unknown left
            solved = False
            for e in eqs:
                unknown = [(c, k) for c, k in e.terms if c not in trial]
                rest = sum(k * trial[c] for c, k in e.terms if c in trial)
                if not unknown and rest != 0:
                    return
                if len(unknown) == 1:
                    c, k = unknown[0]
                    if rest % k or not allowed(c, -rest // k):
                        return
                    trial[c] = -rest // k
                    solved = True
            if not solved:
                break
        left = sorted(c for c in hidden if c not in trial)
        if not left:
            for c in hidden:
                seen[c].add(trial[c])
            return
        c = left[0]
        for v in (range(1, 5) if c in small else range(0, biggest + 1)):
            search({**trial, c: v})

    search(known)
    return seen


def worked_out(report: Report, protection: Suppression, *, also: bool = True) -> set[Cell]:
    """The small counts a reader could pin down (only the small counts hidden if not
    *also*)."""
    if not also:
        found = possible_values(report, set(protection.protected), set(protection.protected))
    else:
        found = possible_values(report, set(protection.small) | set(protection.also_hidden),
                                set(protection.small))
    return {c for c in protection.protected if len(found[c]) == 1}


def test_a_total_less_the_other_ways_gives_the_hidden_one() -> None:
    report = make({"activity": {"contacts": [20]},
                   "way": {"phone": [17], "email": [3], "letter": [0]}},
                  (Sum(("way.phone", "way.email", "way.letter"), ("activity.contacts",),
                       "the ways add up to the contacts"),))
    protection = protect(report)
    assert protection.small == {("way.email", 0)}
    assert worked_out(report, protection, also=False) == {("way.email", 0)}  # the leak
    assert worked_out(report, protection) == set()
    assert protection.also_hidden == {
        ("way.phone", 0): "hidden as well, because the ways add up to the contacts (Q1)"}
    assert protection.text(("way.phone", 0)) == "hidden"
    assert protection.text(("way.letter", 0)) is None
    assert protection.text(("way.email", 0)) == "fewer than 5"
    assert protection.explanations(report) == [
        "Way, phone, Q1: hidden as well, because the ways add up to the contacts (Q1)."]


def test_the_year_less_three_quarters_gives_the_fourth() -> None:
    report = make({"activity": {"new": [3, 10, 12, 10, 35]}}, year=True)
    protection = protect(report)
    assert worked_out(report, protection, also=False) == {("activity.new", 0)}
    assert worked_out(report, protection) == set()
    assert set(protection.also_hidden) == {("activity.new", 1)}  # the smallest other quarter
    assert "the quarters add up to the year (new)" in protection.also_hidden[
        ("activity.new", 1)]


def test_counts_that_are_not_dated_do_not_add_up_over_the_quarters() -> None:
    """Cases worked on in each quarter are not summed to the year: nothing more to hide."""
    report = make({"activity": {"worked": [3, 10, 12, 10, 20]}}, year=True, dated=False)
    assert equations(report) == []
    assert protect(report).also_hidden == {}


def test_two_small_counts_adding_up_to_8_must_both_be_4() -> None:
    report = make({"activity": {"worked": [8]},
                   "level": {"1": [4], "2": [4], "3": [0], "4": [0]}},
                  (Sum(("level.1", "level.2", "level.3", "level.4"), ("activity.worked",),
                       "the levels add up"),))
    protection = protect(report)
    assert len(protection.small) == 2
    assert worked_out(report, protection, also=False) == set(protection.protected)
    assert worked_out(report, protection) == set()
    assert set(protection.also_hidden) == {("activity.worked", 0)}  # the only cell left


def test_two_breakdowns_of_the_same_children() -> None:
    """Age groups 3 and 10 and school phases 6 and 7: the phases give the 13 children, so
    the hidden 3 is 13 less 10, although no total is shown."""
    report = make({"age": {"0-4": [3], "5-10": [10]},
                   "phase": {"primary": [6], "secondary": [7]}},
                  (Sum(("phase.primary", "phase.secondary"), ("age.0-4", "age.5-10"),
                       "the same children"),))
    protection = protect(report)
    assert worked_out(report, protection, also=False) == {("age.0-4", 0)}
    assert worked_out(report, protection) == set()
    assert len(protection.also_hidden) == 1


def test_hiding_one_cell_can_open_another_leak() -> None:
    """Email (2 in Q1, so 2 in the year) is protected by hiding phone in Q1 and in the year;
    the two hidden phone cells then still tie together (the year is Q1 plus 24) but leave
    one value free, which the brute force confirms."""
    report = make({"activity": {"contacts": [12, 9, 8, 7, 36]},
                   "way": {"phone": [10, 9, 8, 7, 34], "email": [2, 0, 0, 0, 2]}},
                  (Sum(("way.phone", "way.email"), ("activity.contacts",),
                       "the ways add up to the contacts"),), year=True)
    protection = protect(report)
    assert worked_out(report, protection, also=False) == set(protection.protected)
    assert worked_out(report, protection) == set()
    assert set(protection.also_hidden) == {("way.phone", 0), ("way.phone", 4)}


def test_nothing_small_hides_nothing() -> None:
    report = make({"activity": {"contacts": [20]}, "way": {"phone": [20], "email": [0]}},
                  (Sum(("way.phone", "way.email"), ("activity.contacts",), "sum"),))
    protection = protect(report)
    assert protection.small == frozenset() and protection.also_hidden == {}


def test_fewer_than_5_adding_up_to_fewer_than_5_is_shown_as_hidden() -> None:
    """Four levels of 1 and 4 cases worked on: with every cell "fewer than 5" the reader
    knows four counts of at least 1 make at most 4, so each is 1. Nothing shown is left to
    hide, so the total is shown only as "hidden" (which says nothing of its size)."""
    report = make({"activity": {"worked": [4]},
                   "level": {"1": [1], "2": [1], "3": [1], "4": [1]}},
                  (Sum(("level.1", "level.2", "level.3", "level.4"), ("activity.worked",),
                       "the levels add up to the cases worked on"),))
    protection = protect(report)
    assert worked_out(report, Suppression(protection.protected, {}, protection.protected)) == (
        set(protection.protected))  # all five "fewer than 5": each is worked out
    assert worked_out(report, protection) == set()
    assert protection.also_hidden == {("activity.worked", 0): (
        "shown as hidden rather than \u201cfewer than 5\u201d, because the levels add up to "
        "the cases worked on (Q1)")}
    assert protection.text(("activity.worked", 0)) == "hidden"



def test_random_small_tables_leak_nothing_after_protection() -> None:
    """Two ways of contact and their total over the quarters and the year, with random small
    counts: after protection the brute force finds every small count with two or more
    possible values."""
    import random

    rng = random.Random(17)
    leaks_without = 0
    for _ in range(10):
        phone = [rng.choice([0, 1, 2, 3, 5, 6]) for _ in range(4)]
        email = [rng.choice([0, 1, 2, 4, 5]) for _ in range(4)]
        phone.append(sum(phone))
        email.append(sum(email))
        total = [p + e for p, e in zip(phone, email, strict=True)]
        report = make({"activity": {"contacts": total}, "way": {"phone": phone, "email": email}},
                      (Sum(("way.phone", "way.email"), ("activity.contacts",), "sum"),),
                      year=True)
        protection = protect(report)
        assert worked_out(report, protection) == set(), (phone, email)
        leaks_without += bool(worked_out(report, protection, also=False))
    assert leaks_without >= 3  # hiding only the small counts leaks in several of them
