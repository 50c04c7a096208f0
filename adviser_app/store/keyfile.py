"""The key file beside a case book.

A random 256-bit data key encrypts the case book (SQLCipher, raw key). The key file never
holds it in the clear for a real case book: it is wrapped twice with AES-256-GCM, once under a
key made from the adviser's passphrase (Argon2id) and once under a key made from the printed
recovery key (HKDF). A passphrase is right exactly when its wrap opens. A SHA-256 checksum over
the whole file tells a damaged file from a wrong passphrase.

The Argon2id parameters are recorded in the file (and bound into each wrap), so they can be
raised later: store.kdf_calibration picks them on the laptop at setup, never below the RFC 9106
floor. The recovery wrap records which kind of recovery key it was made from ("words" for 12
words; no mark for the older 32 letters and digits), so old printed keys keep working. The
file's format and its damage checks are in store.key_file_format; the count of wrong
passphrases beside it in store.unlock_attempts.

The training case book (fictional families) keeps its key unwrapped, so trainers need no
passphrase; it is still an encrypted file.
"""

from __future__ import annotations

import base64
import secrets
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from adviser_app.domain.passphrase import unlock_delay
from adviser_app.domain.recovery_key import (CHARACTERS, WORDS, RecoveryKeyProblem,
                                             looks_like_character_key, new_character_key,
                                             new_recovery_words, normalise_character_key,
                                             words_to_entropy)
from adviser_app.store.errors import (CaseBookError, KeyFileError, TooSoon, WrongPassphrase,
                                      WrongRecoveryKey)
from adviser_app.store.files import atomic_write
from adviser_app.store.key_file_format import (DAMAGED, PROTECTED, TRAINING, canonical,
                                               check_shape, header, read_key_file,
                                               recovery_kind, seal)
from adviser_app.store.unlock_attempts import (attempts_path, note_failure, wait_left,
                                               write_attempts)


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    def check(self) -> None:
        """Refuse parameters no real key file has, before any hashing (a file could be made to
        ask for gigabytes of memory)."""
        if not (1 <= self.time_cost <= MAX_TIME_COST and 8 <= self.memory_kib <= MAX_MEMORY_KIB
                and 1 <= self.parallelism <= MAX_PARALLELISM):
            raise KeyFileError(DAMAGED)

    def below(self, floor: KdfParams) -> bool:
        """Weaker than *floor*: fewer passes or less memory. (Fewer lanes with the same memory
        and passes cost an attacker just as much, so parallelism is not compared.)"""
        return self.time_cost < floor.time_cost or self.memory_kib < floor.memory_kib

    @property
    def work(self) -> int:
        """Passes times memory: what a derivation's time grows with."""
        return self.time_cost * self.memory_kib


MAX_TIME_COST = 12
MAX_MEMORY_KIB = 256 * 1024
"""The most memory any key file may ask for: what calibration reaches (MEMORY_STEP_CAP_KIB;
it then adds passes, up to MAX_TIME_COST). A tampered file asking for the most that is
accepted costs one unlock 12 passes over 256 MiB (about 2 s here), where 1 GiB allowed
15 to 19 s. (No laptop calibrates past 12 passes at 256 MiB: that needs one 30 times faster
than the development box.)"""
MAX_PARALLELISM = 8  # calibration keeps the floor's 4 lanes

PRODUCTION_KDF = KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=4)
"""RFC 9106's low-memory option (also Bitwarden's default): the floor. A real case book is set
up with kdf_calibration.calibrate_kdf starting from here, and is never below it."""


