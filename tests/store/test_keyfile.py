"""The key file (T9, T16): passphrase and recovery wraps (12 words, and the older 32
characters), damage versus a wrong passphrase, parameter caps, a known-answer file, and the
Argon2id settings: the floor, calibration on this machine, and raising them later."""

from __future__ import annotations

import hashlib
import json
import stat
import time
import unicodedata
from pathlib import Path

import pytest

from adviser_app.domain.recovery_key import CHARACTERS, WORDS, split_words
from adviser_app.store import kdf_calibration, key_file_format, keyfile, unlock_attempts
from adviser_app.store.errors import KeyFileError, WrongPassphrase, WrongRecoveryKey
from adviser_app.store.kdf_calibration import calibrate_kdf, time_one_derivation
from adviser_app.store.key_file_format import recovery_kind_of
from adviser_app.store.keyfile import (PRODUCTION_KDF, KdfParams, create_protected_key_file,
                                       create_training_key_file, kdf_of,
                                       read_training_key_file, set_passphrase,
                                       unlock_with_passphrase, unlock_with_recovery_key)
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


def _values(node: object) -> list[str]:
    """Every value in a key file's JSON, field names left out."""
    if isinstance(node, dict):
        return [v for value in node.values() for v in _values(value)]
    return [str(node)]


def test_passphrase_unlocks_and_the_key_never_appears_in_the_file(made) -> None:
    path, dek, recovery = made
    assert unlock_with_passphrase(path, PASS) == dek
    raw = path.read_bytes()
    assert dek.hex().encode() not in raw and dek not in raw
    assert recovery.encode() not in raw and PASS.encode() not in raw
    # in what the file stores, not its field names ("memory" and "phrase" are recovery words)
    stored = " ".join(_values(json.loads(raw)))
    assert not any(word in stored for word in split_words(recovery) if len(word) > 4)
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


def test_recovery_key_is_twelve_words_and_unlocks_however_it_is_typed(made) -> None:
    path, dek, recovery = made
    words = recovery.split()
    assert len(words) == 12 and recovery == " ".join(words) and recovery.islower()
    assert recovery_kind_of(path) == WORDS
    assert json.loads(path.read_text(encoding="utf-8"))["wraps"]["recovery"]["kind"] == WORDS
    assert unlock_with_recovery_key(path, recovery) == dek
    three_lines = "\n".join(" ".join(words[i:i + 4]) for i in range(0, 12, 4))
    for typed in (recovery.upper(), "-".join(words), "  " + three_lines.title() + "\n\n",
                  " ,  ".join(words), "\t".join(words)):
        assert unlock_with_recovery_key(path, typed) == dek, typed


def test_a_misspelt_or_missing_recovery_word_is_named(made) -> None:
    path, _, recovery = made
    words = recovery.split()
    misspelt = words[:4] + ["zzxq"] + words[5:]
    with pytest.raises(WrongRecoveryKey, match=r"Word 5, \u201czzxq\u201d, is not on the "):
        unlock_with_recovery_key(path, " ".join(misspelt))
    with pytest.raises(WrongRecoveryKey, match="12 words long, but 11 were typed"):
        unlock_with_recovery_key(path, " ".join(words[:-1]))
    with pytest.raises(WrongRecoveryKey, match="not letters and digits"):
        unlock_with_recovery_key(path, "8YSF-GBDR-C6NV-TWT4-EXD6-6CN3-BKM7-P95W")


def test_another_case_books_words_are_not_this_ones(made, tmp_path: Path) -> None:
    path, _, _ = made
    _, other = create_protected_key_file(tmp_path / "other.key", PASS, CHEAP)
    with pytest.raises(WrongRecoveryKey, match="not the recovery key for this case book"):
        unlock_with_recovery_key(path, other)


def test_older_character_recovery_keys_still_work(tmp_path: Path) -> None:
    """Case books made before words came in: no kind mark in the file, 8 groups of 4."""
    path = tmp_path / "old.key"
    dek, recovery = create_protected_key_file(path, PASS, CHEAP, recovery_kind=CHARACTERS)
    assert len(recovery) == 39 and recovery.count("-") == 7
    assert "kind" not in json.loads(path.read_text(encoding="utf-8"))["wraps"]["recovery"]
    assert recovery_kind_of(path) == CHARACTERS
    assert unlock_with_recovery_key(path, recovery) == dek
    assert unlock_with_recovery_key(path, recovery.lower().replace("-", " ")) == dek
    with pytest.raises(WrongRecoveryKey, match="not right for this case book"):
        unlock_with_recovery_key(path, recovery[:-1] + ("A" if recovery[-1] != "A" else "B"))
    with pytest.raises(WrongRecoveryKey, match="32 letters and digits"):
        unlock_with_recovery_key(path, "ABCD")
    with pytest.raises(WrongRecoveryKey, match="older kind.*8 were typed"):
        # two groups with digits in them (all letters would read as mistyped words instead)
        unlock_with_recovery_key(path, "7KQM-R2XD")
    with pytest.raises(WrongRecoveryKey, match="before recovery keys were words"):
        unlock_with_recovery_key(path, "abandon ability able about above absent absorb "
                                       "abstract absurd abuse access accident")
    set_passphrase(path, dek, "kettle thistle yacht", CHEAP)  # the older key is kept as it is
    assert unlock_with_recovery_key(path, recovery) == dek


