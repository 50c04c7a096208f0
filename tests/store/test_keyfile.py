"""The key file (T9, T16): passphrase and recovery wraps, damage versus a wrong passphrase,
parameter caps, a known-answer file, and the production Argon2id settings."""

from __future__ import annotations

import hashlib
import json
import stat
import time
import unicodedata
from pathlib import Path

import pytest

from adviser_app.store import keyfile
from adviser_app.store.errors import KeyFileError, WrongPassphrase, WrongRecoveryKey
from adviser_app.store.keyfile import (PRODUCTION_KDF, KdfParams, create_protected_key_file,
                                       create_training_key_file, kdf_of,
                                       normalise_recovery_key, read_training_key_file,
                                       set_passphrase, unlock_with_passphrase,
                                       unlock_with_recovery_key)
from support import CHEAP

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "known-answer.key"
PASS = "otter lantern pumpkin"


def reseal(path: Path, change) -> None:
    """Edit the key file and recompute its checksum, as a careful attacker would."""
    body = json.loads(path.read_text(encoding="utf-8"))
    body.pop("checksum")
    change(body)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    body["checksum"] = hashlib.sha256(canonical).hexdigest()
    path.write_text(json.dumps(body), encoding="utf-8")


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, bytes, str]:
    path = tmp_path / "casebook.key"
    dek, recovery = create_protected_key_file(path, PASS, CHEAP)
    return path, dek, recovery


def test_passphrase_unlocks_and_the_key_never_appears_in_the_file(made) -> None:
    path, dek, recovery = made
    assert unlock_with_passphrase(path, PASS) == dek
    raw = path.read_bytes()
    assert dek.hex().encode() not in raw and dek not in raw
    assert recovery.encode() not in raw and PASS.encode() not in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["casebook.key"]  # no temp file left


def test_wrong_passphrase_is_not_damage(made) -> None:
    path, _, _ = made
    with pytest.raises(WrongPassphrase, match="not recognised"):
        unlock_with_passphrase(path, "otter lantern pumpkins")


def test_passphrase_is_compared_in_one_unicode_form(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    dek, _ = create_protected_key_file(path, "Zoë’s lantern pumpkin", CHEAP)
    decomposed = unicodedata.normalize("NFD", "Zoë’s lantern pumpkin")
    assert unlock_with_passphrase(path, decomposed) == dek


def test_recovery_key_unlocks_however_it_is_typed(made) -> None:
    path, dek, recovery = made
    assert len(normalise_recovery_key(recovery)) == 32
    assert unlock_with_recovery_key(path, recovery) == dek
    assert unlock_with_recovery_key(path, recovery.lower().replace("-", " ")) == dek
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(path, recovery[:-1] + ("A" if recovery[-1] != "A" else "B"))
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(path, "ABCD")


def test_changing_the_passphrase_rewraps_and_keeps_the_recovery_key(made) -> None:
    path, dek, recovery = made
    set_passphrase(path, dek, "kettle thistle yacht", CHEAP)
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(path, PASS)
    assert unlock_with_passphrase(path, "kettle thistle yacht") == dek
    assert unlock_with_recovery_key(path, recovery) == dek


@pytest.mark.parametrize("where", ["checksum", "ciphertext-no-reseal", "truncated"])
def test_damaged_key_file_says_damaged(made, where: str) -> None:
    path, _, _ = made
    text = path.read_text(encoding="utf-8")
    if where == "checksum":
        body = json.loads(text)
        body["checksum"] = "0" * 64
        path.write_text(json.dumps(body), encoding="utf-8")
    elif where == "ciphertext-no-reseal":
        body = json.loads(text)
        c = body["wraps"]["passphrase"]["ciphertext"]
        body["wraps"]["passphrase"]["ciphertext"] = ("0" if c[0] != "0" else "1") + c[1:]
        path.write_text(json.dumps(body), encoding="utf-8")
    else:
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(KeyFileError, match="damaged"):
        unlock_with_passphrase(path, PASS)


def test_tampered_header_fails_the_unwrap(made) -> None:
    path, _, _ = made
    reseal(path, lambda body: body.__setitem__("db_uuid", "another-case-book"))
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(path, PASS)


def test_hostile_kdf_parameters_are_refused_before_hashing(made) -> None:
    path, _, _ = made
    reseal(path, lambda body: body["kdf"].__setitem__("memory_kib", 64 * 1024 * 1024))
    started = time.perf_counter()
    with pytest.raises(KeyFileError, match="damaged"):
        unlock_with_passphrase(path, PASS)
    assert time.perf_counter() - started < 1.0


def test_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="missing"):
        unlock_with_passphrase(tmp_path / "none.key", PASS)


def test_refuses_to_overwrite_a_key_file(made) -> None:
    path, dek, _ = made
    before = path.read_bytes()
    with pytest.raises(KeyFileError, match="already exists"):
        create_protected_key_file(path, PASS, CHEAP)
    assert path.read_bytes() == before and unlock_with_passphrase(path, PASS) == dek


def test_known_answer_key_file_still_opens() -> None:
    """A key file written by this format's first release: a format change must not lock
    anyone out."""
    expected = bytes.fromhex("0bcf3bf4e6d7aa0c631109715407b91095df6d8ef6f0c0dbf356fcd427e22a3d")
    assert unlock_with_passphrase(FIXTURE, "kettle thistle yacht") == expected
    assert unlock_with_recovery_key(FIXTURE, "8YSF-GBDR-C6NV-TWT4-EXD6-6CN3-BKM7-P95W") == \
        expected


def test_nonces_and_salts_never_repeat(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    dek, _ = create_protected_key_file(path, PASS, CHEAP)
    seen = set()
    for _ in range(300):
        set_passphrase(path, dek, PASS, CHEAP)
        wrap = json.loads(path.read_text(encoding="utf-8"))["wraps"]["passphrase"]
        assert (wrap["nonce"], wrap["salt"]) not in seen
        seen.add((wrap["nonce"], wrap["salt"]))


def test_production_parameters_are_recorded_and_never_below_the_floor(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    started = time.perf_counter()
    dek, _ = create_protected_key_file(path, PASS)
    assert kdf_of(path) == PRODUCTION_KDF
    assert PRODUCTION_KDF.memory_kib >= 64 * 1024 and PRODUCTION_KDF.time_cost >= 3
    unlock = time.perf_counter()
    assert unlock_with_passphrase(path, PASS) == dek
    print(f"production Argon2id: create {unlock - started:.2f}s, "
          f"unlock {time.perf_counter() - unlock:.2f}s")


def test_training_key_file_is_its_own_format(tmp_path: Path) -> None:
    path = tmp_path / "training.key"
    key = create_training_key_file(path)
    assert read_training_key_file(path) == key
    with pytest.raises(KeyFileError, match="damaged"):
        unlock_with_passphrase(path, PASS)  # a real case book never uses an unwrapped key
    protected = tmp_path / "real.key"
    create_protected_key_file(protected, PASS, CHEAP)
    with pytest.raises(KeyFileError):
        read_training_key_file(protected)


def test_kdf_parameter_caps() -> None:
    KdfParams(1, 8, 1).check()
    PRODUCTION_KDF.check()
    for bad in (KdfParams(0, 8, 1), KdfParams(1, 4, 1), KdfParams(1, 8, 0),
                KdfParams(13, 8, 1), KdfParams(1, 2_000_000, 1), KdfParams(1, 8, 64)):
        with pytest.raises(KeyFileError):
            bad.check()
    assert keyfile.PROTECTED != keyfile.TRAINING
