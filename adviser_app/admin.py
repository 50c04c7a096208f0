"""Commands for IT support: `adviser-app check`, `adviser-app backup`, `adviser-app restore`.

The passphrase is asked for on the terminal (or read from standard input when piped). Exit
codes: 0 all well, 1 damage found or nothing done, 2 could not unlock or other error.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from adviser_app.services import backups, case_books
from adviser_app.store.db import close_case_book
from adviser_app.store.errors import CaseBookError


def _passphrase() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Passphrase: ")
    return sys.stdin.readline().rstrip("\n")


def run(command: str, argv: list[str], data_dir: Path) -> int:
    parser = argparse.ArgumentParser(prog=f"adviser-app {command}")
    if command == "restore":
        parser.add_argument("--backup", type=Path,
                            help="the backup file to restore (default: the newest good one)")
    args = parser.parse_args(argv)
    place = case_books.real_place(data_dir)
    if not place.exists():
        print(f"No case book in {data_dir}.", file=sys.stderr)
        return 2
    try:
        passphrase = _passphrase()
        if command == "check":
            report = backups.check(place, passphrase)
            print(report)
            return 1 if "DAMAGED" in report.splitlines()[0] else 0
        if command == "backup":
            db = case_books.open_existing(place, passphrase)
            try:
                info = backups.backup_now(db, place)
            finally:
                close_case_book(db)
            print(f"Backup written and checked: {info.path}")
            return 0
        found = backups.list_backups(place)
        chosen = [b for b in found if args.backup and b.path.resolve() ==
                  args.backup.resolve()] if args.backup else found[:1]
        if not chosen:
            print("No such backup. Backups:\n" + "\n".join(str(b.path) for b in found),
                  file=sys.stderr)
            return 1
        opened = backups.restore_from_backup(place, chosen[0], passphrase)
        close_case_book(opened.db)
        print(f"Restored the backup made on {chosen[0].label}. The previous case book file "
              f"was kept in {opened.quarantined}.")
        return 0
    except CaseBookError as exc:
        print(str(exc), file=sys.stderr)
        return 2
