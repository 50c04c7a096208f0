"""The key file beside a case book.

A random 256-bit data key encrypts the case book (SQLCipher, raw key). The key file never
holds it in the clear for a real case book: it is wrapped twice with AES-256-GCM, once under a
key made from the adviser's passphrase (Argon2id) and once under a key made from the printed
recovery key (HKDF). A passphrase is right exactly when its wrap opens. A SHA-256 checksum over
the whole file tells a damaged file from a wrong passphrase.

The training case book (fictional families) keeps its key unwrapped, so trainers need no
passphrase; it is still an encrypted file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from adviser_app.store.errors import KeyFileError, WrongPassphrase, WrongRecoveryKey
from adviser_app.store.files import atomic_write

PROTECTED = "adviser-toolkit-key/1"
TRAINING = "adviser-toolkit-training-key/1"
_DAMAGED = ("The key file for this case book is damaged. Restore it from the copy in the "
            "backups folder; the case book itself was not touched.")


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    def check(self) -> None:
        """Refuse parameters no real key file has, before any hashing (a file could be made to
        ask for gigabytes of memory)."""
        if not (1 <= self.time_cost <= 12 and 8 <= self.memory_kib <= 1_048_576
                and 1 <= self.parallelism <= 16):
            raise KeyFileError(_DAMAGED)


PRODUCTION_KDF = KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=4)  # RFC 9106 floor


def key_file_for(db_path: Path) -> Path:
    return db_path.with_suffix(".key")


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _seal(body: dict[str, Any]) -> bytes:
    body = dict(body)
    body["checksum"] = hashlib.sha256(_canonical(body)).hexdigest()
    return json.dumps(body, indent=1, sort_keys=True).encode("utf-8")


def _read(path: Path) -> dict[str, Any]:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        checksum = body.pop("checksum")
    except FileNotFoundError:
        raise KeyFileError("The key file for this case book is missing, so it can't be "
                           "opened. Restore it from the copy in the backups folder.") from None
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise KeyFileError(_DAMAGED) from None
    if not isinstance(checksum, str) or hashlib.sha256(_canonical(body)).hexdigest() != checksum:
        raise KeyFileError(_DAMAGED)
    return dict(body)


def _header(body: dict[str, Any]) -> bytes:
    return _canonical({"format": body["format"], "db_uuid": body["db_uuid"],
                       "kdf": body["kdf"]})


def _passphrase_kek(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    kdf.check()
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return hash_secret_raw(secret, salt, time_cost=kdf.time_cost, memory_cost=kdf.memory_kib,
                           parallelism=kdf.parallelism, hash_len=32, type=Type.ID)


def _recovery_kek(recovery_key: str, salt: bytes) -> bytes:
    raw = normalise_recovery_key(recovery_key)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                info=b"adviser-toolkit recovery").derive(raw.encode("ascii"))


def _wrap(kek: bytes, dek: bytes, aad: bytes) -> dict[str, str]:
    nonce = secrets.token_bytes(12)
    return {"nonce": nonce.hex(), "ciphertext": AESGCM(kek).encrypt(nonce, dek, aad).hex()}


def _unwrap(kek: bytes, wrap: dict[str, str], aad: bytes) -> bytes:
    return AESGCM(kek).decrypt(bytes.fromhex(wrap["nonce"]), bytes.fromhex(wrap["ciphertext"]),
                               aad)


_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to read back


def new_recovery_key() -> str:
    """32 characters (about 157 bits) in 8 groups of 4, to print and keep in the office safe."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(32))
    return "-".join(chars[i:i + 4] for i in range(0, 32, 4))


def normalise_recovery_key(text: str) -> str:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I")
    if len(cleaned) != 32 or any(ch not in _ALPHABET for ch in cleaned):
        raise WrongRecoveryKey()
    return cleaned


