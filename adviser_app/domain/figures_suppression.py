"""Hiding small numbers so that they cannot be worked out again (pure).

A count of 1 to 4 is shown as "fewer than 5" (primary suppression). That alone is not enough
when figures add up: if the ways of contact add up to the contacts, a hidden "Email: 3" is
the total less the others; if the quarters add up to the year, a hidden quarter is the year
less the other three; two hidden counts of "fewer than 5" that add up to a shown 8 must both
be 4. So more cells are hidden (secondary suppression) until no hidden count can be worked
out from what is shown, and the report says which cells were hidden and why.

How a leak is found, for the equations the report declares (its Sums, and the quarters of a
financial year adding up to the year):
- exactly: a hidden cell is worked out when the equations alone fix its value (its unit
  vector lies in the row space of the equations over the hidden cells: Gaussian elimination
  with exact fractions);
- by bounds: a reader knows each "fewer than 5" lies from 1 to 4 and every count is at least
  0; tightening those bounds through each equation, again and again, must never pin a hidden
  count to one value.
Each leak is closed by hiding the smallest shown count in an equation that holds the leaking
cell (a count rather than a total where the two tie), and everything is checked again."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from adviser_app.domain.figures import SMALL, Report, shown

Cell = tuple[str, int]  # (figure key, column)
SMALL_LOW, SMALL_HIGH = 1, 4
HIDDEN = "hidden"
BOUNDS_ROUNDS = 50
SMALL_NUMBERS_NOTE = ("Counts from 1 to 4 are shown as \u201cfewer than 5\u201d so that no "
                      "family can be recognised in a small group. Where figures add up (the "
                      "quarters to the year, a breakdown to its total), other cells are shown "
                      "as \u201chidden\u201d so that a small count cannot be worked out from "
                      "them; each is listed below with the reason.")


@dataclass(frozen=True)
class Equation:
    """sum(coefficient * value) == 0 over its cells; *why* says it in words."""

    terms: tuple[tuple[Cell, int], ...]
    why: str

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(cell for cell, _ in self.terms)


@dataclass(frozen=True)
class Suppression:
    """The cells hidden in an export, each with the reason it is hidden."""

    small: frozenset[Cell]
    """Counts of 1 to 4 shown as "fewer than 5"."""
    also_hidden: dict[Cell, str]
    """Cells shown only as "hidden" so that no small count can be worked out, with the
    reason (a count of 1 to 4 among them when even "fewer than 5" would give it away)."""
    protected: frozenset[Cell] = frozenset()
    """Every count of 1 to 4 (none of them can be worked out)."""

    def text(self, cell: Cell) -> str | None:
        """What is shown instead of the cell's value (None: the value itself)."""
        if cell in self.small:
            return SMALL
        if cell in self.also_hidden:
            return HIDDEN
        return None

    def explanations(self, report: Report) -> list[str]:
        """One line for each cell hidden to protect a small count, in the report's order."""
        labels = {f.key: (s.title, f.label) for s in report.sections for f in s.figures}
        order = {f.key: n for n, f in enumerate(f for s in report.sections for f in s.figures)}
        out = []
        for (key, column), why in sorted(self.also_hidden.items(),
                                        key=lambda item: (order[item[0][0]], item[0][1])):
            section, label = labels[key]
            out.append(f"{section}, {label}, {report.columns[column].label}: {why}.")
        return out


def equations(report: Report) -> list[Equation]:
    """Every way the report's counts add up, column by column and over the quarters."""
    n = len(report.columns)
    out = []
    for total in report.sums:
        for column in range(n):
            terms = [((k, column), 1) for k in total.parts]
            terms += [((k, column), -1) for k in total.whole]
            out.append(Equation(tuple(terms), f"{total.why} ({report.columns[column].label})"))
    if report.quarters_add_up:
        for section in report.sections:
            for fig in section.figures:
                if fig.by_date and not section.minutes:
                    terms = [((fig.key, c), 1) for c in range(n - 1)] + [((fig.key, n - 1), -1)]
                    out.append(Equation(tuple(terms),
                                        f"the quarters add up to the year ({fig.label})"))
    return out


def protect(report: Report) -> Suppression:
    """Hide every count of 1 to 4, then as few more cells as this simple rule finds so that
    none of them can be worked out from the rest (see the module's notes)."""
    values: dict[Cell, int] = {}
    protected: set[Cell] = set()
    for section in report.sections:
        for fig in section.figures:
            for column, value in enumerate(fig.values):
                values[(fig.key, column)] = value
                if not section.minutes and SMALL_LOW <= value <= SMALL_HIGH:
                    protected.add((fig.key, column))
    eqs = [e for e in equations(report) if all(c in values for c in e.cells)]
    small = set(protected)
    also: dict[Cell, str] = {}
    while leaks := leaking(eqs, values, small, set(also), protected):
        choice = None
        for cell in leaks:
            choice = (_complement(cell, eqs, values, small | set(also))
                      or _unlabel(cell, eqs, small))
            if choice is not None:
                break
        if choice is None:
            break  # every cell of every equation of a leaking cell is hidden already
        small.discard(choice[0])
        also[choice[0]] = choice[1]
    return Suppression(frozenset(small), also, frozenset(protected))


