"""The key file beside a case book.

A random 256-bit data key encrypts the case book (SQLCipher, raw key). The key file never
holds it in the clear for a real case book: it is wrapped twice with AES-256-GCM, once under a
key made from the adviser's passphrase (Argon2id) and once under a key made from the printed
recovery key (HKDF). A passphrase is right exactly when its wrap opens. A SHA-256 checksum over
the whole file tells a damaged file from a wrong passphrase.

The Argon2id parameters are recorded in the file (and bound into each wrap), so they can be
raised later: :func:`calibrate_kdf` picks them on the laptop at setup, never below the RFC 9106
floor. The recovery wrap records which kind of recovery key it was made from ("words" for 12
words; no mark for the older 32 letters and digits), so old printed keys keep working.

The training case book (fictional families) keeps its key unwrapped, so trainers need no
passphrase; it is still an encrypted file.
"""

from __future__ import annotations

import base64
import hashlib
import json
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

from adviser_app.domain.recovery_key import (CHARACTERS, WORDS, RecoveryKeyProblem,
                                             looks_like_character_key, new_character_key,
                                             new_recovery_words, normalise_character_key,
                                             words_to_entropy)
from adviser_app.domain.passphrase import unlock_delay
from adviser_app.store.errors import (CaseBookError, KeyFileError, TooSoon, WrongPassphrase,
                                      WrongRecoveryKey)
from adviser_app.store.files import atomic_write

PROTECTED = "adviser-toolkit-key/1"
TRAINING = "adviser-toolkit-training-key/1"
_DAMAGED = ("The key file for this case book is damaged, so the passphrase can't be checked. "
            "Unlock with the printed recovery key (it can still open a damaged key file), or "
            "restore the key file from its copy in the backups folder. The case book itself "
            "was not touched.")
SALT_BYTES, NONCE_BYTES, WRAPPED_BYTES = 16, 12, 32 + 16  # a 256-bit key and its GCM tag


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
            raise KeyFileError(_DAMAGED)

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
up with :func:`calibrate_kdf` starting from here, and is never below it."""

# Calibration (reliability.md T16, section 4.2). Measured on the 2-core development box
# (argon2-cffi 25.1.0, p=4, other work running beside it), one derivation: 64 MiB t=3 0.10 to
# 0.19 s; 128 MiB t=3 0.23 to 0.34 s; 256 MiB t=3 0.41 to 0.45 s when quiet, up to 1.0 s when
# busy; 256 MiB t=4 0.53 to 0.79 s. calibrate_kdf() there chose 256 MiB t=4 when the box was
# quiet and 256 MiB t=3 when the floor trials came out slow (busy); either way a derivation
# took 0.5 to 1.3 s, and calibration itself took 0.75 to 1.9 s.
TARGET_SECONDS = 0.5
"""One derivation should take at least this long on the laptop (section 4.2)."""
CALIBRATION_BUDGET_SECONDS = 2.0
"""Calibration never starts a trial that would take it past this, all trials together."""
MEMORY_STEP_CAP_KIB = MAX_MEMORY_KIB
"""Memory is raised in steps up to this; after that the number of passes goes up."""
_TOO_SLOW_SECONDS = 2.0  # a step that took longer than this is not used


def _steps(floor: KdfParams) -> list[KdfParams]:
    """The parameters calibration may choose, weakest first, starting at *floor*."""
    steps = [floor]
    t, m = floor.time_cost, floor.memory_kib
    while m < MEMORY_STEP_CAP_KIB:
        m = min(m * 2, MEMORY_STEP_CAP_KIB)
        steps.append(KdfParams(t, m, floor.parallelism))
    while t < MAX_TIME_COST:
        t += 1
        steps.append(KdfParams(t, m, floor.parallelism))
    while m < MAX_MEMORY_KIB:
        m = min(m * 2, MAX_MEMORY_KIB)
        steps.append(KdfParams(t, m, floor.parallelism))
    return steps


def time_one_derivation(kdf: KdfParams,
                        clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds one Argon2id derivation with *kdf* takes here (a throwaway password and salt)."""
    started = clock()
    hash_secret_raw(b"calibration", b"\0" * 16, time_cost=kdf.time_cost,
                    memory_cost=kdf.memory_kib, parallelism=kdf.parallelism, hash_len=32,
                    type=Type.ID)
    return clock() - started


