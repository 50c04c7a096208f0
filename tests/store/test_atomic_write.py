"""Atomic writes of our own files at every crash point (T12, an ALICE-style model check).

A real atomic_write of the key file (old passphrase wrap -> new one) runs through a recording
file system. For every crash point k (a crash after the first k recorded operations) the test
builds every disk state that pessimistic POSIX rules allow, plus a few random torn writes:

* file data is durable only once that file has been fsynced; before then any prefix of it, a
  zero-filled file of the right size or an empty file may be what reached the disk;
* a directory change (create, rename, remove) is durable only after the folder is fsynced, but
  any of them may reach the disk earlier, in any combination, even before the renamed file's
  data (delayed allocation).

Invariant: the key file holds exactly the old bytes or exactly the new bytes, and once
atomic_write has returned, exactly the new bytes. Teeth: mutants of atomic_write made by
deleting one fsync from its source must be caught.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import random
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from adviser_app.store import files, keyfile
from adviser_app.store.files import OS_FILES, FileSystem
from adviser_app.store.keyfile import (create_protected_key_file, set_passphrase,
                                       unlock_with_passphrase)
from support import CHEAP

OLD_PASS = "otter lantern pumpkin"
NEW_PASS = "heron teapot marmalade"
RANDOM_SAMPLES = 4  # random torn writes per crash point, beyond the fixed ones
SEED = 20261128

AtomicWrite = Callable[..., None]


# ----- the recorded operations ----------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    """A directory change: *name* now points at *inode* (None: the name is gone)."""
    name: str
    inode: int | None


@dataclass(frozen=True)
class Rename:
    source: str
    target: str
    inode: int


@dataclass(frozen=True)
class Write:
    inode: int
    data: bytes


@dataclass(frozen=True)
class FsyncFile:
    inode: int


@dataclass(frozen=True)
class FsyncDir:
    pass


Op = Link | Rename | Write | FsyncFile | FsyncDir


class RecordingFs:
    """Does the real operations (through OS_FILES) and records them for the crash model.
    Every file lives in one folder, so names are enough."""

    def __init__(self, names: dict[str, int]) -> None:
        self.ops: list[Op] = []
        self.names = dict(names)  # name -> inode, as the running program sees it
        self.next_inode = max(names.values(), default=0) + 1
        self.fds: dict[int, int] = {}  # descriptor -> inode

    def write_temp(self, path: Path, data: bytes, mode: int) -> int:
        fd = OS_FILES.write_temp(path, data, mode)
        inode = self.next_inode
        self.next_inode += 1
        self.names[path.name] = inode
        self.fds[fd] = inode
        self.ops += [Link(path.name, inode), Write(inode, data)]
        return fd

    def fsync_file(self, fd: int) -> None:
        OS_FILES.fsync_file(fd)
        self.ops.append(FsyncFile(self.fds[fd]))

    def close(self, fd: int) -> None:
        OS_FILES.close(fd)  # closing makes nothing durable

    def replace(self, source: Path, target: Path) -> None:
        OS_FILES.replace(source, target)
        inode = self.names.pop(source.name)
        self.names[target.name] = inode
        self.ops.append(Rename(source.name, target.name, inode))

    def fsync_dir(self, folder: Path) -> None:
        OS_FILES.fsync_dir(folder)
        self.ops.append(FsyncDir())

    def remove(self, path: Path) -> None:
        OS_FILES.remove(path)
        if self.names.pop(path.name, None) is not None:
            self.ops.append(Link(path.name, None))


def _apply(names: dict[str, int], op: Link | Rename) -> None:
    if isinstance(op, Rename):
        names.pop(op.source, None)
        names[op.target] = op.inode
    elif op.inode is None:
        names.pop(op.name, None)
    else:
        names[op.name] = op.inode


# ----- the crash states -----------------------------------------------------------------------

def _torn(data: bytes, rng: random.Random) -> Iterator[bytes]:
    """What may be on disk for a file whose data was written but never fsynced."""
    yield b""
    yield bytes(len(data))  # the size reached the disk, the blocks did not
    yield data  # it may all have got there
    for cut in sorted({len(data) // 2, 512, 4096} | {rng.randrange(len(data) + 1)
                                                     for _ in range(RANDOM_SAMPLES)}):
        if 0 < cut < len(data):
            yield data[:cut]
            yield data[:cut] + bytes(len(data) - cut)


def crash_states(start: dict[str, bytes], ops: list[Op], k: int,
                 rng: random.Random) -> Iterator[dict[str, bytes]]:
    """Every disk state (name -> bytes) a crash after ops[:k] may leave, under pessimistic
    POSIX rules; *start* is the durable state before the first operation."""
    inode_of = {name: number for number, name in enumerate(sorted(start), start=1)}
    durable_data = {inode_of[name]: data for name, data in start.items()}
    written: dict[int, bytes] = {}
    durable_names = dict(inode_of)
    pending: list[Link | Rename] = []
    for op in ops[:k]:
        if isinstance(op, Write):
            written[op.inode] = op.data
        elif isinstance(op, FsyncFile):
            if op.inode in written:
                durable_data[op.inode] = written.pop(op.inode)
        elif isinstance(op, FsyncDir):
            for change in pending:
                _apply(durable_names, change)
            pending = []
        else:
            pending.append(op)
    for chosen in itertools.product((False, True), repeat=len(pending)):
        names = dict(durable_names)
        for change, reached in zip(pending, chosen, strict=True):
            if reached:
                _apply(names, change)
        unsynced = sorted({inode for inode in names.values() if inode in written})
        choices = [list(_torn(written[inode], rng)) for inode in unsynced]
        for contents in itertools.product(*choices):
            on_disk = {**durable_data, **dict(zip(unsynced, contents, strict=True))}
            yield {name: on_disk.get(inode, b"") for name, inode in names.items()}


@dataclass(frozen=True)
class Broken:
    crash_after: int
    ops: int
    found: bytes | None  # None: the key file is missing

    def __str__(self) -> str:
        shown = "missing" if self.found is None else repr(self.found[:40]) + (
            "..." if len(self.found) > 40 else "")
        size = "" if self.found is None else f" ({len(self.found)} bytes)"
        return f"crash after {self.crash_after}/{self.ops} operations: key file {shown}{size}"


@dataclass(frozen=True)
class Recording:
    name: str
    old: bytes
    new: bytes
    start: dict[str, bytes]
    ops: list[Op]


def check(rec: Recording, seed: int = SEED) -> tuple[list[Broken], int]:
    """The states that break the invariant, and how many states were checked."""
    rng = random.Random(seed)
    broken: list[Broken] = []
    states = 0
    for k in range(len(rec.ops) + 1):
        allowed = {rec.new} if k == len(rec.ops) else {rec.old, rec.new}
        for state in crash_states(rec.start, rec.ops, k, rng):
            states += 1
            found = state.get(rec.name)
            if found not in allowed:
                broken.append(Broken(k, len(rec.ops), found))
    return broken, states


# ----- recording a real key-file write --------------------------------------------------------

def record_passphrase_change(folder: Path, monkeypatch: pytest.MonkeyPatch,
                             write: AtomicWrite = files.atomic_write) -> Recording:
    """Change the key file's passphrase for real, with *write* as atomic_write through a
    recording file system."""
    folder.mkdir()
    path = folder / "casebook.key"
    dek, _ = create_protected_key_file(path, OLD_PASS, CHEAP)
    old = path.read_bytes()
    start = {p.name: p.read_bytes() for p in folder.iterdir()}
    fs = RecordingFs({name: n for n, name in enumerate(sorted(start), start=1)})
    with monkeypatch.context() as patched:
        patched.setattr(keyfile, "atomic_write", functools.partial(write, fs=fs))
        set_passphrase(path, dek, NEW_PASS, CHEAP)
    new = path.read_bytes()
    assert new != old and unlock_with_passphrase(path, NEW_PASS) == dek
    assert sorted(p.name for p in folder.iterdir()) == ["casebook.key"]  # no temp file left
    return Recording(path.name, old, new, start, fs.ops)


def mutant(drop: str) -> AtomicWrite:
    """atomic_write with the `fs.<drop>(...)` call deleted from its source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(files.atomic_write)))
    deleted = 0

    class Delete(ast.NodeTransformer):
        def visit_Expr(self, node: ast.Expr) -> ast.AST:
            call = node.value
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
                    call.func.attr == drop:
                nonlocal deleted
                deleted += 1
                return ast.copy_location(ast.Pass(), node)
            return node

    tree = ast.fix_missing_locations(Delete().visit(tree))
    assert deleted == 1, f"expected one fs.{drop}() call in atomic_write, found {deleted}"
    namespace: dict[str, Any] = dict(vars(files))
    exec(compile(tree, files.__file__, "exec"), namespace)
    made: AtomicWrite = namespace["atomic_write"]
    return made


