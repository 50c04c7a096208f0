"""For IT support: both integrity checks on the case book and every backup, read-only."""

from __future__ import annotations

from dataclasses import dataclass

from adviser_app.services.backups import list_backups
from adviser_app.services.places import CaseBookPlace
from adviser_app.services.restoring import restore_interrupted
from adviser_app.store.db import behind_problem, verify_file
from adviser_app.store.errors import CaseBookError, WrongKey
from adviser_app.store.keyfile import unlock_with_passphrase


@dataclass(frozen=True)
class CheckReport:
    lines: list[str]
    problems: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def check(place: CaseBookPlace, passphrase: str) -> str:
    """For IT support: both integrity checks on the case book and every backup."""
    return check_with_key(place, unlock_with_passphrase(place.key_path, passphrase)).text


def check_with_key(place: CaseBookPlace, key: bytes) -> CheckReport:
    """Both integrity checks on the case book and every backup, and the case book against
    its anchor. Read-only: nothing is changed, not even a WAL left by a crash."""
    lines, problems = [], 0
    if restore_interrupted(place):
        problems += 1
        lines.append(f"UNFINISHED  a restore was cut off part-way; `adviser-app restore` or "
                     f"unlocking in the app finishes it ({place.restore_journal})")
    if place.path.exists():
        try:
            verify_file(place.path, key, read_only=True)
            behind = behind_problem(place.path, key)
            if behind is not None:
                raise behind
            lines.append(f"OK       {place.path}")
        except WrongKey:
            problems += 1
            lines.append(f"DAMAGED  {place.path}: its first page can't be read (it is damaged, "
                         "or the key file belongs to another case book)")
        except CaseBookError as exc:
            problems += 1
            lines.append(f"DAMAGED  {place.path}: {exc}")
    for backup in list_backups(place):
        try:
            verify_file(backup.path, key, snapshot=True)
            lines.append(f"OK       {backup.path} ({backup.label})")
        except CaseBookError as exc:
            problems += 1
            lines.append(f"DAMAGED  {backup.path}: {exc}")
    return CheckReport(lines, problems)