def calibrate_kdf(floor: KdfParams = PRODUCTION_KDF, *,
                  measure: Callable[[KdfParams], float] = time_one_derivation,
                  target: float = TARGET_SECONDS,
                  budget: float = CALIBRATION_BUDGET_SECONDS) -> KdfParams:
    """The weakest step from *floor* up whose derivation takes at least *target* seconds here.

    Two trials at the floor (the first also pays for getting the memory) give the speed; the
    step predicted to reach the target is then tried, and the next one after it if the trial
    fell short, while the trials stay within *budget*. Never returns less than *floor*. Pure
    apart from *measure*, so tests pass a fake one and spend no time.
    """
    floor.check()
    spent = 0.0

    def trial(kdf: KdfParams) -> float:
        nonlocal spent
        seconds = measure(kdf)
        spent += seconds
        return seconds

    chosen, seconds = floor, min(trial(floor), trial(floor))
    remaining = _steps(floor)[1:]
    while seconds < target and remaining:
        per_work = max(seconds, 1e-6) / chosen.work
        pick = next((kdf for kdf in remaining if per_work * kdf.work >= target), remaining[-1])
        if spent + per_work * pick.work > budget:
            break
        tried = trial(pick)
        if tried > _TOO_SLOW_SECONDS:
            break
        chosen, seconds = pick, tried
        remaining = remaining[remaining.index(pick) + 1:]
    return chosen


def key_file_for(db_path: Path) -> Path:
    return db_path.with_suffix(".key")


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _seal(body: dict[str, Any]) -> bytes:
    body = dict(body)
    body["checksum"] = hashlib.sha256(_canonical(body)).hexdigest()
    return json.dumps(body, indent=1, sort_keys=True).encode("utf-8")


def _read(path: Path, *, checked: bool = True) -> dict[str, Any]:
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
        raise KeyFileError(_DAMAGED) from None
    try:
        body = json.loads(text) if checked else json.JSONDecoder().raw_decode(text.strip())[0]
        checksum = body.pop("checksum")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KeyFileError(_DAMAGED) from None
    if not isinstance(checksum, str) or hashlib.sha256(_canonical(body)).hexdigest() != checksum:
        if checked:
            raise KeyFileError(_DAMAGED)
        body["damaged"] = True
    return dict(body)


def _header(body: dict[str, Any]) -> bytes:
    return _canonical({"format": body["format"], "db_uuid": body["db_uuid"],
                       "kdf": body["kdf"]})


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
        body = _read(path)
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
    raise KeyFileError(_DAMAGED)  # a kind this version doesn't know


def _recovery_kek(kind: str, secret: bytes, salt: bytes) -> bytes:
    info = b"adviser-toolkit recovery" + (b" words" if kind == WORDS else b"")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret)


def _recovery_aad(body: dict[str, Any], kind: str) -> bytes:
    header: dict[str, Any] = {"format": body["format"], "db_uuid": body["db_uuid"]}
    if kind != CHARACTERS:
        header["recovery_kind"] = kind
    return b"recovery:" + _canonical(header)


def _wrap(kek: bytes, dek: bytes, aad: bytes) -> dict[str, str]:
    nonce = secrets.token_bytes(12)
    return {"nonce": nonce.hex(), "ciphertext": AESGCM(kek).encrypt(nonce, dek, aad).hex()}


def _unwrap(kek: bytes, wrap: dict[str, str], aad: bytes) -> bytes:
    return AESGCM(kek).decrypt(bytes.fromhex(wrap["nonce"]), bytes.fromhex(wrap["ciphertext"]),
                               aad)


def _check_shape(wrap: Any) -> None:
    """Every wrap this app writes has a 16-byte salt, a 12-byte nonce and a wrapped key of
    48 bytes: anything else is damage, said before any hashing (AES-GCM would only say "does
    not open", which reads as a wrong passphrase)."""
    try:
        sizes = (len(bytes.fromhex(wrap["salt"])), len(bytes.fromhex(wrap["nonce"])),
                 len(bytes.fromhex(wrap["ciphertext"])))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise KeyFileError(_DAMAGED) from None
    if sizes != (SALT_BYTES, NONCE_BYTES, WRAPPED_BYTES):
        raise KeyFileError(_DAMAGED)


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
    aad = _header(body)
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
    atomic_write(path, _seal(body))


def unlock_with_passphrase(path: Path, passphrase: str, *,
                           clock: Callable[[], float] = time.time) -> bytes:
    """The data key. Wrong passphrases are counted beside the key file (see attempts_path):
    after a few, each try must wait longer (domain.passphrase.unlock_delay), across restarts
    and for the IT commands too; a try made too soon is refused (TooSoon) unhashed."""
    body = _read(path)
    left = wait_left(path, clock())
    if left > 0:
        raise TooSoon(left)
    try:
        if body["format"] != PROTECTED:
            raise KeyFileError(_DAMAGED)
        kdf = KdfParams(**body["kdf"])
        wrap = body["wraps"]["passphrase"]
        _check_shape(wrap)
        kek = _passphrase_kek(passphrase, bytes.fromhex(wrap["salt"]), kdf)
        key = _unwrap(kek, wrap, _header(body))
    except InvalidTag:
        failures = _note_failure(path, clock())
        raise WrongPassphrase(unlock_delay(failures)) from None
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(_DAMAGED) from None
    if attempts_path(path).exists():
        _write_attempts(path, 0, 0.0)
    return key