def _complement(cell: Cell, eqs: list[Equation], values: dict[Cell, int],
                hidden: set[Cell]) -> tuple[Cell, str] | None:
    """The shown cell to hide with *cell*: the smallest positive count, not a total if a
    count ties with it, in an equation that holds *cell*."""
    best: tuple[tuple[bool, int, bool], Cell, str] | None = None
    for e in eqs:
        if cell not in e.cells:
            continue
        for other, coefficient in e.terms:
            if other in hidden:
                continue
            value = values[other]
            rank = (value == 0, value, coefficient < 0)
            if best is None or rank < best[0]:
                best = (rank, other, e.why)
    if best is None:
        return None
    return best[1], f"hidden as well, because {best[2]}"


def _unlabel(cell: Cell, eqs: list[Equation], small: set[Cell]) -> tuple[Cell, str] | None:
    """When every cell of the equations is hidden but "fewer than 5" (1 to 4) still pins a
    count (four levels of "fewer than 5" adding up to a total of "fewer than 5" must each
    be 1), a total (or else a count) is shown only as "hidden", which says nothing of its
    size."""
    for want_total in (True, False):
        for e in eqs:
            if cell in e.cells:
                for other, coefficient in e.terms:
                    if other in small and (coefficient < 0) == want_total:
                        return other, ("shown as hidden rather than \u201cfewer than 5\u201d, "
                                       f"because {e.why}")
    return None


def leaking(eqs: Iterable[Equation], values: dict[Cell, int], small: set[Cell],
            also: set[Cell], protected: set[Cell] | None = None) -> list[Cell]:
    """The counts of 1 to 4 (*protected*: by default the *small* ones, shown as "fewer than
    5") that a reader could work out; other hidden cells may be worked out."""
    hidden = small | also
    rows: list[tuple[dict[Cell, int], int]] = []
    for e in eqs:
        unknown = {c: k for c, k in e.terms if c in hidden}
        if unknown:
            rows.append((unknown, -sum(k * values[c] for c, k in e.terms if c not in hidden)))
    found = (_fixed_exactly(rows) | _pinned_by_bounds(rows, small, also)) & (
        small if protected is None else protected)
    return sorted(found)


def _fixed_exactly(rows: list[tuple[dict[Cell, int], int]]) -> set[Cell]:
    """The unknowns whose value the equations alone fix (reduced row echelon form)."""
    names = sorted({c for terms, _ in rows for c in terms})
    index = {c: n for n, c in enumerate(names)}
    matrix = []
    for terms, _ in rows:
        line = [Fraction(0)] * len(names)
        for c, k in terms.items():
            line[index[c]] = Fraction(k)
        matrix.append(line)
    pivot_rows: list[list[Fraction]] = []
    pivots: list[int] = []
    for col in range(len(names)):
        found = next((r for r in matrix if r[col] != 0), None)
        if found is None:
            continue
        matrix.remove(found)
        lead = found[col]
        found = [v / lead for v in found]
        for other in matrix + pivot_rows:
            factor = other[col]
            if factor:
                for j in range(col, len(names)):
                    other[j] -= factor * found[j]
        pivot_rows.append(found)
        pivots.append(col)
    return {names[col] for col, row in zip(pivots, pivot_rows, strict=True)
            if sum(1 for v in row if v != 0) == 1}


def _pinned_by_bounds(rows: list[tuple[dict[Cell, int], int]], small: set[Cell],
                      also: set[Cell]) -> set[Cell]:
    """The unknowns that the known bounds (1 to 4 for a small count, at least 0 for any
    count), tightened through each equation, leave with one possible value."""
    inf = float("inf")
    low: dict[Cell, float] = {}
    high: dict[Cell, float] = {}
    for c in small | also:
        low[c], high[c] = (SMALL_LOW, SMALL_HIGH) if c in small else (0, inf)
    for _ in range(BOUNDS_ROUNDS):
        changed = False
        for terms, rhs in rows:
            for c, k in terms.items():
                # k * x_c = rhs - sum of the others
                rest_low = sum(min(j * low[o], j * high[o]) for o, j in terms.items()
                               if o != c)
                rest_high = sum(max(j * low[o], j * high[o]) for o, j in terms.items()
                                if o != c)
                a, b = (rhs - rest_high) / k, (rhs - rest_low) / k
                new_low, new_high = min(a, b), max(a, b)
                if new_low > low[c] + 1e-9:
                    low[c], changed = float(_ceil(new_low)), True
                if new_high < high[c] - 1e-9:
                    high[c], changed = float(_floor(new_high)), True
        if not changed:
            break
    return {c for c in low if low[c] == high[c]}


def _ceil(x: float) -> float:
    return x if math.isinf(x) else float(math.ceil(x - 1e-9))


def _floor(x: float) -> float:
    return x if math.isinf(x) else float(math.floor(x + 1e-9))


def shown_values(report: Report, protection: Suppression | None) -> dict[str, tuple[str, ...]]:
    """Each figure's values as exported: with *protection*, small counts as "fewer than 5"
    and the cells hidden to protect them as "hidden"; minutes as hours and minutes."""
    out = {}
    for section in report.sections:
        for fig in section.figures:
            out[fig.key] = tuple(
                (protection.text((fig.key, c)) if protection is not None else None)
                or shown(v, suppress=False, minutes=section.minutes)
                for c, v in enumerate(fig.values))
    return out
