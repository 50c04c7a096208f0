"""Where a case book may live: on this laptop, never in a synced or network folder."""

from __future__ import annotations

from pathlib import PurePath

_SYNCED = ("onedrive", "dropbox", "google drive", "googledrive", "icloud", "icloud drive",
           "box sync", "nextcloud", "owncloud", "mobile documents")


def location_problem(path: PurePath) -> str | None:
    """A plain-English reason why *path* is unsafe for a case book, or None if it is fine."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return ("This folder is on a network share. Case books must be kept on this laptop, "
                "because the database can be damaged over a network. Choose a folder on this "
                "laptop.")
    for part in path.parts:
        lowered = part.casefold()
        if any(lowered == name or lowered.startswith(name + " -") for name in _SYNCED):
            return (f"This folder is synced to the internet ({part}). Case books must not be "
                    "synced: a synced copy can be damaged or leave the laptop. Choose a folder "
                    "on this laptop.")
    return None
