"""Commands for IT support: `adviser-app check`, `adviser-app backup`, `adviser-app restore`.

The passphrase is asked for on the terminal (or read from standard input when piped). Exit
codes, as in the README's table: 0 all well; 1 damage found, or nothing done; 2 could not
unlock (the passphrase, or the key file).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from adviser_app.services import book_check, backups, case_books, recovering, restoring
from adviser_app.services.places import CaseBookPlace
from adviser_app.store.db import close_case_book, in_use, open_case_book
from adviser_app.store.errors import (CaseBookBehind, CaseBookDamaged, CaseBookError,
                                      KeyFileError, WrongKey, WrongPassphrase,
                                      WrongRecoveryKey)
from adviser_app.domain.validation import plural

ALL_WELL, NOT_DONE, NOT_UNLOCKED = 0, 1, 2


class _Unreadable(Exception):
    """What came in on standard input is not text."""


def _passphrase() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Passphrase: ")
    line = sys.stdin.buffer.readline()
    try:
        text = line.decode("utf-8-sig")  # a byte-order mark from a Windows editor is dropped
    except UnicodeDecodeError:
        raise _Unreadable() from None
    return text.rstrip("\r\n")  # Windows line endings too


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def run(command: str, args: argparse.Namespace, data_dir: Path) -> int:
    """*command* with its parsed arguments (admin_commands.parser) on the case book in
    *data_dir*; returns the exit code."""
    place = case_books.real_place(data_dir)
    if not place.exists():
        _say(f"No case book in {data_dir}. Nothing was done.")
        return NOT_DONE
    if in_use(place.path):
        _say("The case book is open in Adviser Toolkit on this laptop. Nothing was done. Lock "
             "it (Ctrl+L) or close the app, then run this again.")
        return NOT_DONE
    try:
        passphrase = _passphrase()
    except _Unreadable:
        _say("The passphrase read from standard input is not UTF-8 text, so nothing was "
             "unlocked. Save it as UTF-8, or type it at the prompt.")
        return NOT_UNLOCKED
    try:
        key, key_replaced = recovering.unlock(place, passphrase)
    except (WrongPassphrase, KeyFileError, WrongRecoveryKey) as exc:
        _say(str(exc))
        return NOT_UNLOCKED
    if key_replaced is not None:
        print(f"The key file was damaged; its copy in the backups folder opens this case book "
              f"and was put in its place. The damaged key file is kept in {key_replaced}.")
    try:
        if command == "check":
            return _check(place, key)
        if command == "backup":
            return _backup(place, key)
        return _restore(place, key, args.backup)
    except CaseBookError as exc:
        _say(f"{exc} Nothing else was done.")
        return NOT_DONE


def _check(place: CaseBookPlace, key: bytes) -> int:
    report = book_check.check_with_key(place, key)
    print(report.text)
    if report.problems:
        _say(f"{plural(report.problems, 'problem')} found.")
        return NOT_DONE
    return ALL_WELL


def _backup(place: CaseBookPlace, key: bytes) -> int:
    if restoring.restore_interrupted(place):
        _say("A restore was cut off part-way, so no backup was made. Run `adviser-app "
             "restore` (or unlock the case book in the app) to finish it first.")
        return NOT_DONE
    try:
        db = open_case_book(place.path, key)
        try:
            info = backups.backup_now(db, place)
        finally:
            close_case_book(db)
    except (CaseBookDamaged, WrongKey, CaseBookBehind) as exc:
        detail = ("its first page can't be read" if isinstance(exc, WrongKey) else str(exc))
        _say(f"No backup was made: the case book is damaged or incomplete. {detail} Run "
             "`adviser-app check`, then `adviser-app restore` or unlock it in the app.")
        return NOT_DONE
    print(f"Backup written and checked: {info.path}")
    return ALL_WELL


def _restore(place: CaseBookPlace, key: bytes, chosen: Path | None) -> int:
    found = backups.list_backups(place)
    if chosen is not None:
        picked = [b for b in found if b.path.resolve() == chosen.resolve()]
        if not picked:
            _say("No such backup. Nothing was done. Backups:\n" +
                 "\n".join(str(b.path) for b in found))
            return NOT_DONE
        backup = picked[0]
    else:
        good = recovering.newest_good_backup(place, key)
        if good is None:
            _say("No backup passed its checks, so nothing was restored and nothing was "
                 "changed.")
            return NOT_DONE
        if found and good != found[0]:
            print(f"The newest backup ({found[0].label}) is damaged; using the newest good one.")
        backup = good
    opened = recovering.restore_with_key(place, backup, key)
    close_case_book(opened.db)
    print(f"Restored the backup made on {backup.label}. The previous case book file "
          f"was kept in {opened.quarantined}.")
    return ALL_WELL