def attempts_path(key_path: Path) -> Path:
    """Wrong passphrases in a row and when the last was, beside the key file (no secrets)."""
    return key_path.with_suffix(".attempts")


def _read_attempts(key_path: Path) -> tuple[int, float]:
    try:
        body = json.loads(attempts_path(key_path).read_text(encoding="utf-8"))
        return max(int(body["failures"]), 0), float(body["last"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0.0


def _write_attempts(key_path: Path, failures: int, last: float) -> None:
    try:
        atomic_write(attempts_path(key_path),
                     json.dumps({"failures": failures, "last": last}).encode("utf-8"))
    except OSError:  # a full or read-only disk: the wait then lasts this run only
        pass


def _note_failure(key_path: Path, now: float) -> int:
    failures = _read_attempts(key_path)[0] + 1
    _write_attempts(key_path, failures, now)
    return failures


def wait_left(key_path: Path, now: float) -> int:
    """Whole seconds before the next passphrase may be tried (0: now). A clock set back
    never makes the wait longer than the rule's."""
    import math

    failures, last = _read_attempts(key_path)
    delay = unlock_delay(failures)
    left = last + delay - now
    if left <= _WAIT_SLACK:  # a countdown on screen may tick a little early
        return 0
    return min(delay, math.ceil(left))


_WAIT_SLACK = 0.5


def _recovery_kind(body: dict[str, Any]) -> str:
    try:
        kind = body["wraps"]["recovery"].get("kind", CHARACTERS)
    except (KeyError, TypeError, AttributeError):
        raise KeyFileError(_DAMAGED) from None
    if kind not in (WORDS, CHARACTERS):
        raise KeyFileError(_DAMAGED)
    return str(kind)


def recovery_kind_of(path: Path) -> str:
    """Which kind of recovery key this case book has: WORDS, or the older CHARACTERS (files
    made before words came in have no mark)."""
    return _recovery_kind(_read(path, checked=False))


def unlock_with_recovery_key(path: Path, recovery_key: str) -> bytes:
    """The data key, from the printed recovery key of whichever kind the file records.
    The file's checksum is not required: AES-GCM checks the recovery wrap itself (with the
    format and the case book's id it is bound to), so a key file damaged elsewhere still
    opens with it (key_file_damaged says so; set_passphrase then writes it afresh). When a
    damaged file does not open, that is said as damage, never as the wrong key."""
    body = _read(path, checked=False)
    if body.get("format") != PROTECTED:
        raise KeyFileError(_DAMAGED)
    kind = _recovery_kind(body)
    secret = _recovery_secret(kind, recovery_key)
    try:
        wrap = body["wraps"]["recovery"]
        _check_shape(wrap)
        kek = _recovery_kek(kind, secret, bytes.fromhex(wrap["salt"]))
        return _unwrap(kek, wrap, _recovery_aad(body, kind))
    except InvalidTag:
        if body.get("damaged"):
            raise KeyFileError(_DAMAGED) from None
        if kind == WORDS:
            raise RecoveryKeyRefused(_NOT_THIS_BOOKS_WORDS) from None
        raise WrongRecoveryKey() from None
    except (KeyError, TypeError, ValueError):
        raise KeyFileError(_DAMAGED) from None


def key_file_damaged(path: Path) -> bool:
    """Whether the key file cannot be read, fails its checksum, or holds something this app
    never writes (another format, a wrap of the wrong shape, key stretching out of range)."""
    try:
        body = _read(path)
        if body["format"] != PROTECTED:
            return True
        for wrap in ("passphrase", "recovery"):
            _check_shape(body["wraps"][wrap])
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
            raise KeyFileError(_DAMAGED)
    body = _read(path, checked=recovery_key is None)
    try:
        recovery_wrap = body["wraps"]["recovery"]
    except (KeyError, TypeError):
        raise KeyFileError(_DAMAGED) from None
    header = {"format": body["format"], "db_uuid": body["db_uuid"]}
    _write_wraps(path, header, dek, new_passphrase, kdf, recovery_wrap=recovery_wrap)


def case_book_id_of(path: Path) -> str:
    """Which case book a key file belongs to (its random id; not secret)."""
    return str(_read(path)["db_uuid"])


def kdf_of(path: Path) -> KdfParams:
    """The Argon2id parameters the passphrase wrap was made with."""
    try:
        return KdfParams(**_read(path)["kdf"])
    except (KeyError, TypeError):
        raise KeyFileError(_DAMAGED) from None


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
