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
  modulo a large prime);
- by bounds: a reader knows each "fewer than 5" lies from 1 to 4 and every count is at least
  0; tightening those bounds through each equation, again and again, must never pin a hidden
  count to one value.
Each leak is closed by hiding the smallest shown count in an equation that holds the leaking
cell (a count rather than a total where the two tie), and everything is checked again."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

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

    @cached_property
    def cells(self) -> frozenset[Cell]:
        return frozenset(cell for cell, _ in self.terms)


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
    holding: dict[Cell, list[Equation]] = {}
    for e in eqs:
        for c in e.cells:
            holding.setdefault(c, []).append(e)
    small = set(protected)
    also: dict[Cell, str] = {}
    while leaks := leaking(eqs, values, small, set(also), protected):
        # one more cell for each leak, but only one for each equation in a round
        touched: set[Equation] = set()
        for cell in leaks:
            around = [e for e in holding.get(cell, []) if e not in touched]
            choice = (_complement(cell, around, values, small | set(also))
                      or _unlabel(cell, around, small))
            if choice is not None:
                small.discard(choice[0])
                also[choice[0]] = choice[1]
                touched.add(choice[2])
        if not touched:
            break  # every cell of every equation of a leaking cell is hidden already
    return Suppression(frozenset(small), also, frozenset(protected))


def _complement(cell: Cell, eqs: list[Equation], values: dict[Cell, int],
                hidden: set[Cell]) -> tuple[Cell, str, Equation] | None:
    """The shown cell to hide with *cell*, in an equation that holds *cell*: a positive
    count, in the shortest such equation (a quarter's own row before a long breakdown),
    the smallest, not a total if a count ties with it."""
    best: tuple[tuple[bool, int, int, bool], Cell, Equation] | None = None
    for e in eqs:
        for other, coefficient in e.terms:
            if other in hidden:
                continue
            value = values[other]
            rank = (value == 0, len(e.terms), value, coefficient < 0)
            if best is None or rank < best[0]:
                best = (rank, other, e)
    if best is None:
        return None
    return best[1], f"hidden as well, because {best[2].why}", best[2]


def _unlabel(cell: Cell, eqs: list[Equation],
             small: set[Cell]) -> tuple[Cell, str, Equation] | None:
    """When every cell of the equations is hidden but "fewer than 5" (1 to 4) still pins a
    count (four levels of "fewer than 5" adding up to a total of "fewer than 5" must each
    be 1), a total (or else a count) is shown only as "hidden", which says nothing of its
    size."""
    for want_total in (True, False):
        for e in eqs:
            for other, coefficient in e.terms:
                if other in small and (coefficient < 0) == want_total:
                    return other, ("shown as hidden rather than \u201cfewer than 5\u201d, "
                                   f"because {e.why}"), e
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


PRIME = 2**61 - 1


def _fixed_exactly(rows: list[tuple[dict[Cell, int], int]]) -> set[Cell]:
    """The unknowns whose value the equations alone fix: the pivots of the reduced row
    echelon form whose row has nothing else. Sparse rows, worked modulo a large prime
    rather than in fractions (a hundred times faster on a big report; the rank can only
    differ where the prime divides one of the matrix's minors, which for these small whole
    coefficients is as good as never)."""
    pivots: dict[Cell, dict[Cell, int]] = {}  # fully reduced: no other pivot in a row
    holding: dict[Cell, set[Cell]] = {}  # for each cell, the pivot rows that hold it
    for terms, _ in rows:
        row = {c: k % PRIME for c, k in terms.items()}
        for col in [c for c in row if c in pivots]:
            factor = row.get(col, 0)
            if factor:
                for c, v in pivots[col].items():
                    row[c] = (row.get(c, 0) - factor * v) % PRIME
        row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], -1, PRIME)
        row = {c: v * inverse % PRIME for c, v in row.items()}
        for other_col in list(holding.get(col, ())):
            other = pivots[other_col]
            factor = other[col]
            for c, v in row.items():
                value = (other.get(c, 0) - factor * v) % PRIME
                if value:
                    other[c] = value
                    holding.setdefault(c, set()).add(other_col)
                else:
                    other.pop(c, None)
                    holding.get(c, set()).discard(other_col)
        pivots[col] = row
        for c in row:
            holding.setdefault(c, set()).add(col)
    return {col for col, row in pivots.items() if len(row) == 1}


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
            # the least and most the terms can add up to (infinite parts counted apart)
            parts = [(c, k, min(k * low[c], k * high[c]), max(k * low[c], k * high[c]))
                     for c, k in terms.items()]
            least = sum(p[2] for p in parts if not math.isinf(p[2]))
            most = sum(p[3] for p in parts if not math.isinf(p[3]))
            least_inf = sum(1 for p in parts if math.isinf(p[2]))
            most_inf = sum(1 for p in parts if math.isinf(p[3]))
            for c, k, lo, hi in parts:
                # k * x_c = rhs - (the sum of the others)
                if least_inf - math.isinf(lo):
                    rest_low = -inf
                else:
                    rest_low = least - (0 if math.isinf(lo) else lo)
                if most_inf - math.isinf(hi):
                    rest_high = inf
                else:
                    rest_high = most - (0 if math.isinf(hi) else hi)
                a, b = (rhs - rest_high) / k, (rhs - rest_low) / k
                new_low, new_high = min(a, b), max(a, b)
                if new_low > low[c] + 1e-9:
                    low[c], changed = _ceil(new_low), True
                if new_high < high[c] - 1e-9:
                    high[c], changed = _floor(new_high), True
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