def _passphrase_kek(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    kdf.check()
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    ahead = _DERIVED.pop((secret, salt, kdf), None)
    _DERIVED.clear()
    if ahead is not None:
        return ahead
    return hash_secret_raw(secret, salt, time_cost=kdf.time_cost, memory_cost=kdf.memory_kib,
                           parallelism=kdf.parallelism, hash_len=32, type=Type.ID)


_DERIVED: dict[tuple[bytes, bytes, KdfParams], bytes] = {}
"""At most one key derived ahead by derive_ahead, taken (and forgotten) by the next unlock."""


def derive_ahead(path: Path, passphrase: str, *, clock: Callable[[], float] = time.time) -> None:
    """Derive now the key that the next unlock_with_passphrase of *path* with *passphrase*
    would derive, so that unlock only unwraps: the window runs this on a worker thread, and
    the unlock itself, with every check and message, then runs on the GUI thread as before.
    Decides nothing (a wrong passphrase is found by the unlock) and does nothing while a try
    must wait (TooSoon). Safe off the GUI thread because this module, argon2 and
    cryptography are already imported (never import them on a worker: see ui.case_book
    .warm_up); argon2 lets go of the interpreter while it works."""
    try:
        body = read_key_file(path)
        wrap = body["wraps"]["passphrase"]
        kdf, salt = KdfParams(**body["kdf"]), bytes.fromhex(wrap["salt"])
        kdf.check()
    except (CaseBookError, KeyError, TypeError, ValueError, OSError):
        return  # the unlock will say what is wrong
    if wait_left(path, clock()) > 0:
        return
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    kek = hash_secret_raw(secret, salt, time_cost=kdf.time_cost, memory_cost=kdf.memory_kib,
                          parallelism=kdf.parallelism, hash_len=32, type=Type.ID)
    _DERIVED.clear()
    _DERIVED[(secret, salt, kdf)] = kek


class RecoveryKeyRefused(WrongRecoveryKey):
    """A recovery key that did not open the case book, with a message that says why (which
    word is not on the list, the wrong kind of key, or not this case book's key)."""

    def __init__(self, message: str) -> None:
        CaseBookError.__init__(self, message)


_NOT_THIS_BOOKS_WORDS = ("Those 12 words are not the recovery key for this case book. Check "
                         "that the sheet is the one for this case book, and compare each word "
                         "with it.")


def _recovery_secret(kind: str, typed: str) -> bytes:
    """What the recovery wrap's key is made from, read from what was typed."""
    try:
        if kind == WORDS:
            if looks_like_character_key(typed):
                raise RecoveryKeyRefused(
                    "This case book's recovery key is 12 words, not letters and digits in "
                    "groups. Type the words from the printed sheet for this case book.")
            return words_to_entropy(typed)
        if kind == CHARACTERS:
            if typed.strip() and not looks_like_character_key(typed):
                raise RecoveryKeyRefused(
                    "This case book was set up before recovery keys were words: its key is 32 "
                    "letters and digits in 8 groups of four, for example 7KQM-R2XD-... Type the "
                    "key from that printed sheet.")
            return normalise_character_key(typed).encode("ascii")
    except RecoveryKeyProblem as problem:
        raise RecoveryKeyRefused(str(problem)) from None
    raise KeyFileError(DAMAGED)  # a kind this version doesn't know


def _recovery_kek(kind: str, secret: bytes, salt: bytes) -> bytes:
    info = b"adviser-toolkit recovery" + (b" words" if kind == WORDS else b"")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret)


def _recovery_aad(body: dict[str, Any], kind: str) -> bytes:
    header: dict[str, Any] = {"format": body["format"], "db_uuid": body["db_uuid"]}
    if kind != CHARACTERS:
        header["recovery_kind"] = kind
    return b"recovery:" + canonical(header)


def _wrap(kek: bytes, dek: bytes, aad: bytes) -> dict[str, str]:
    nonce = secrets.token_bytes(12)
    return {"nonce": nonce.hex(), "ciphertext": AESGCM(kek).encrypt(nonce, dek, aad).hex()}


def _unwrap(kek: bytes, wrap: dict[str, str], aad: bytes) -> bytes:
    return AESGCM(kek).decrypt(bytes.fromhex(wrap["nonce"]), bytes.fromhex(wrap["ciphertext"]),
                               aad)


def new_recovery_key() -> str:
    """12 words (128 random bits), to print and keep in the office safe."""
    return new_recovery_words()


def create_protected_key_file(path: Path, passphrase: str, kdf: KdfParams = PRODUCTION_KDF, *,
                              recovery_kind: str = WORDS) -> tuple[bytes, str]:
    """A new data key, wrapped by the passphrase and a new recovery key; returns both.
    (*recovery_kind* CHARACTERS makes the older kind of key, for tests of old case books.)"""
    if path.exists():
        raise KeyFileError("A key file already exists here; it was left as it is so no case "
                           "book loses its key.")
    if recovery_kind not in (WORDS, CHARACTERS):
        raise ValueError(f"unknown kind of recovery key: {recovery_kind}")
    dek = secrets.token_bytes(32)
    recovery = new_recovery_key() if recovery_kind == WORDS else new_character_key()
    body: dict[str, Any] = {"format": PROTECTED, "db_uuid": str(uuid.uuid4()),
                            "kdf": asdict(kdf)}
    _write_wraps(path, body, dek, passphrase, kdf, recovery=(recovery_kind, recovery))
    return dek, recovery


def _write_wraps(path: Path, body: dict[str, Any], dek: bytes, passphrase: str,
                 kdf: KdfParams, *, recovery: tuple[str, str] | None = None,
                 recovery_wrap: dict[str, str] | None = None) -> None:
    body = {**body, "kdf": asdict(kdf)}
    aad = header(body)
    salt = secrets.token_bytes(16)
    wraps: dict[str, Any] = {"passphrase": {"salt": salt.hex(), **_wrap(
        _passphrase_kek(passphrase, salt, kdf), dek, aad)}}
    if recovery is not None:
        kind, key = recovery
        rsalt = secrets.token_bytes(16)
        recovery_wrap = {"salt": rsalt.hex(), **_wrap(
            _recovery_kek(kind, _recovery_secret(kind, key), rsalt), dek,
            _recovery_aad(body, kind))}
        if kind != CHARACTERS:
            recovery_wrap["kind"] = kind
        wraps["recovery"] = recovery_wrap
    else:
        assert recovery_wrap is not None
        wraps["recovery"] = recovery_wrap
    body["wraps"] = wraps
    atomic_write(path, seal(body))