def test_the_recovery_kind_mark_is_bound_to_the_wrap(made) -> None:
    path, _, recovery = made
    reseal(path, lambda body: body["wraps"]["recovery"].__setitem__("kind", "runes"))
    with pytest.raises(KeyFileError, match="damaged"):
        unlock_with_recovery_key(path, recovery)
    reseal(path, lambda body: body["wraps"]["recovery"].pop("kind"))
    with pytest.raises(WrongRecoveryKey):  # now read as an older key, which it is not
        unlock_with_recovery_key(path, recovery)


def test_changing_the_passphrase_rewraps_and_keeps_the_recovery_key(made) -> None:
    path, dek, recovery = made
    set_passphrase(path, dek, "kettle thistle yacht", CHEAP)
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(path, PASS)
    assert unlock_with_passphrase(path, "kettle thistle yacht") == dek
    assert unlock_with_recovery_key(path, recovery) == dek
    assert recovery_kind_of(path) == WORDS


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
                KdfParams(13, 8, 1), KdfParams(1, 2_000_000, 1), KdfParams(1, 8, 64),
                KdfParams(12, 512 * 1024, 4), KdfParams(3, 8, 9)):
        with pytest.raises(KeyFileError):
            bad.check()
    assert key_file_format.PROTECTED != key_file_format.TRAINING


# ----- calibration (T16) --------------------------------------------------------------------

MIB = 1024


def machine(seconds_at_floor: float, trials: list[KdfParams] | None = None):
    """A fake timer: a derivation takes time in proportion to passes times memory, scaled so
    the floor takes *seconds_at_floor*; each trial is recorded."""
    def measure(kdf: KdfParams) -> float:
        if trials is not None:
            trials.append(kdf)
        return seconds_at_floor * kdf.work / PRODUCTION_KDF.work
    return measure


def test_calibration_on_a_machine_like_this_one() -> None:
    """Measured here: 64 MiB t=3 about 0.11 s, so 256 MiB t=4 is the first step past 0.5 s."""
    trials: list[KdfParams] = []
    chosen = calibrate_kdf(measure=machine(0.11, trials))
    assert chosen == KdfParams(time_cost=4, memory_kib=256 * MIB, parallelism=4)
    assert trials == [PRODUCTION_KDF, PRODUCTION_KDF, chosen]  # two at the floor, one check


def test_calibration_never_goes_below_the_floor_on_a_slow_laptop() -> None:
    trials: list[KdfParams] = []
    assert calibrate_kdf(measure=machine(0.8, trials)) == PRODUCTION_KDF
    assert trials == [PRODUCTION_KDF, PRODUCTION_KDF]


def test_calibration_raises_memory_in_steps_first() -> None:
    assert calibrate_kdf(measure=machine(0.3)) == KdfParams(3, 128 * MIB, 4)
    assert calibrate_kdf(measure=machine(0.2)) == KdfParams(3, 256 * MIB, 4)


def test_calibration_on_a_very_fast_machine_stays_within_the_caps() -> None:
    chosen = calibrate_kdf(measure=machine(0.001))
    chosen.check()
    assert chosen == KdfParams(keyfile.MAX_TIME_COST, 256 * MIB, 4)
    assert calibrate_kdf(measure=machine(0.04)) == KdfParams(10, 256 * MIB, 4)


def test_calibration_tries_the_next_step_when_a_trial_falls_short() -> None:
    trials: list[KdfParams] = []
    fast = machine(0.11)

    def noisy(kdf: KdfParams) -> float:
        trials.append(kdf)
        return fast(kdf) * (0.8 if kdf.time_cost == 4 else 1.0)  # t=4 came out quick
    assert calibrate_kdf(measure=noisy) == KdfParams(5, 256 * MIB, 4)
    assert trials[2:] == [KdfParams(4, 256 * MIB, 4), KdfParams(5, 256 * MIB, 4)]


def test_calibration_keeps_to_its_time_budget() -> None:
    for floor_seconds in (0.001, 0.05, 0.11, 0.2, 0.3, 0.45, 0.6, 1.5):
        spent: list[float] = []
        measure = machine(floor_seconds)

        def timed(kdf: KdfParams, measure=measure, spent=spent) -> float:
            spent.append(measure(kdf))
            return spent[-1]
        calibrate_kdf(measure=timed)
        assert sum(spent) <= max(kdf_calibration.CALIBRATION_BUDGET_SECONDS, 2 * floor_seconds)


def test_calibration_does_not_use_a_step_that_turned_out_far_too_slow() -> None:
    def swapping(kdf: KdfParams) -> float:
        return 0.11 if kdf == PRODUCTION_KDF else 3.0
    assert calibrate_kdf(measure=swapping) == PRODUCTION_KDF


