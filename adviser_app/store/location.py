"""Where a case book may live: on this laptop, never in a synced or network folder."""

from __future__ import annotations

import re
from pathlib import PurePath

# Folder names that sync clients create: the client's name alone or followed by a separator,
# so "OneDrive - Org", "OneDrive-Personal", "Dropbox (Personal)" and "GoogleDrive-me@x.org"
# match but a folder called "OneDriveNotes" does not.
_SYNCED = re.compile(
    r"^(one ?drive|dropbox|google ?drive|icloud ?drive|icloud|nextcloud|owncloud|box ?sync|"
    r"box ?drive|pcloud ?drive|syncthing|mega ?sync|my ?drive|shared ?drives|cloudstorage|"
    r"mobile ?documents)([\s\-_(@.,].*)?$")


def location_problem(path: PurePath) -> str | None:
    """A plain-English reason why *path* is unsafe for a case book, or None if it is fine."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return ("This folder is on a network share. Case books must be kept on this laptop, "
                "because the database can be damaged over a network. Choose a folder on this "
                "laptop.")
    for part in path.parts:
        if _SYNCED.match(part.casefold().strip()):
            return (f"This folder is synced to the internet ({part}). Case books must not be "
                    "synced: a synced copy can be damaged or leave the laptop. Choose a folder "
                    "on this laptop.")
    return None