def unlock_with_passphrase(path: Path, passphrase: str, *,
                           clock: Callable[[], float] = time.time) -> bytes:
    """The data key. Wrong passphrases are counted beside the key file (see attempts_path):
    after a few, each try must wait longer (domain.passphrase.unlock_delay), across restarts
    and for the IT commands too; a try made too soon is refused (TooSoon) unhashed."""
    body = read_key_file(path)
    left = wait_left(path, clock())
    if left > 0:
        raise TooSoon(left)
    try:
        if body["format"] != PROTECTED:
            raise KeyFileError(DAMAGED)
        kdf = KdfParams(**body["kdf"])
        wrap = body["wraps"]["passphrase"]
        check_shape(wrap)
        kek = _passphrase_kek(passphrase, bytes.fromhex(wrap["salt"]), kdf)
        key = _unwrap(kek, wrap, header(body))
    except InvalidTag:
        failures = note_failure(path, clock())
        raise WrongPassphrase(unlock_delay(failures)) from None
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(DAMAGED) from None
    if attempts_path(path).exists():
        write_attempts(path, 0, 0.0)
    return key




def unlock_with_recovery_key(path: Path, recovery_key: str) -> bytes:
    """The data key, from the printed recovery key of whichever kind the file records.
    The file's checksum is not required: AES-GCM checks the recovery wrap itself (with the
    format and the case book's id it is bound to), so a key file damaged elsewhere still
    opens with it (key_file_damaged says so; set_passphrase then writes it afresh). When a
    damaged file does not open, that is said as damage, never as the wrong key."""
    body = read_key_file(path, checked=False)
    if body.get("format") != PROTECTED:
        raise KeyFileError(DAMAGED)
    kind = recovery_kind(body)
    secret = _recovery_secret(kind, recovery_key)
    try:
        wrap = body["wraps"]["recovery"]
        check_shape(wrap)
        kek = _recovery_kek(kind, secret, bytes.fromhex(wrap["salt"]))
        return _unwrap(kek, wrap, _recovery_aad(body, kind))
    except InvalidTag:
        if body.get("damaged"):
            raise KeyFileError(DAMAGED) from None
        if kind == WORDS:
            raise RecoveryKeyRefused(_NOT_THIS_BOOKS_WORDS) from None
        raise WrongRecoveryKey() from None
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(DAMAGED) from None


def key_file_damaged(path: Path) -> bool:
    """Whether the key file cannot be read, fails its checksum, or holds something this app
    never writes (another format, a wrap of the wrong shape, key stretching out of range)."""
    try:
        body = read_key_file(path)
        if body["format"] != PROTECTED:
            return True
        for wrap in ("passphrase", "recovery"):
            check_shape(body["wraps"][wrap])
        KdfParams(**body["kdf"]).check()
    except (KeyFileError, KeyError, TypeError, AttributeError):
        return True
    return False


def set_passphrase(path: Path, dek: bytes, new_passphrase: str,
                   kdf: KdfParams = PRODUCTION_KDF, *, recovery_key: str | None = None) -> None:
    """Re-wrap the data key under a new passphrase; the recovery wrap is kept as it is.
    With the *recovery_key* that just opened it, a damaged key file is written afresh: its
    recovery wrap, format and id are proven by that unwrap (AES-GCM), everything else is new."""
    if recovery_key is not None and key_file_damaged(path):
        if unlock_with_recovery_key(path, recovery_key) != dek:
            raise KeyFileError(DAMAGED)
    body = read_key_file(path, checked=recovery_key is None)
    try:
        recovery_wrap = body["wraps"]["recovery"]
    except (KeyError, TypeError):
        raise KeyFileError(DAMAGED) from None
    header = {"format": body["format"], "db_uuid": body["db_uuid"]}
    _write_wraps(path, header, dek, new_passphrase, kdf, recovery_wrap=recovery_wrap)


def kdf_of(path: Path) -> KdfParams:
    """The Argon2id parameters the passphrase wrap was made with."""
    try:
        return KdfParams(**read_key_file(path)["kdf"])
    except (KeyError, TypeError):
        raise KeyFileError(DAMAGED) from None


def create_training_key_file(path: Path) -> bytes:
    """The training case book's key, unwrapped: fictional data needs no passphrase."""
    if path.exists():
        raise KeyFileError("A key file already exists here; it was left as it is.")
    key = secrets.token_bytes(32)
    atomic_write(path, seal({"format": TRAINING, "db_uuid": str(uuid.uuid4()),
                              "data_key": base64.b64encode(key).decode("ascii")}))
    return key


def read_training_key_file(path: Path) -> bytes:
    body = read_key_file(path)
    try:
        if body["format"] != TRAINING:
            raise KeyFileError("This is not the training case book's key file.")
        key = base64.b64decode(body["data_key"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(DAMAGED) from None
    if len(key) != 32:
        raise KeyFileError(DAMAGED)
    return key