# ----- the tests ------------------------------------------------------------------------------

def test_the_real_write_is_recorded_in_order(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    rec = record_passphrase_change(tmp_path / "keys", monkeypatch)
    kinds = [type(op).__name__ for op in rec.ops]
    assert kinds == ["Link", "Write", "FsyncFile", "Rename", "FsyncDir"]
    assert rec.start == {"casebook.key": rec.old}


def test_every_crash_point_leaves_the_old_or_the_new_key_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = time.perf_counter()
    rec = record_passphrase_change(tmp_path / "keys", monkeypatch)
    broken, states = check(rec)
    assert not broken, "\n".join(map(str, broken[:10]))
    assert states > 2 * (len(rec.ops) + 1)  # more than one state per crash point
    assert time.perf_counter() - started < 5


def test_the_checker_sees_the_states_it_should(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: the model does produce early renames and torn files, so a pass means
    something (a model that only ever replayed ops in order would pass any code)."""
    rec = record_passphrase_change(tmp_path / "keys", monkeypatch)
    rename_at = next(i for i, op in enumerate(rec.ops) if isinstance(op, Rename))
    seen = {state.get(rec.name) for state in
            crash_states(rec.start, rec.ops, rename_at + 1, random.Random(SEED))}
    assert seen == {rec.old, rec.new}  # renamed or not; the data was fsynced first
    unsynced: list[Op] = [op for op in rec.ops if not isinstance(op, FsyncFile)]
    temp = f".{rec.name}.tmp-"
    torn = {value for state in crash_states(rec.start, unsynced, 2, random.Random(SEED))
            for name, value in state.items() if name.startswith(temp)}
    assert b"" in torn and rec.new in torn and any(0 < len(v) < len(rec.new) for v in torn)


def test_teeth_no_fsync_of_the_temp_file_is_caught(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    rec = record_passphrase_change(tmp_path / "keys", monkeypatch, mutant("fsync_file"))
    assert not any(isinstance(op, FsyncFile) for op in rec.ops)
    broken, _ = check(rec)
    assert broken, "the checker missed atomic_write without its fsync of the temp file"
    found = {b.found for b in broken}
    assert b"" in found  # an empty key file: the rename reached the disk, the data did not
    assert any(f is not None and 0 < len(f) < len(rec.new) and rec.new.startswith(f)
               for f in found)  # a torn key file
    assert all(b.crash_after > [type(op) for op in rec.ops].index(Rename) for b in broken)


def test_teeth_no_fsync_of_the_folder_is_caught(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the folder fsync the file is never torn, but a crash just after atomic_write
    returned may bring back the old passphrase wrap: the change was not durable."""
    rec = record_passphrase_change(tmp_path / "keys", monkeypatch, mutant("fsync_dir"))
    broken, _ = check(rec)
    assert broken and all(b.crash_after == len(rec.ops) and b.found == rec.old
                          for b in broken)


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"old")

    class FullDisk(RecordingFs):
        def fsync_file(self, fd: int) -> None:
            raise OSError(28, "No space left on device")

    fs = FullDisk({path.name: 1})
    with pytest.raises(OSError):
        files.atomic_write(path, b"new", fs=fs)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert path.read_bytes() == b"old"
    assert isinstance(fs.ops[-1], Link) and fs.ops[-1].inode is None  # the temp file removed


def test_the_default_file_system_is_the_real_one(tmp_path: Path) -> None:
    path = tmp_path / "k"
    files.atomic_write(path, b"x" * 70_000)
    assert path.read_bytes() == b"x" * 70_000 and (path.stat().st_mode & 0o077) == 0
    fs: FileSystem = OS_FILES
    assert inspect.signature(files.atomic_write).parameters["fs"].default is fs
