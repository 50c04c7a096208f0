"""Choosing the report's period: this financial year and the ones before, the last quarter,
each quarter of this year and last, or other dates typed in (checked at the point of entry)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel

from adviser_app.domain.figures_facts import (Period, financial_year, financial_year_of,
                                              last_quarter, quarters)
from adviser_app.domain.validation import Checker, format_date
from adviser_app.ui.form_support import combo, date_field

OTHER = "other"


def period_choices(today: date) -> list[tuple[str, object]]:
    """This financial year and the four before, the last quarter, and each quarter of this
    year and last, then other dates."""
    this_year = financial_year_of(today)
    years = [financial_year(this_year.start.year - n) for n in range(5)]
    out: list[tuple[str, object]] = [(f"Financial year {y.title}", y) for y in years[:2]]
    lq = last_quarter(today)
    out.append((f"Last quarter: {lq.title}", lq))
    for year in years[:2]:
        out += [(f"Quarter {q.title}", q) for q in quarters(year) if q.start <= today]
    out += [(f"Financial year {y.title}", y) for y in years[2:]]
    out.append(("Other dates\u2026", OTHER))
    return out


class PeriodPicker:
    """The period list and, for other dates, the From and To fields, laid out in *row*."""

    def __init__(self, today: date, row: QHBoxLayout) -> None:
        self.period = combo("Period", period_choices(today))
        self.period.currentIndexChanged.connect(self._changed)
        self.date_from = date_field("From")
        self.date_to = date_field("To")
        for field in (self.date_from, self.date_to):
            field.setVisible(False)
            field.setMaximumWidth(110)
        row.addWidget(QLabel("Period:"))
        row.addWidget(self.period, 1)
        row.addWidget(self.date_from)
        row.addWidget(self.date_to)
        self.period.select(financial_year_of(today))

    def _changed(self) -> None:
        other = self.period.choice() == OTHER
        self.date_from.setVisible(other)
        self.date_to.setVisible(other)

    def chosen(self) -> Period | str:
        """The period chosen, or what is wrong with the dates typed in."""
        chosen = self.period.choice()
        if isinstance(chosen, Period):
            return chosen
        c = Checker()
        start = c.date("from", "From", self.date_from.text(), required=True)
        end = c.date("to", "To", self.date_to.text(), required=True)
        if start and end and end < start:
            c.fail("to", "The period can't end before it starts.")
        if not c.ok or start is None or end is None:
            return " ".join(p.message for p in c.problems)
        return Period(start, end, f"{format_date(start)} to {format_date(end)}")
