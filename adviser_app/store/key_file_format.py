"""The key file's format: its fields sealed with a SHA-256 checksum, read back and checked
for damage before any key is unwrapped (see store.keyfile for the wraps themselves).

A checksum over the whole file tells a damaged file from a wrong passphrase. The recovery
wrap records which kind of recovery key it was made from ("words" for 12 words; no mark for
the older 32 letters and digits).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from adviser_app.domain.recovery_key import CHARACTERS, WORDS
from adviser_app.store.errors import KeyFileError

PROTECTED = "adviser-toolkit-key/1"
TRAINING = "adviser-toolkit-training-key/1"
DAMAGED = ("The key file for this case book is damaged, so the passphrase can't be checked. "
           "Unlock with the printed recovery key (it can still open a damaged key file), or "
           "restore the key file from its copy in the backups folder. The case book itself "
           "was not touched.")
SALT_BYTES, NONCE_BYTES, WRAPPED_BYTES = 16, 12, 32 + 16  # a 256-bit key and its GCM tag


def key_file_for(db_path: Path) -> Path:
    return db_path.with_suffix(".key")


def canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(body: dict[str, Any]) -> bytes:
    body = dict(body)
    body["checksum"] = hashlib.sha256(canonical(body)).hexdigest()
    return json.dumps(body, indent=1, sort_keys=True).encode("utf-8")


def read_key_file(path: Path, *, checked: bool = True) -> dict[str, Any]:
    """The key file's fields. *checked* False: a file whose checksum does not match is still
    returned when its first JSON object can be read (text after it is ignored), for the
    recovery wrap, which AES-GCM authenticates on its own."""
    try:
        # "-sig": a byte-order mark an editor adds when the file is opened and saved is not
        # damage (the checksum is over the values, not the bytes)
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KeyFileError("The key file for this case book is missing, so it can't be "
                           "opened. Restore it from the copy in the backups folder.") from None
    except (OSError, UnicodeDecodeError):  # a folder in its place, unreadable, not text
        raise KeyFileError(DAMAGED) from None
    try:
        body = json.loads(text) if checked else json.JSONDecoder().raw_decode(text.strip())[0]
        checksum = body.pop("checksum")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KeyFileError(DAMAGED) from None
    if not isinstance(checksum, str) or hashlib.sha256(canonical(body)).hexdigest() != checksum:
        if checked:
            raise KeyFileError(DAMAGED)
        body["damaged"] = True
    return dict(body)


def header(body: dict[str, Any]) -> bytes:
    return canonical({"format": body["format"], "db_uuid": body["db_uuid"],
                       "kdf": body["kdf"]})


def check_shape(wrap: Any) -> None:
    """Every wrap this app writes has a 16-byte salt, a 12-byte nonce and a wrapped key of
    48 bytes: anything else is damage, said before any hashing (AES-GCM would only say "does
    not open", which reads as a wrong passphrase)."""
    try:
        sizes = (len(bytes.fromhex(wrap["salt"])), len(bytes.fromhex(wrap["nonce"])),
                 len(bytes.fromhex(wrap["ciphertext"])))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise KeyFileError(DAMAGED) from None
    if sizes != (SALT_BYTES, NONCE_BYTES, WRAPPED_BYTES):
        raise KeyFileError(DAMAGED)


def recovery_kind(body: dict[str, Any]) -> str:
    try:
        kind = body["wraps"]["recovery"].get("kind", CHARACTERS)
    except (KeyError, TypeError, AttributeError):
        raise KeyFileError(DAMAGED) from None
    if kind not in (WORDS, CHARACTERS):
        raise KeyFileError(DAMAGED)
    return str(kind)


def recovery_kind_of(path: Path) -> str:
    """Which kind of recovery key this case book has: WORDS, or the older CHARACTERS (files
    made before words came in have no mark)."""
    return recovery_kind(read_key_file(path, checked=False))


def case_book_id_of(path: Path) -> str:
    """Which case book a key file belongs to (its random id; not secret)."""
    return str(read_key_file(path)["db_uuid"])