def test_time_one_derivation_uses_the_clock_it_is_given() -> None:
    ticks = iter([10.0, 10.25])
    assert time_one_derivation(CHEAP, clock=lambda: next(ticks)) == 0.25


@pytest.mark.slow
def test_real_calibration_on_this_machine_lands_between_a_third_of_a_second_and_two() -> None:
    """T16 b, with the real Argon2id. Measured on the 2-core development box: calibration took
    about 1 s and chose 256 MiB, t=4 (0.6 to 0.75 s a derivation)."""
    started = time.perf_counter()
    chosen = calibrate_kdf()
    calibration = time.perf_counter() - started
    one = min(time_one_derivation(chosen) for _ in range(2))
    print(f"calibration {calibration:.2f}s chose {chosen}: one derivation {one:.2f}s")
    assert not chosen.below(PRODUCTION_KDF)
    assert 0.3 <= one <= 2.0
    assert calibration <= 3.0


def test_a_byte_order_mark_added_by_an_editor_is_not_damage(made) -> None:
    path, dek, _ = made
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert unlock_with_passphrase(path, PASS) == dek


def test_the_highest_accepted_key_stretching_is_what_calibration_reaches(made) -> None:
    """A tampered file with the old caps (12 passes over 1 GiB) made each unlock take 15 to
    19 s; now anything above what calibration can choose is refused before any hashing."""
    path, _, _ = made
    reseal(path, lambda body: body["kdf"].update(time_cost=12, memory_kib=1024 * 1024))
    with pytest.raises(KeyFileError, match="damaged"):  # (hashing would say "not recognised")
        unlock_with_passphrase(path, PASS)


def test_wrong_passphrase_waits_are_kept_beside_the_key_file(made) -> None:
    """Issue 14 item 10: the delays reset when the app restarted, and the command line had
    none. The count lives beside the key file, so every caller (a new window, the IT
    commands) meets the same wait."""
    from adviser_app.store.errors import TooSoon

    path, dek, _ = made
    now = [1000.0]

    def clock() -> float:
        return now[0]
    waits = []
    for _ in range(3):
        with pytest.raises(WrongPassphrase) as wrong:
            keyfile.unlock_with_passphrase(path, "not the passphrase", clock=clock)
        waits.append(wrong.value.wait)
    assert waits == [0, 0, 2]
    assert unlock_attempts.attempts_path(path).exists()
    with pytest.raises(TooSoon, match="wait 2 seconds"):  # even the right one, unhashed
        keyfile.unlock_with_passphrase(path, PASS, clock=clock)
    now[0] += 2
    assert keyfile.unlock_with_passphrase(path, PASS, clock=clock) == dek
    assert unlock_attempts.wait_left(path, now[0]) == 0  # a right passphrase clears the count
    with pytest.raises(WrongPassphrase) as wrong:
        keyfile.unlock_with_passphrase(path, "not the passphrase", clock=clock)
    assert wrong.value.wait == 0


def test_a_clock_set_back_never_makes_the_wait_longer(made) -> None:
    path, _, _ = made
    for _ in range(5):
        try:
            keyfile.unlock_with_passphrase(path, "nope nope nope", clock=lambda: 5000.0)
        except WrongPassphrase:
            pass
    assert unlock_attempts.wait_left(path, 10.0) <= 8


def test_a_key_derived_ahead_is_used_once_and_decides_nothing(tmp_path: Path,
                                                              monkeypatch) -> None:
    """The window derives the key on a worker thread (derive_ahead), then unlocks as ever:
    the same key, no second derivation, and a wrong passphrase still refused and counted."""
    path = tmp_path / "casebook.key"
    dek, _recovery = create_protected_key_file(path, "otter lantern pumpkin", CHEAP)
    derivations = []
    real = keyfile.hash_secret_raw
    monkeypatch.setattr(keyfile, "hash_secret_raw",
                        lambda *a, **k: derivations.append(1) or real(*a, **k))
    keyfile.derive_ahead(path, "otter lantern pumpkin")
    assert len(derivations) == 1
    assert keyfile.unlock_with_passphrase(path, "otter lantern pumpkin") == dek
    assert len(derivations) == 1  # the key derived ahead was used
    assert keyfile.unlock_with_passphrase(path, "otter lantern pumpkin") == dek
    assert len(derivations) == 2  # and forgotten after that one use
    keyfile.derive_ahead(path, "otter lantern pumpkins")
    with pytest.raises(WrongPassphrase):
        keyfile.unlock_with_passphrase(path, "otter lantern pumpkins")
    assert unlock_attempts.attempts_path(path).exists()
    keyfile.derive_ahead(path, "otter lantern pumpkin")  # then another passphrase is typed
    with pytest.raises(WrongPassphrase):
        keyfile.unlock_with_passphrase(path, "otter lantern pumpkinz")
    assert not keyfile._DERIVED  # a key derived for a passphrase not used is not kept
    keyfile.derive_ahead(tmp_path / "missing.key", "otter lantern pumpkin")  # says nothing
