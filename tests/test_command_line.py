"""The command line's one parser (admin_commands.parser): the window with no command, the IT
support commands with theirs, and --data-dir before or after the command. The commands run
as real processes in test_admin_commands.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from adviser_app.admin_commands import COMMANDS, parse


def test_no_command_starts_the_window() -> None:
    args = parse([])
    assert args.command is None and args.data_dir is None
    assert not args.training and not args.smoke
    args = parse(["--training", "--data-dir", "/tmp/books"])
    assert args.command is None and args.training and args.data_dir == Path("/tmp/books")


@pytest.mark.parametrize("argv", [
    ["check", "--data-dir", "/srv/books"],
    ["--data-dir", "/srv/books", "check"],
    ["check", "--data-dir=/srv/books"],
])
def test_the_folder_may_come_before_or_after_the_command(argv: list[str]) -> None:
    args = parse(argv)
    assert args.command == "check" and args.data_dir == Path("/srv/books")


def test_an_argument_equal_to_the_folder_is_kept() -> None:
    """The hand-written --data-dir handling dropped every argument equal to the folder."""
    args = parse(["restore", "--data-dir", "/srv/books", "--backup", "/srv/books"])
    assert args.command == "restore"
    assert args.data_dir == Path("/srv/books") and args.backup == Path("/srv/books")
    assert parse(["restore", "--data-dir", "/srv/books"]).backup is None


def test_every_command_is_offered_and_nonsense_is_refused(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        parse(["--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: adviser-app")
    assert all(name in shown for name in COMMANDS)
    for nonsense in (["chek"], ["check", "--backup", "x.db"], ["--data-dir"]):
        with pytest.raises(SystemExit) as done:
            parse(nonsense)
        assert done.value.code == 2, nonsense
        assert "adviser-app" in capsys.readouterr().err
