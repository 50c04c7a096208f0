"""The key file beside a case book: a random 256-bit data key with a checksum.

This is the foundation's key store. The security work wraps the same data key with a
passphrase and a recovery key; until then the file holds the key itself, with owner-only
permissions, and the case book on disk is always encrypted with it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path

from adviser_app.store.errors import KeyFileError
from adviser_app.store.files import atomic_write

FORMAT = "adviser-toolkit-key/0"


def key_file_for(db_path: Path) -> Path:
    return db_path.with_suffix(".key")


def create_key_file(path: Path) -> bytes:
    """Make a fresh random data key and store it; refuses to overwrite an existing key file."""
    if path.exists():
        raise KeyFileError("A key file already exists here; it was left as it is so no case "
                           "book loses its key.")
    key = secrets.token_bytes(32)
    body = {"format": FORMAT, "data_key": key.hex(),
            "checksum": hashlib.sha256(key).hexdigest()}
    atomic_write(path, json.dumps(body, indent=1).encode("utf-8"))
    return key


def read_key_file(path: Path) -> bytes:
    """The data key; a plain-English error if the file is missing or damaged."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        key = bytes.fromhex(body["data_key"])
        checksum = body["checksum"]
        fmt = body["format"]
    except FileNotFoundError:
        raise KeyFileError("The key file for this case book is missing, so it can't be "
                           "opened. Restore the key file from your backups.") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise KeyFileError("The key file for this case book is damaged. Restore it from your "
                           "backups; the case book itself was not touched.") from None
    if fmt != FORMAT or len(key) != 32 or hashlib.sha256(key).hexdigest() != checksum:
        raise KeyFileError("The key file for this case book is damaged. Restore it from your "
                           "backups; the case book itself was not touched.")
    return key
