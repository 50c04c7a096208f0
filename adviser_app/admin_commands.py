"""The command line: one parser for the app's window and the IT support commands (`check`,
`backup`, `restore`). Kept apart from admin.py so that starting the window need not load the
storage code behind the commands."""

from __future__ import annotations

import argparse
from pathlib import Path

COMMANDS = {
    "check": "both integrity checks on the case book and every backup",
    "backup": "a verified backup now",
    "restore": "back to the newest good backup (or the one given with --backup)",
}
DATA_DIR_HELP = "the folder holding the case books (default: this user's app data folder)"


def parser() -> argparse.ArgumentParser:
    """With no command the window starts; a command runs without one. --data-dir may come
    before or after the command."""
    main = argparse.ArgumentParser(
        prog="adviser-app", description="Adviser Toolkit",
        epilog="The commands ask for the passphrase (or read its first line from standard "
               "input). Exit codes: 0 all well; 1 damage found, or nothing done; 2 could not "
               "unlock.")
    main.add_argument("--data-dir", type=Path, default=None, metavar="DIR", help=DATA_DIR_HELP)
    main.add_argument("--training", action="store_true",
                      help="open the training case book of fictional families")
    main.add_argument("--smoke", action="store_true",
                      help="start, open the training case book, check it, and exit")
    commands = main.add_subparsers(dest="command", metavar="COMMAND",
                                   title="commands for IT support (no window)")
    for name, summary in COMMANDS.items():
        command = commands.add_parser(name, help=summary, description=summary)
        # SUPPRESS: a --data-dir given before the command is not reset by this one's default
        command.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                             help=DATA_DIR_HELP)
        if name == "restore":
            command.add_argument("--backup", type=Path, default=None, metavar="FILE",
                                 help="the backup file to restore (default: the newest good "
                                      "one)")
    return main


def parse(argv: list[str]) -> argparse.Namespace:
    """The arguments; argparse exits with 2 and says why when they make no sense."""
    return parser().parse_args(argv)
