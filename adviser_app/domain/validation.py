"""Checks on what people type, with plain-English messages; shared by forms and importers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

MAX_NAME = 200
MAX_SHORT_TEXT = 500
MAX_NOTE = 200_000  # sqlcipher3 has no setlimit(), so the cap lives here
MAX_ADDRESS_LINES = 6  # house, street, locality, town, county and one spare: fits a window
MAX_ADDRESS_LINE = 80

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")  # C0 (not \t \n), DEL, C1
# A line can end in more ways than "\n": tab, next line (U+0085), line and paragraph separators.
_LINE_BREAKS = re.compile("[\t\u0085\u2028\u2029\n]")
# Invisible format characters that names in right-to-left scripts and emoji need: zero-width
# non-joiner and joiner, left-to-right and right-to-left marks, the Arabic letter mark.
_ALLOWED_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")


def _hidden_format(text: str) -> bool:
    """Invisible characters that can hide or reorder what a one-line field says: zero-width
    spaces, a byte-order mark, direction overrides and isolates, and the like."""
    return any(unicodedata.category(ch) == "Cf" and ch not in _ALLOWED_FORMAT for ch in text)


def _broken(text: str) -> bool:
    """Half of a surrogate pair (it can't be stored as UTF-8) or a noncharacter."""
    return any(unicodedata.category(ch) == "Cs" or 0xFDD0 <= ord(ch) <= 0xFDEF
               or ord(ch) & 0xFFFE == 0xFFFE for ch in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field, worded for the person typing."""

    field: str
    message: str


@dataclass
class Checker:
    """Collects problems while turning typed text into clean values."""

    problems: list[Problem] = field(default_factory=list)

    def fail(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(field_name, message))

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self, field_name: str, label: str, value: str, *, required: bool = False,
             max_len: int = MAX_SHORT_TEXT, multiline: bool = False) -> str:
        stripped = value.strip("\n ") if multiline else value.strip()
        cleaned = unicodedata.normalize("NFC", stripped)
        if required and not cleaned:
            self.fail(field_name, f"{label} can't be left empty.")
        elif len(cleaned) > max_len:
            self.fail(field_name, f"{label} is too long: {len(cleaned):,} characters, "
                                  f"and the most allowed is {max_len:,}.")
        elif _broken(cleaned):
            self.fail(field_name, f"{label} contains a broken character that can't be saved "
                                  "(often left by copying and pasting); please retype it.")
        elif _CONTROL.search(cleaned if multiline else _LINE_BREAKS.sub(" ", cleaned)):
            self.fail(field_name, f"{label} contains hidden control characters; "
                                  "please retype it rather than pasting.")
        elif not multiline and _LINE_BREAKS.search(cleaned):
            self.fail(field_name, f"{label} should be on one line (it has a tab or a line "
                                  "break in it).")
        elif not multiline and _hidden_format(cleaned):
            self.fail(field_name, f"{label} contains invisible characters (such as a "
                                  "zero-width space or a direction override) that could hide "
                                  "or reorder what it says; please retype it rather than "
                                  "pasting.")
        return cleaned

    def name(self, field_name: str, label: str, value: str, *, required: bool = True) -> str:
        cleaned = self.text(field_name, label, value, required=required, max_len=MAX_NAME)
        if cleaned and not any(ch.isalpha() for ch in cleaned):
            self.fail(field_name, f"{label} needs at least one letter.")
        return cleaned

    def address(self, field_name: str, value: str, postcode: str = "") -> str:
        """Address lines for the top of a letter: one part a line, tidied (spaces and
        trailing commas, blank lines), the postcode kept in its own box (*postcode*, as
        cleaned by postcode())."""
        before = len(self.problems)
        cleaned = self.text(field_name, "Address", value, multiline=True, max_len=1000)
        if len(self.problems) > before:
            return cleaned
        lines = [" ".join(line.split()).strip(" ,") for line in cleaned.splitlines()]
        lines = [line for line in lines if line]
        last = _POSTCODE.match(lines[-1].upper()) if lines else None
        if last and f"{last.group(1)} {last.group(2)}" == postcode:
            lines.pop()  # typed twice: the Postcode box already has it
        elif last and postcode:
            self.fail(field_name, f"The address's last line, \u201c{lines[-1]}\u201d, is a "
                                  f"different postcode from the Postcode box ({postcode}): "
                                  "keep the right one in the Postcode box and take it out of "
                                  "the address.")
        elif last:
            self.fail(field_name, f"The address's last line, \u201c{lines[-1]}\u201d, looks "
                                  "like a postcode: put it in the Postcode box instead.")
        if len(lines) > MAX_ADDRESS_LINES:
            self.fail(field_name, f"The address has {len(lines)} lines; a letter has room "
                                  f"for {MAX_ADDRESS_LINES}. Leave out the postcode and the "
                                  "country, and join short parts.")
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_ADDRESS_LINE:
                self.fail(field_name, f"Line {number} of the address is {len(line)} "
                                      f"characters long; the most is {MAX_ADDRESS_LINE}. "
                                      "Put each part (house, street, town) on its own line.")
                break
        return "\n".join(lines)

    def date(self, field_name: str, label: str, value: str, *, required: bool = False,
             not_after: date | None = None, not_before: date | None = None) -> date | None:
        if not value.strip():
            if required:
                self.fail(field_name, f"{label} is needed (dd/mm/yyyy).")
            return None
        try:
            parsed = parse_date(value)
        except ValueError as exc:
            self.fail(field_name, f"{label}: {exc}")
            return None
        if not_after is not None and parsed > not_after:
            self.fail(field_name, f"{label} can't be in the future ({format_date(parsed)}).")
            return None
        if not_before is not None and parsed < not_before:
            self.fail(field_name, f"{label} can't be before {format_date(not_before)}.")
            return None
        return parsed

    def email(self, field_name: str, value: str) -> str:
        cleaned = value.strip()
        if cleaned and not _EMAIL.match(cleaned):
            self.fail(field_name, f"\u201c{cleaned}\u201d doesn't look like an email address "
                                  "(it should be like name@example.org).")
        return cleaned

    def phone(self, field_name: str, value: str) -> str:
        cleaned = value.strip()
        if not cleaned:
            return ""
        digits = re.sub(r"[\s\-]", "", cleaned).replace("+44(0)", "+44")
        digits = digits.replace("(", "").replace(")", "")
        if digits.startswith("+44"):
            digits = "0" + digits[3:]
        if not re.fullmatch(r"0\d{9,10}", digits):
            self.fail(field_name, f"\u201c{cleaned}\u201d doesn't look like a UK phone number "
                                  "(10 or 11 digits starting with 0, or +44).")
        return cleaned

    def postcode(self, field_name: str, value: str) -> str:
        cleaned = value.strip().upper()
        if not cleaned:
            return ""
        match = _POSTCODE.match(cleaned)
        if not match:
            self.fail(field_name, f"\u201c{value.strip()}\u201d doesn't look like a UK postcode "
                                  "(for example SW1A 1AA).")
            return cleaned
        return f"{match.group(1)} {match.group(2)}"


def parse_date(text: str) -> date:
    """Parse dd/mm/yyyy (also with - or .); say in plain English why a date can't exist."""
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"\u201c{text.strip()}\u201d isn't a date in the form dd/mm/yyyy.")
    day, month, year = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"there is no month {month}; months run from 01 to 12.")
    if year < 1900 or year > 2200:
        raise ValueError(f"the year {year} looks like a typing mistake.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{day} {_MONTHS[month - 1]} {year} doesn't exist.") from None


def plural(count: int, one: str, many: str | None = None) -> str:
    """A count with its noun: 1 day, 2 days, 0 days; *many* where "s" is not the plural
    (1 name or phrase, 3 names or phrases)."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def format_date(value: date | None) -> str:
    """Dates in tables and forms: dd/mm/yyyy; empty for no date."""
    return value.strftime("%d/%m/%Y") if value else ""


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def format_long_date(value: date) -> str:
    """Dates in letters and headers: Tuesday 6 May 2025 (British English whatever the
    machine's language setting, which strftime('%A') would follow)."""
    return f"{_WEEKDAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"
