"""Verified, rotated, encrypted backups; quarantining a damaged case book and restoring it.

Nothing is ever deleted except old automatic backups beyond the number kept: a damaged case
book is moved to quarantine/, never wiped (losing data is a breach too).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from adviser_app.services.case_books import (check_passphrase, copy_key_file_to_backups,
                                             kdf_for_rewrap, kdf_for_this_laptop)
from adviser_app.services.places import CaseBookPlace
from adviser_app.store.anchor import anchor_path
from adviser_app.store.db import (Database, behind_problem, close_case_book, copy_held_file,
                                  data_key, hold_main_file, holds_anchor_state, key_opens,
                                  open_case_book,
                                  owner_only, release_main_file, verify_file)
from adviser_app.store.errors import (CaseBookBehind, CaseBookDamaged, CaseBookError,
                                      DiskFull, KeyFileError, TooSoon, WrongKey,
                                      WrongPassphrase, WrongRecoveryKey)
from adviser_app.store.files import atomic_write
from adviser_app.store.keyfile import (PRODUCTION_KDF, KdfParams, key_file_damaged,
                                       set_passphrase, unlock_with_passphrase,
                                       unlock_with_recovery_key)

KEEP = 10
_STAMP = "%Y%m%dT%H%M%S"
_STAMP_IN_NAME = re.compile(r"-(\d{8}T\d{6})Z?(?:-\d+)?$")  # "-2": a second one that second


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime

    @property
    def label(self) -> str:
        return self.taken_at.strftime("%d/%m/%Y at %H:%M")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def list_backups(place: CaseBookPlace) -> list[BackupInfo]:
    """Automatic and pre-upgrade backups of this case book, newest first."""
    found = []
    if place.backups.is_dir():
        for path in place.backups.glob(f"{place.path.stem}-*.db"):
            stamp = _STAMP_IN_NAME.search(path.stem)
            try:
                taken = datetime.strptime(stamp.group(1), _STAMP) if stamp else None
            except ValueError:
                taken = None
            if taken is None:
                continue
            found.append(BackupInfo(path, taken))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


@dataclass
class HeldFile:
    """A case book file kept unchanged while a worker thread checks or copies it.

    *stop* asks the worker to give up soon; the worker holds *reading* while it reads the
    case book file itself, so finish() returns only once it has let go."""
    path: Path
    key: bytes
    stop: threading.Event = field(default_factory=threading.Event)
    reading: threading.Lock = field(default_factory=threading.Lock)

    def finish(self) -> None:
        self.stop.set()
        with self.reading:
            pass


def hold(db: Database, place: CaseBookPlace) -> HeldFile:
    """On the thread that owns *db*: keep its file unchanged until release()."""
    hold_main_file(db)
    return HeldFile(place.path, data_key(db))


def release(db: Database, held: HeldFile) -> None:
    """On the thread that owns *db*: stop any worker still reading, then let the file change."""
    held.finish()
    release_main_file(db)


def check_held(held: HeldFile) -> None:
    """Any thread: both integrity checks of the held case book file (CaseBookDamaged if not)."""
    with held.reading:
        verify_file(held.path, held.key, snapshot=True, stop=held.stop)


def back_up_held(held: HeldFile, place: CaseBookPlace, extra_folder: Path | None = None,
                 keep: int = KEEP) -> BackupInfo:
    """Any thread: copy the held case book into backups/ (and to *extra_folder* if given),
    check the copy, and keep the newest *keep* automatic backups. The copy is written under a
    temporary name and renamed only once it has passed, so a half-made backup never looks
    like a good one."""
    place.backups.mkdir(mode=0o700, exist_ok=True)
    check_space_for_backup(place, place.backups)
    if extra_folder is not None:
        extra_folder.mkdir(parents=True, exist_ok=True)
        check_space_for_backup(place, extra_folder)
    taken = _now()
    target = place.backups / f"{place.path.stem}-{taken.strftime(_STAMP)}.db"
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        with held.reading:
            copy_held_file(held.path, tmp, held.stop)
        verify_file(tmp, held.key, snapshot=True)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _plain(exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        copy_key_file_to_backups(place)
        if extra_folder is not None:
            copy = extra_folder / target.name
            partial = copy.with_name(copy.name + ".partial")
            try:
                shutil.copyfile(target, partial)
                owner_only(partial)
                os.replace(partial, copy)
            finally:
                partial.unlink(missing_ok=True)
            shutil.copy2(place.key_path, extra_folder / place.key_path.name)
    except OSError as exc:
        raise _plain(exc) from exc
    automatic = [b for b in list_backups(place) if "pre-upgrade" not in b.path.name]
    for old in automatic[keep:]:
        old.path.unlink(missing_ok=True)
    return BackupInfo(target, taken)


SPACE_MARGIN = 20 * 1024 * 1024  # never fill the disk to the last byte with a backup


def space_needed(place: CaseBookPlace) -> int:
    """Bytes a backup of the case book takes: the file, with a margin."""
    size = place.path.stat().st_size if place.path.exists() else 0
    return size + SPACE_MARGIN


def check_space_for_backup(place: CaseBookPlace, folder: Path) -> None:
    """DiskFull, before anything is written, when *folder* has too little free space."""
    needed, free = space_needed(place), shutil.disk_usage(folder).free
    if free < needed:
        raise DiskFull(f"The backup (about {_mb(needed)} MB; {_mb(free)} MB is free)")


def _mb(size: int) -> str:
    return f"{max(size, 0) / 1_000_000:,.0f}"


def _plain(exc: OSError) -> CaseBookError:
    """A failed file operation in words: a full disk, or another disk problem."""
    if exc.errno == errno.ENOSPC:
        return DiskFull("The backup")
    return CaseBookError(f"The backup could not be written ({exc.strerror or 'disk problem'}). "
                         "Nothing was changed; check the disk and try again.")


def clean_leftovers(place: CaseBookPlace) -> int:
    """Remove what an interrupted backup or restore left behind (never a finished file, and
    not while a restore is being finished: see finish_restore). Returns how many."""
    removed = 0
    if _journal(place).exists():
        return 0
    leftovers = list(place.backups.glob("*.partial")) if place.backups.is_dir() else []
    leftovers += list(place.path.parent.glob(f"{place.path.name}.restoring"))
    for leftover in leftovers:
        try:
            leftover.unlink()
            removed += 1
        except OSError:
            pass  # tried again next time
    return removed


def backup_now(db: Database, place: CaseBookPlace, extra_folder: Path | None = None,
               keep: int = KEEP) -> BackupInfo:
    """A verified backup, made and checked on this thread (the app does it on a worker)."""
    held = hold(db, place)
    try:
        return back_up_held(held, place, extra_folder, keep)
    finally:
        release(db, held)


def full_check(db: Database, place: CaseBookPlace) -> None:
    """Both integrity checks of the open case book, on this thread (the app uses a worker)."""
    held = hold(db, place)
    try:
        check_held(held)
    finally:
        release(db, held)


def _quarantine_folder(place: CaseBookPlace) -> Path:
    base = place.path.parent / "quarantine" / _now().strftime(_STAMP)
    folder, number = base, 1
    while folder.exists():  # two in the same second (or a repeated hour): never overwrite
        number += 1
        folder = base.with_name(f"{base.name}-{number}")
    folder.mkdir(mode=0o700, parents=True)
    return folder


def _involved(place: CaseBookPlace) -> list[Path]:
    """The case book's files that go together: the file, its WAL and index, its anchor."""
    return [place.path, Path(f"{place.path}-wal"), Path(f"{place.path}-shm"),
            anchor_path(place.path)]


