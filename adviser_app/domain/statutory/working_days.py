"""England's working days: Monday to Friday, less English bank holidays and any extra days.

Bank holidays come from the `holidays` package (GB, England), weekday dates only, so the
"observed" substitute days count and the weekend date itself is ignored. A service can add
one-off days the package does not know yet (a proclaimed holiday) as extra holidays.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

_NAMES = {"May Day": "Early May bank holiday", "Spring Bank Holiday": "Spring bank holiday",
          "Late Summer Bank Holiday": "Summer bank holiday"}


@lru_cache(maxsize=64)
def _english_bank_holidays(year: int) -> dict[date, str]:
    import holidays  # here, not at the top: loading it takes a while and the app's first
    # screen needs no dates (ui.warm_up loads it in the background meanwhile)

    table = holidays.country_holidays("GB", subdiv="ENG", years=year)
    out: dict[date, str] = {}
    for day, name in sorted(table.items()):
        if day.weekday() < 5:
            out[day] = _NAMES.get(str(name), str(name))
    return out


class WorkingDayCalendar:
    """Working days in England, with optional extra non-working days (name by date)."""

    def __init__(self, extra_holidays: dict[date, str] | Iterable[date] = ()) -> None:
        self._extra: dict[date, str]
        if isinstance(extra_holidays, dict):
            self._extra = dict(extra_holidays)
        else:
            self._extra = {d: "Extra bank holiday" for d in extra_holidays}

    def holiday_name(self, day: date) -> str | None:
        """The name of the bank holiday on *day* (weekdays only), or None."""
        if day in self._extra:
            return self._extra[day]
        name: str | None = _english_bank_holidays(day.year).get(day)
        return name

    def bank_holidays(self, year: int) -> dict[date, str]:
        table = dict(_english_bank_holidays(year))
        table.update({d: n for d, n in self._extra.items() if d.year == year})
        return dict(sorted(table.items()))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def why_not_working(self, day: date) -> str | None:
        """'a Saturday', 'a bank holiday (Easter Monday)', or None for a working day."""
        if day.weekday() == 5:
            return "a Saturday"
        if day.weekday() == 6:
            return "a Sunday"
        name = self.holiday_name(day)
        return f"a bank holiday ({name})" if name else None

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after *start* (start itself never counts); n=0 gives start."""
        if n < 0:
            raise ValueError("n must be zero or more")
        day = start
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def first_working_day_after(self, day: date) -> date:
        return self.working_day_on_or_after(day + timedelta(days=1))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after *start* up to and including *end* (0 if end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


ENGLAND = WorkingDayCalendar()
