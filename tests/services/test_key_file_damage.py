"""Every kind of damage to the key file reads as damage, never as a wrong passphrase, where
the two can be told apart (issue 14 item 8: the attack found 4 of 20 kinds read as "wrong
passphrase"); the copy beside the backups, or the printed recovery key, then opens the book.

What cannot be told apart, and why: a key file whose checksum still matches (edited and its
checksum recomputed, or another case book's key file put in its place) fails only at AES-GCM,
which says "this key does not open this wrap" and nothing more: a wrong passphrase and an
altered wrap look the same. Only a second copy can tell, so when the copy beside the backups
differs from the key file and opens this book, it is used (and said); with no copy these
kinds still read as a wrong passphrase (RESEALED below).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from adviser_app.services import case_books, recovering
from adviser_app.store.db import close_case_book
from adviser_app.store.errors import KeyFileError, TooSoon, WrongPassphrase, WrongRecoveryKey
from adviser_app.store.keyfile import unlock_with_passphrase
from support import CHEAP, PASSPHRASE

Damage = Callable[[bytes, bytes], bytes]  # (this key file, another case book's) -> damaged
NEW_PASSPHRASE = "kettle thistle yacht"


def reseal(raw: bytes, change: Callable[[dict], None]) -> bytes:
    """Edit the key file and recompute its checksum, as a careful attacker would."""
    body = json.loads(raw)
    body.pop("checksum")
    change(body)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    body["checksum"] = hashlib.sha256(canonical).hexdigest()
    return json.dumps(body, indent=1, sort_keys=True).encode("utf-8")


def flip(key: str, nth: int = 0, offset: int = 3) -> Damage:
    """One bit flipped *offset* characters into the value of the *nth* field called *key*."""
    def damage(raw: bytes, other: bytes) -> bytes:
        text, at = raw.decode("utf-8"), -1
        for _ in range(nth + 1):
            at = text.index(f'"{key}": ', at + 1)
        data = bytearray(raw)
        data[at + len(key) + 4 + offset] ^= 0x01
        return bytes(data)
    return damage


def hex_flip(value: str) -> str:
    return value[:5] + format(int(value[5], 16) ^ 1, "x") + value[6:]


def in_passphrase_wrap(field: str, value: Callable[[str], str]) -> Damage:
    def change(body: dict) -> None:
        wrap = body["wraps"]["passphrase"]
        wrap[field] = value(wrap[field])
    return lambda raw, other: reseal(raw, change)


# name: (damage, with the passphrase and no copy, with the recovery key and no copy)
# "damaged": KeyFileError saying so and naming the recovery key; "opens": it opens;
# "wrong": read as a wrong passphrase or recovery key (only the RESEALED kinds)
KINDS: dict[str, tuple[Damage, str, str]] = {
    "empty": (lambda r, o: b"", "damaged", "damaged"),
    "cut to 1 byte": (lambda r, o: r[:1], "damaged", "damaged"),
    "cut at a quarter": (lambda r, o: r[:len(r) // 4], "damaged", "damaged"),
    "cut at half": (lambda r, o: r[:len(r) // 2], "damaged", "damaged"),
    "cut at three quarters": (lambda r, o: r[:3 * len(r) // 4], "damaged", "damaged"),
    "last byte cut": (lambda r, o: r[:-1], "damaged", "damaged"),
    "zeroed": (lambda r, o: bytes(len(r)), "damaged", "damaged"),
    "a zeroed run": (lambda r, o: r[:100] + bytes(200) + r[300:], "damaged", "damaged"),
    "random bytes": (lambda r, o: os.urandom(len(r)), "damaged", "damaged"),
    "invalid UTF-8": (lambda r, o: r[:50] + b"\xff" + r[51:], "damaged", "damaged"),
    "the JSON an array": (lambda r, o: b"[1, 2]", "damaged", "damaged"),
    "bit flip in the format": (flip("format"), "damaged", "damaged"),
    "bit flip in the book's id": (flip("db_uuid"), "damaged", "damaged"),
    "bit flip in the key stretching": (flip("time_cost", offset=0), "damaged", "opens"),
    "bit flip in the salt": (flip("salt"), "damaged", "opens"),
    "bit flip in the nonce": (flip("nonce"), "damaged", "opens"),
    "bit flip in the wrapped key": (flip("ciphertext", offset=5), "damaged", "opens"),
    "bit flip in the MAC": (flip("ciphertext", offset=90), "damaged", "opens"),
    "bit flip in the recovery wrap": (flip("ciphertext", nth=1, offset=5), "damaged",
                                      "damaged"),
    "bit flip in the checksum": (flip("checksum"), "damaged", "opens"),
    "bytes added after": (lambda r, o: r + b"garbage", "damaged", "opens"),
    "a second copy added after": (lambda r, o: r + r, "damaged", "opens"),
    "a newer version": (lambda r, o: reseal(r, lambda b: b.update(
        format="adviser-toolkit-key/2")), "damaged", "damaged"),
    "the training key file's format": (lambda r, o: reseal(r, lambda b: b.update(
        format="adviser-toolkit-training-key/1")), "damaged", "damaged"),
    "a wrap missing": (lambda r, o: reseal(r, lambda b: b["wraps"].pop("passphrase")),
                       "damaged", "opens"),
    "a salt cut short": (in_passphrase_wrap("salt", lambda v: v[:4]), "damaged", "opens"),
    "a nonce cut short": (in_passphrase_wrap("nonce", lambda v: v[:4]), "damaged", "opens"),
    "the wrapped key cut short": (in_passphrase_wrap("ciphertext", lambda v: v[:40]),
                                  "damaged", "opens"),
    "key stretching as text": (lambda r, o: reseal(r, lambda b: b["kdf"].update(
        time_cost="1")), "damaged", "opens"),
    # RESEALED: the checksum matches, so only AES-GCM can object (see the module's note)
    "another case book's key file": (lambda r, o: o, "wrong", "wrong"),
    "salt changed, resealed": (in_passphrase_wrap("salt", hex_flip), "wrong", "opens"),
    "wrapped key changed, resealed": (in_passphrase_wrap("ciphertext", hex_flip), "wrong",
                                      "opens"),
    "key stretching changed, resealed": (lambda r, o: reseal(r, lambda b: b["kdf"].update(
        time_cost=2)), "wrong", "opens"),
    "book's id changed, resealed": (lambda r, o: reseal(r, lambda b: b.update(
        db_uuid="00000000-0000-0000-0000-000000000000")), "wrong", "wrong"),
}
RESEALED = {name for name, (_, said, _) in KINDS.items() if said == "wrong"}


@pytest.fixture(scope="module")
def other_key_file(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("other-book")
    close_case_book(case_books.create_real(folder, "quite other words", kdf=CHEAP).db)
    return case_books.real_place(folder).key_path.read_bytes()


def damaged_book(data_dir: Path, name: str, other: bytes, *,
                 keep_copy: bool) -> tuple[case_books.CaseBookPlace, str, bytes, bytes]:
    made = case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP)
    close_case_book(made.db)
    place = case_books.real_place(data_dir)
    good = place.key_path.read_bytes()
    if not keep_copy:
        (place.backups / place.key_path.name).unlink()
    damaged = KINDS[name][0](good, other)
    assert damaged != good
    place.key_path.write_bytes(damaged)
    return place, made.recovery_key, good, damaged


def test_there_are_at_least_twenty_kinds() -> None:
    assert len(KINDS) - len(RESEALED) >= 20


@pytest.mark.parametrize("name", sorted(KINDS))
def test_with_no_copy_the_passphrase_reads_damage_as_damage(data_dir, other_key_file,
                                                          name) -> None:
    place, _, _, damaged = damaged_book(data_dir, name, other_key_file, keep_copy=False)
    expected = KINDS[name][1]
    if expected == "wrong":
        with pytest.raises(WrongPassphrase):
            recovering.open_or_recover(place, PASSPHRASE)
    else:
        with pytest.raises(KeyFileError) as said:
            recovering.open_or_recover(place, PASSPHRASE)
        assert "damaged" in str(said.value) and "recovery key" in str(said.value)
    assert place.key_path.read_bytes() == damaged  # left exactly as found


@pytest.mark.parametrize("name", sorted(KINDS))
def test_with_the_copy_beside_the_backups_every_kind_opens_and_is_said(
        data_dir, other_key_file, name) -> None:
    place, _, good, damaged = damaged_book(data_dir, name, other_key_file, keep_copy=True)
    opened = recovering.open_or_recover(place, PASSPHRASE)
    close_case_book(opened.db)
    assert opened.key_replaced is not None and "key file was damaged" in opened.message
    assert (opened.key_replaced / "casebook.key").read_bytes() == damaged  # kept
    assert place.key_path.read_bytes() == good


@pytest.mark.parametrize("name", sorted(KINDS))
def test_with_no_copy_the_recovery_key_opens_whatever_left_its_wrap_whole(
        data_dir, other_key_file, name) -> None:
    place, recovery, _, damaged = damaged_book(data_dir, name, other_key_file,
                                               keep_copy=False)
    expected = KINDS[name][2]
    if expected == "opens":
        opened = recovering.open_with_recovery(place, recovery, NEW_PASSPHRASE, kdf=CHEAP)
        close_case_book(opened.db)
        assert opened.key_rewritten is not None or name in RESEALED
        if opened.key_rewritten is not None:
            assert (opened.key_rewritten / "casebook.key").read_bytes() == damaged
            assert "written afresh" in opened.message
        # the key file is whole again: the new passphrase opens it, without a copy
        assert unlock_with_passphrase(place.key_path, NEW_PASSPHRASE)
        close_case_book(case_books.open_existing(place, NEW_PASSPHRASE, kdf=CHEAP))
        return
    error = WrongRecoveryKey if expected == "wrong" else KeyFileError
    with pytest.raises(error) as said:
        recovering.open_with_recovery(place, recovery, NEW_PASSPHRASE, kdf=CHEAP)
    if expected == "damaged":
        assert "damaged" in str(said.value)
    assert place.key_path.read_bytes() == damaged


@pytest.mark.parametrize("editor", [lambda r: b"\xef\xbb\xbf" + r,
                                    lambda r: r.replace(b"\n", b"\r\n"),
                                    lambda r: r + b"\n"], ids=["BOM", "CRLF", "newline"])
def test_what_an_editor_adds_is_not_damage(data_dir, editor) -> None:
    close_case_book(case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP).db)
    place = case_books.real_place(data_dir)
    place.key_path.write_bytes(editor(place.key_path.read_bytes()))
    opened = recovering.open_or_recover(place, PASSPHRASE)
    close_case_book(opened.db)
    assert opened.key_replaced is None and opened.message == ""


def test_a_wrong_passphrase_is_still_a_wrong_passphrase_with_a_different_copy(data_dir,
                                                                            other_key_file):
    """The copy is tried only when it differs, and a wrong passphrase opens neither."""
    place, _, _, damaged = damaged_book(data_dir, "salt changed, resealed", other_key_file,
                                        keep_copy=True)
    with pytest.raises(WrongPassphrase):
        recovering.open_or_recover(place, "not the passphrase at all")
    assert place.key_path.read_bytes() == damaged
    assert not (place.path.parent / "quarantine").exists()


def test_a_folder_in_place_of_the_key_file_is_damage_not_a_traceback(data_dir) -> None:
    close_case_book(case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP).db)
    place = case_books.real_place(data_dir)
    (place.backups / place.key_path.name).unlink()
    place.key_path.unlink()
    place.key_path.mkdir()
    with pytest.raises(KeyFileError, match="damaged"):
        recovering.open_or_recover(place, PASSPHRASE)


def test_the_wait_after_wrong_passphrases_holds_for_the_copy_too(data_dir, other_key_file):
    """Trying the copy must not become a way round the growing wait: the wrong passphrases
    were counted against the key file while it still matched its copy."""
    close_case_book(case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP).db)
    place = case_books.real_place(data_dir)
    for _ in range(8):
        try:
            recovering.open_or_recover(place, "not the passphrase at all")
        except TooSoon:
            break
        except WrongPassphrase:
            continue
    else:
        pytest.fail("no wait came after 8 wrong passphrases")
    good = place.key_path.read_bytes()
    place.key_path.write_bytes(KINDS["salt changed, resealed"][0](good, other_key_file))
    with pytest.raises(TooSoon):
        recovering.open_or_recover(place, PASSPHRASE)  # right for the copy, but not yet
    assert not (place.path.parent / "quarantine").exists()
