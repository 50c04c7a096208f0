"""Opening the case book through its checks: a restore cut off part-way is finished, a file
behind its anchor caught up, a damaged file replaced by the newest good backup, and a damaged
key file by its copy; and going back to a backup the adviser chose.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from adviser_app.services.backups import BackupInfo, list_backups
from adviser_app.services.case_books import (check_passphrase, copy_key_file_to_backups,
                                             kdf_for_rewrap, kdf_for_this_laptop)
from adviser_app.services.places import CaseBookPlace
from adviser_app.services.restoring import (clean_leftovers, finish_restore, keep_copies,
                                            quarantine, quarantine_folder, restore)
from adviser_app.store.db import (Database, close_case_book, data_key, holds_anchor_state,
                                  key_opens, open_case_book, verify_file)
from adviser_app.store.errors import (CaseBookBehind, CaseBookDamaged, CaseBookError,
                                      KeyFileError, TooSoon, WrongKey, WrongPassphrase,
                                      WrongRecoveryKey)
from adviser_app.store.files import atomic_write
from adviser_app.store.keyfile import (PRODUCTION_KDF, KdfParams, key_file_damaged,
                                       set_passphrase, unlock_with_passphrase,
                                       unlock_with_recovery_key)


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
            folder = quarantine_folder(place)
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
    folder = quarantine_folder(place)
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