def _fsync_folder(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _move_aside(place: CaseBookPlace, folder: Path) -> None:
    for source in _involved(place):
        if source.exists():
            target = folder / source.name
            number = 1
            while target.exists():
                number += 1
                target = folder / f"{source.name}.{number}"
            os.replace(source, target)
            owner_only(target)
            _fsync_folder(folder)
            _fsync_folder(place.path.parent)
            _crash_point(f"moved {source.name}")


def quarantine(place: CaseBookPlace) -> Path:
    """Move the case book (its WAL files and anchor too) aside into quarantine/, never
    deleting it."""
    folder = _quarantine_folder(place)
    _move_aside(place, folder)
    return folder


def keep_copies(place: CaseBookPlace) -> Path:
    """Copy the case book's files into quarantine/ as they are now (the case book stays in
    use): what a crash left behind, kept before anything changes it."""
    folder = _quarantine_folder(place)
    for source in _involved(place):
        if source.exists():
            copy_held_file(source, folder / source.name)
    _fsync_folder(folder)
    return folder


def _crash_point(step: str) -> None:
    """Called after each step of a restore. Nothing happens here; the recovery tests replace
    it to kill the process at that step and check that the next start finishes the restore."""


def _journal(place: CaseBookPlace) -> Path:
    return place.restore_journal


def _write_journal(place: CaseBookPlace, backup: Path, folder: Path, phase: str) -> None:
    atomic_write(_journal(place), json.dumps(
        {"backup": str(backup), "quarantine": str(folder), "phase": phase}).encode("utf-8"))


def restore(place: CaseBookPlace, backup: BackupInfo, key: bytes) -> Path | None:
    """Put *backup* in place of the case book; the current files (if any) go to quarantine.
    The backup is checked first, so a bad backup never replaces anything. Each step is
    written down first (a journal beside the case book), so a restore cut off part-way is
    finished at the next start (finish_restore) rather than leaving no case book."""
    verify_file(backup.path, key, snapshot=True)
    had_book = place.path.exists()
    folder = _quarantine_folder(place)
    _write_journal(place, backup.path, folder, "quarantine")
    _crash_point("journal written")
    _carry_out(place, backup.path, folder, "quarantine")
    if not had_book and not any(folder.iterdir()):
        folder.rmdir()
        return None
    return folder


def _carry_out(place: CaseBookPlace, backup: Path, folder: Path, phase: str) -> None:
    if phase == "quarantine":
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _move_aside(place, folder)
        _write_journal(place, backup, folder, "copy")
        _crash_point("quarantined")
    for leftover in _involved(place)[1:]:  # never let an old WAL meet the restored file
        if leftover.exists():
            _move_aside(place, folder)
            break
    tmp = place.path.with_name(place.path.name + ".restoring")
    tmp.unlink(missing_ok=True)
    if not backup.is_file():
        raise CaseBookError(f"The restore could not be finished: the backup {backup} is no "
                            f"longer there. The files it replaced are kept in {folder}.")
    try:
        copy_held_file(backup, tmp)
        _crash_point("copied")
        os.replace(tmp, place.path)
        _fsync_folder(place.path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFull("The restore") from exc
        raise
    _crash_point("replaced")
    _journal(place).unlink()
    _fsync_folder(place.path.parent)


def restore_interrupted(place: CaseBookPlace) -> bool:
    """Whether a restore was cut off part-way (finish_restore finishes it)."""
    return _journal(place).exists()


def finish_restore(place: CaseBookPlace) -> Path | None:
    """Finish a restore that was cut off part-way (a crash, a kill, a power cut); returns the
    quarantine folder it used, or None when there was nothing to finish."""
    journal = _journal(place)
    try:
        body = json.loads(journal.read_text(encoding="utf-8"))
        backup, folder, phase = Path(body["backup"]), Path(body["quarantine"]), body["phase"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise CaseBookError(f"A restore was interrupted and its record ({journal}) can't be "
                            "read. Nothing was changed. Ask IT support to run "
                            "`adviser-app restore`.") from None
    _carry_out(place, backup, folder, phase if phase in ("quarantine", "copy") else "copy")
    return folder


@dataclass(frozen=True)
class Opened:
    db: Database
    restored_from: BackupInfo | None = None
    quarantined: Path | None = None
    behind: CaseBookBehind | None = None
    resumed: Path | None = None  # a restore cut off part-way was finished (its quarantine)
    key_replaced: Path | None = None  # a damaged key file was replaced by its copy (kept here)
    key_rewritten: Path | None = None  # ... or written afresh from its recovery wrap (kept here)
    chosen: bool = False  # the adviser (or IT support) chose to go back to restored_from

    @property
    def message(self) -> str:
        resumed = (f"A restore from a backup had been cut off part-way; it was finished now, "
                   f"and the files it replaced are kept in {self.resumed}. "
                   if self.resumed is not None else "")
        if self.key_replaced is not None:
            resumed = (f"The key file was damaged. Its copy in the backups folder opens this "
                       f"case book, so it was put in its place; the damaged key file is kept "
                       f"in {self.key_replaced}. " + resumed)
        if self.key_rewritten is not None:
            resumed = (f"The key file was damaged, but the recovery key still opened it, so "
                       f"it was written afresh with your new passphrase; the damaged key file "
                       f"is kept in {self.key_rewritten}. " + resumed)
        if self.behind is not None:
            if self.restored_from is not None:
                return (f"{resumed}{self.behind} Every file involved was kept in "
                        f"{self.quarantined}. Your case book was restored from the backup made "
                        f"on {self.restored_from.label}, which holds everything this laptop "
                        "recorded: nothing needs re-entering.")
            return (f"{resumed}{self.behind} Every file involved was kept in "
                    f"{self.quarantined}, and no backup holds more. Check the cases you worked "
                    f"on after {self.behind.missing_since} and re-enter anything missing.")
        if self.restored_from is None:
            return resumed.strip()
        if self.chosen:
            return (f"{resumed}The case book you had open was kept in {self.quarantined}. "
                    f"Your case book was restored from the backup made on "
                    f"{self.restored_from.label}: anything saved after that time needs "
                    "re-entering.")
        return (f"{resumed}The case book file was damaged. The damaged file was kept in "
                f"{self.quarantined}. Your case book was restored from the backup made on "
                f"{self.restored_from.label}: anything saved after that time needs "
                "re-entering.")

    @property
    def title(self) -> str:
        """A heading for the message."""
        return ("Case book restored from a backup" if self.restored_from
                else "Some recent changes may be missing" if self.behind
                else "Key file replaced by its copy" if self.key_replaced
                else "Key file written afresh" if self.key_rewritten
                else "Restore finished")

    def told(self, tell: Callable[[str, str], None]) -> Database:
        """The open case book, once what there is to say has gone to *tell* (title, message)."""
        if self.message:
            tell(self.title, self.message)
        return self.db


def open_or_recover(place: CaseBookPlace, passphrase: str) -> Opened:
    """Unlock the case book; if its first page is damaged, quarantine it and restore the
    newest backup that passes its checks. The full checks of every page come after opening
    (check_held on a worker thread, or full_check)."""
    key, key_replaced = unlock(place, passphrase)
    return replace(open_with_key(place, key), key_replaced=key_replaced)


def open_with_recovery(place: CaseBookPlace, recovery_key: str, new_passphrase: str, *,
                       kdf: KdfParams = PRODUCTION_KDF) -> Opened:
    """Open with the printed recovery key and set a new passphrase, through the same checks
    as a passphrase (open_or_recover): a restore cut off part-way is finished, a file behind
    its anchor is caught up, a damaged file recovered, and a damaged key file replaced by its
    copy when that copy opens with this recovery key. The new passphrase is set once the case
    book is open (recorded key stretching, or calibrated settings if below *kdf*)."""
    check_passphrase(new_passphrase)
    key, key_replaced = unlock(place, recovery_key, unwrap=unlock_with_recovery_key)
    opened = replace(open_with_key(place, key), key_replaced=key_replaced)
    try:
        if key_file_damaged(place.key_path):  # its recovery wrap opened all the same
            folder = _quarantine_folder(place)
            shutil.copy2(place.key_path, folder / place.key_path.name)
            opened = replace(opened, key_rewritten=folder)
            stretching = kdf_for_this_laptop(kdf)
        else:
            stretching = kdf_for_rewrap(place, kdf)
        set_passphrase(place.key_path, key, new_passphrase, stretching,
                       recovery_key=recovery_key)
        copy_key_file_to_backups(place)
    except BaseException:
        close_case_book(opened.db)
        raise
    return opened


def unlock(place: CaseBookPlace, secret: str,
           unwrap: Callable[[Path, str], bytes] = unlock_with_passphrase,
           ) -> tuple[bytes, Path | None]:
    """The data key, from the passphrase (or with *unwrap*, the recovery key). If the key
    file is damaged or missing and the copy beside the backups opens with this secret and
    reads this case book, the copy is put in its place (the damaged file is kept in
    quarantine/): returns where it was kept, else None."""
    copy = place.backups / place.key_path.name
    try:
        return unwrap(place.key_path, secret), None
    except KeyFileError as problem:
        if not copy.is_file():
            raise
        return _use_copy(place, copy, secret, unwrap, problem)
    except TooSoon:
        raise  # the wait after wrong passphrases holds for the copy too
    except (WrongPassphrase, WrongRecoveryKey) as problem:
        # A key file changed since its copy (swapped with another case book's, or edited
        # and its checksum made to match) reads as a wrong passphrase; the copy tells.
        if not copy.is_file() or copy.read_bytes() == place.key_path.read_bytes():
            raise
        return _use_copy(place, copy, secret, unwrap, problem)


def _use_copy(place: CaseBookPlace, copy: Path, secret: str,
              unwrap: Callable[[Path, str], bytes],
              problem: CaseBookError) -> tuple[bytes, Path | None]:
    """Put the key file's *copy* in its place when it opens with *secret* and reads this case
    book (the key file is kept in quarantine/); otherwise raise the key file's *problem*."""
    try:
        key = unwrap(copy, secret)
    except CaseBookError:
        raise problem from None
    if not key_opens(place.path, key):
        raise problem from None
    folder = _quarantine_folder(place)
    if place.key_path.exists():
        os.replace(place.key_path, folder / place.key_path.name)
    atomic_write(place.key_path, copy.read_bytes())
    return key, folder


def open_with_key(place: CaseBookPlace, key: bytes) -> Opened:
    """As open_or_recover, with the data key already unwrapped. A restore cut off part-way
    is finished first; a file behind its anchor is caught up (see catch_up)."""
    resumed = finish_restore(place)
    clean_leftovers(place)
    try:
        opened = Opened(open_case_book(place.path, key))
    except CaseBookBehind as behind:
        opened = catch_up(place, key, behind)
    except (CaseBookDamaged, WrongKey) as damage:
        opened = recover(place, key, damage)
    return opened if resumed is None else replace(opened, resumed=resumed)


def catch_up(place: CaseBookPlace, key: bytes, behind: CaseBookBehind) -> Opened:
    """The case book file holds less than its anchor recorded. Restore the newest good backup
    that holds everything recorded, if there is one; otherwise keep copies of every file as
    it is in quarantine/ and open the file as it stands, saying what may be missing."""
    from adviser_app.store.anchor import read_anchor

    anchor = read_anchor(place.path)
    for backup in list_backups(place):
        try:
            verify_file(backup.path, key, snapshot=True)
        except CaseBookError:
            continue
        if anchor is not None and holds_anchor_state(backup.path, key, anchor.head.seq,
                                                     anchor.head.mac):
            kept = restore(place, backup, key)
            return Opened(open_case_book(place.path, key), backup, kept, behind)
    kept = keep_copies(place)
    return Opened(open_case_book(place.path, key, accept_behind=True), None, kept, behind)


def recover_open(db: Database, place: CaseBookPlace, damage: CaseBookError) -> Opened:
    """A check found *damage* in the open case book: close it, then recover as below."""
    key = data_key(db)
    try:
        close_case_book(db)
    except Exception:
        pass
    return recover(place, key, damage)


def recover(place: CaseBookPlace, key: bytes, damage: CaseBookError) -> Opened:
    """The (closed) case book is damaged: quarantine it and restore the newest backup that
    passes its checks, or explain that none did."""
    # The passphrase opened the key file, so a "wrong key" here means the file's first page
    # is unreadable, unless this key file belongs to another case book: a backup that passes
    # its checks with this key settles which.
    for backup in list_backups(place):
        try:
            verify_file(backup.path, key, snapshot=True)
        except CaseBookError:
            continue
        kept = restore(place, backup, key)
        return Opened(open_case_book(place.path, key), backup, kept)
    if isinstance(damage, WrongKey):
        raise damage  # nothing proves the file is damaged: leave it exactly where it is
    kept = quarantine(place)
    raise CaseBookDamaged(f"no good backup was found; the damaged file was kept in "
                          f"{kept}") from damage


def restore_from_backup(place: CaseBookPlace, backup: BackupInfo, passphrase: str) -> Opened:
    """The adviser chose to go back to a backup (the current file is kept in quarantine)."""
    key = unlock_with_passphrase(place.key_path, passphrase)
    return restore_with_key(place, backup, key)


def restore_with_key(place: CaseBookPlace, backup: BackupInfo, key: bytes) -> Opened:
    resumed = finish_restore(place)
    kept = restore(place, backup, key)
    return Opened(open_case_book(place.path, key, accept_behind=True), backup, kept,
                  resumed=resumed, chosen=True)


def newest_good_backup(place: CaseBookPlace, key: bytes) -> BackupInfo | None:
    """The newest backup that passes both checks (a damaged newer one is passed over)."""
    for backup in list_backups(place):
        try:
            verify_file(backup.path, key, snapshot=True)
        except CaseBookError:
            continue
        return backup
    return None


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
                     f"unlocking in the app finishes it ({_journal(place)})")
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



