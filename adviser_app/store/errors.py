"""Why a case book could not be opened or saved, each with a message for the person using it."""

from __future__ import annotations

from adviser_app.domain.validation import plural


class CaseBookError(Exception):
    """Base class: str(error) is a plain-English message safe to show (no personal data)."""


class EncryptionMissing(CaseBookError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            "The encryption component is missing or too old, so the app can't open case books "
            f"safely ({detail}). Nothing was opened or created. Please reinstall the app.")


class UnsafeLocation(CaseBookError):
    pass


class CaseBookMissing(CaseBookError):
    pass


class CaseBookExists(CaseBookError):
    def __init__(self) -> None:
        super().__init__("A case book file already exists there, so a new one was not made "
                         "and nothing was overwritten.")


class NotEncrypted(CaseBookError):
    def __init__(self) -> None:
        super().__init__("This file is an unencrypted database, not a case book. The app only "
                         "opens encrypted case books, so it was left as it is.")


class WrongKey(CaseBookError):
    def __init__(self) -> None:
        super().__init__("The case book could not be unlocked with this key. Nothing was "
                         "changed. Check that the key file belongs to this case book.")


class CaseBookDamaged(CaseBookError):
    def __init__(self, detail: str) -> None:
        super().__init__("The case book file is damaged and was not opened. Nothing was "
                         f"deleted. ({detail})")


class DiskProblem(CaseBookError):
    def __init__(self, detail: str) -> None:
        super().__init__("The case book couldn't be read because of a problem with the disk: it "
                         "may be full, failing or unplugged. Nothing was changed. Free some "
                         f"space or check the disk, then try again. ({detail})")


class CaseBookInUse(CaseBookError):
    def __init__(self) -> None:
        super().__init__("This case book is already open in another window of Adviser "
                         "Toolkit. Close that window first, or switch to it.")


class DiskFull(CaseBookError):
    def __init__(self, what: str = "This") -> None:
        super().__init__(f"The disk is full. {what} was not done and everything was left as "
                         "it was; nothing saved is lost. Free some space (for example empty "
                         "the Downloads folder or the recycle bin) and try again.")


class CaseBookBehind(CaseBookError):
    """The case book file holds less than this laptop last recorded (outside the file): a
    lost or damaged write-ahead log after a crash, or an older copy of the whole file."""

    def __init__(self, recorded_seq: int, recorded_at: str, found_seq: int, found_at: str,
                 closed_cleanly: bool) -> None:
        self.recorded_seq, self.recorded_at = recorded_seq, recorded_at
        self.found_seq, self.found_at = found_seq, found_at
        self.closed_cleanly = closed_cleanly
        missing = recorded_seq - found_seq
        since = f"after {when(found_at)}" if found_at else "since the case book was made"
        how = ("The app was not closed properly last time, so the last changes may have been "
               "lost in the crash." if not closed_cleanly else
               "An older copy of the case book file may have been put in its place.")
        count = (f"at least {plural(missing, 'recorded action')} "
                 if missing > 0 else "recorded actions ")
        super().__init__(
            f"The case book file is behind what this laptop last recorded: {count}made "
            f"{since} (up to {when(recorded_at)}) are not in it. {how}")

    @property
    def missing_since(self) -> str:
        return when(self.found_at) if self.found_at else "the start"


def when(iso_utc: str) -> str:
    """An audit time (ISO, UTC) as the adviser reads it: dd/mm/yyyy at HH:MM, local time."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(iso_utc).astimezone()
    except ValueError:
        return iso_utc
    return moment.strftime("%d/%m/%Y at %H:%M")


class CaseBookTooNew(CaseBookError):
    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"This case book was made by a newer version of Adviser Toolkit (format {found}; "
            f"this version knows up to {known}). It was left untouched. Please update the app.")
        self.found, self.known = found, known


class UpgradeFailed(CaseBookError):
    def __init__(self, version: int, detail: str) -> None:
        super().__init__(f"The update to case book format {version} couldn't be applied; "
                         f"your data is unchanged. ({detail})")
        self.version = version


class KeyFileError(CaseBookError):
    pass


class RecordNotFound(CaseBookError):
    def __init__(self, what: str) -> None:
        super().__init__(f"That {what} is no longer in the case book.")


class WrongPassphrase(CaseBookError):
    def __init__(self, wait: int = 0) -> None:
        super().__init__("Passphrase not recognised. Check Caps Lock and the spaces between "
                         "words, then try again.")
        self.wait = wait  # seconds before the next try is allowed (see domain.passphrase)


class TooSoon(WrongPassphrase):
    """Tried again before the wait after several wrong passphrases was over (the count is
    kept beside the key file, so it holds across restarts and for the IT commands too)."""

    def __init__(self, wait: int) -> None:
        CaseBookError.__init__(
            self, f"After several wrong passphrases, wait {plural(wait, 'second')}"
                  " before trying again. Nothing was changed.")
        self.wait = wait


class WrongRecoveryKey(CaseBookError):
    def __init__(self) -> None:
        super().__init__("That recovery key is not right for this case book. It has 32 letters "
                         "and digits in groups of four; check each group and try again.")


class CheckStopped(CaseBookError):
    def __init__(self) -> None:
        super().__init__("The check or backup was stopped before it finished; nothing was "
                         "changed.")