def create_protected_key_file(path: Path, passphrase: str,
                              kdf: KdfParams = PRODUCTION_KDF) -> tuple[bytes, str]:
    """A new data key, wrapped by the passphrase and a new recovery key; returns both."""
    if path.exists():
        raise KeyFileError("A key file already exists here; it was left as it is so no case "
                           "book loses its key.")
    dek = secrets.token_bytes(32)
    recovery = new_recovery_key()
    body: dict[str, Any] = {"format": PROTECTED, "db_uuid": str(uuid.uuid4()),
                            "kdf": asdict(kdf)}
    _write_wraps(path, body, dek, passphrase, kdf, recovery=recovery)
    return dek, recovery


def _write_wraps(path: Path, body: dict[str, Any], dek: bytes, passphrase: str,
                 kdf: KdfParams, *, recovery: str | None = None,
                 recovery_wrap: dict[str, str] | None = None) -> None:
    body = {**body, "kdf": asdict(kdf)}
    aad = _header(body)
    salt = secrets.token_bytes(16)
    wraps: dict[str, Any] = {"passphrase": {"salt": salt.hex(), **_wrap(
        _passphrase_kek(passphrase, salt, kdf), dek, aad)}}
    if recovery is not None:
        rsalt = secrets.token_bytes(16)
        wraps["recovery"] = {"salt": rsalt.hex(), **_wrap(
            _recovery_kek(recovery, rsalt), dek, b"recovery:" + _canonical(
                {"format": body["format"], "db_uuid": body["db_uuid"]}))}
    else:
        assert recovery_wrap is not None
        wraps["recovery"] = recovery_wrap
    body["wraps"] = wraps
    atomic_write(path, _seal(body))


def unlock_with_passphrase(path: Path, passphrase: str) -> bytes:
    body = _read(path)
    try:
        if body["format"] != PROTECTED:
            raise KeyFileError(_DAMAGED)
        kdf = KdfParams(**body["kdf"])
        wrap = body["wraps"]["passphrase"]
        kek = _passphrase_kek(passphrase, bytes.fromhex(wrap["salt"]), kdf)
        return _unwrap(kek, wrap, _header(body))
    except InvalidTag:
        raise WrongPassphrase() from None
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(_DAMAGED) from None


def unlock_with_recovery_key(path: Path, recovery_key: str) -> bytes:
    body = _read(path)
    try:
        wrap = body["wraps"]["recovery"]
        kek = _recovery_kek(recovery_key, bytes.fromhex(wrap["salt"]))
        return _unwrap(kek, wrap, b"recovery:" + _canonical(
            {"format": body["format"], "db_uuid": body["db_uuid"]}))
    except InvalidTag:
        raise WrongRecoveryKey() from None
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(_DAMAGED) from None


def set_passphrase(path: Path, dek: bytes, new_passphrase: str,
                   kdf: KdfParams = PRODUCTION_KDF) -> None:
    """Re-wrap the data key under a new passphrase; the recovery wrap is kept as it is."""
    body = _read(path)
    try:
        recovery_wrap = body["wraps"]["recovery"]
    except (KeyError, TypeError):
        raise KeyFileError(_DAMAGED) from None
    header = {"format": body["format"], "db_uuid": body["db_uuid"]}
    _write_wraps(path, header, dek, new_passphrase, kdf, recovery_wrap=recovery_wrap)


def kdf_of(path: Path) -> KdfParams:
    return KdfParams(**_read(path)["kdf"])


def is_training_key_file(path: Path) -> bool:
    return _read(path).get("format") == TRAINING


def create_training_key_file(path: Path) -> bytes:
    """The training case book's key, unwrapped: fictional data needs no passphrase."""
    if path.exists():
        raise KeyFileError("A key file already exists here; it was left as it is.")
    key = secrets.token_bytes(32)
    atomic_write(path, _seal({"format": TRAINING, "db_uuid": str(uuid.uuid4()),
                              "data_key": base64.b64encode(key).decode("ascii")}))
    return key


def read_training_key_file(path: Path) -> bytes:
    body = _read(path)
    try:
        if body["format"] != TRAINING:
            raise KeyFileError("This is not the training case book's key file.")
        key = base64.b64decode(body["data_key"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(_DAMAGED) from None
    if len(key) != 32:
        raise KeyFileError(_DAMAGED)
    return key
