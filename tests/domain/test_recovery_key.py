"""The recovery key as words (BIP39 English, 12 words = 128 bits) and the older 32-character
kind: made, read back however it is typed, and plain messages when it can't be read."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mnemonic import Mnemonic

from adviser_app.domain.recovery_key import (BRITISH_SPELLINGS, CHARACTER_ALPHABET,
                                             RecoveryKeyProblem, looks_like_character_key,
                                             new_character_key, new_recovery_words,
                                             normalise_character_key, recovery_key_problem,
                                             split_words, typing_progress, word_lines,
                                             word_list, words_to_entropy)

ZERO = bytes(16)
ZERO_WORDS = "abandon " * 11 + "about"  # the first BIP39 English test vector


def test_the_word_list_is_bip39_english() -> None:
    words = word_list()
    assert len(words) == 2048 == len(set(words))
    assert words[0] == "abandon" and words[-1] == "zoo"
    assert len({w[:4] for w in words}) == 2048  # the first four letters tell every word apart
    assert hashlib.sha256(("\n".join(words) + "\n").encode()).hexdigest() == \
        "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"


def test_known_vectors() -> None:
    assert new_recovery_words(ZERO) == ZERO_WORDS.strip()
    assert words_to_entropy(ZERO_WORDS) == ZERO
    ones = bytes([0xFF] * 16)
    assert new_recovery_words(ones) == "zoo " * 11 + "wrong"
    assert words_to_entropy("zoo " * 11 + "wrong") == ones


def test_a_new_key_is_twelve_random_words_shown_as_three_lines_of_four() -> None:
    key = new_recovery_words()
    assert len(key.split(" ")) == 12 and all(w in word_list() for w in key.split(" "))
    assert new_recovery_words() != key
    lines = word_lines(key)
    assert [len(line) for line in lines] == [4, 4, 4]
    assert " ".join(w for line in lines for w in line) == key


@given(st.binary(min_size=16, max_size=16),
       st.lists(st.sampled_from([" ", "  ", "-", "\n", " - ", ", ", "\r\n", "\t", ". "]),
                min_size=11, max_size=11),
       st.booleans())
def test_any_key_reads_back_however_it_is_typed(entropy: bytes, gaps: list[str],
                                                 shout: bool) -> None:
    words = new_recovery_words(entropy).split()
    assert Mnemonic("english").to_entropy(words) == entropy  # what the library agrees on
    typed = words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:], strict=True))
    typed = f"  {typed.upper() if shout else typed.title()}\n"
    assert words_to_entropy(typed) == entropy
    assert recovery_key_problem(typed) is None


def test_british_spellings_of_the_lists_american_words_are_accepted() -> None:
    assert all(us in word_list() and uk not in word_list()
               for uk, us in BRITISH_SPELLINGS.items())
    entropy = (word_list().index("color") << 117).to_bytes(16, "big")  # first word "color"
    american = new_recovery_words(entropy)
    assert american.startswith("color ")
    assert words_to_entropy("Colour" + american[len("color"):]) == entropy


def test_a_word_not_on_the_list_is_named_with_its_place() -> None:
    words = ZERO_WORDS.split()
    words[2] = "abandun"
    with pytest.raises(RecoveryKeyProblem) as caught:
        words_to_entropy(" ".join(words))
    message = str(caught.value)
    assert message.startswith("Word 3, \u201cabandun\u201d, is not on the recovery word list.")
    assert "nearest word on the list is \u201cabandon\u201d" in message
    words[7] = "qqqq"
    message = recovery_key_problem(" ".join(words)) or ""
    assert "Words 3 (\u201cabandun\u201d) and 8 (\u201cqqqq\u201d) are not on" in message


def test_wrong_number_of_words_and_a_failed_checksum() -> None:
    assert "12 words long, but 11 were typed" in (recovery_key_problem("abandon " * 11) or "")
    assert "but 1 was typed" in (recovery_key_problem("abandon") or "")
    assert "but 13 were typed" in (recovery_key_problem(ZERO_WORDS + " zoo") or "")
    swapped = "about " + "abandon " * 11  # every word is on the list; the order is wrong
    assert "not a recovery key" in (recovery_key_problem(swapped) or "")
    assert recovery_key_problem("  \n ") == "Type the recovery key from the printed sheet."


def test_older_character_keys_are_read_as_before() -> None:
    key = new_character_key()
    assert len(key) == 39 and all(ch in CHARACTER_ALPHABET + "-" for ch in key)
    compact = key.replace("-", "")
    assert normalise_character_key(key.lower().replace("-", " ")) == compact
    assert normalise_character_key("8ysf gbdr c6nv twt4 exd6 6cn3 bkm7 p95w") == \
        "8YSFGBDRC6NVTWT4EXD66CN3BKM7P95W"
    assert looks_like_character_key(key) and looks_like_character_key(key.lower())
    assert looks_like_character_key("8YSF-GBDR")  # part typed: it has a digit
    assert recovery_key_problem(key) is None
    assert "older kind" in (recovery_key_problem("8YSF-GBDR-C6NV") or "")
    with pytest.raises(RecoveryKeyProblem, match="never uses the letters I, L, O or U"):
        normalise_character_key("8YSF-GBDR-C6NV-TWT4-EXD6-6CN3-BKM7-P950")


def test_words_never_look_like_an_older_key() -> None:
    for _ in range(200):
        assert not looks_like_character_key(new_recovery_words())
    assert not looks_like_character_key("abandon ability")
    typo = "abandon abili7y able about above absent absorb abstract absurd abuse access acid"
    assert not looks_like_character_key(typo)
    assert (recovery_key_problem(typo) or "").startswith("Word 2, \u201cabili7y\u201d, is not")


def test_split_words_ignores_case_and_punctuation() -> None:
    assert split_words(" Otter-LANTERN,\npumpkin. ") == ["otter", "lantern", "pumpkin"]
    assert split_words("caf\u00e9") == ["caf\u00e9"]  # kept whole, then named as not listed


def test_typing_progress_counts_words_and_names_a_wrong_one_early() -> None:
    assert typing_progress("") == ("Type the 12 words in order.", True)
    assert typing_progress("abandon abil") == ("2 of 12 words typed.", True)  # still typing
    note, ok = typing_progress("abandon abilty ")
    assert not ok and note.startswith("Word 2, \u201cabilty\u201d, is not on")
    note, ok = typing_progress("abandon qx")  # no word on the list starts with "qx"
    assert not ok and "Word 2, \u201cqx\u201d" in note
    assert typing_progress("abandon colou") == ("2 of 12 words typed.", True)  # colour
    assert typing_progress(ZERO_WORDS) == ("All 12 words typed.", True)
    note, ok = typing_progress("about " + "abandon " * 11)
    assert not ok and "not a recovery key" in note
    assert typing_progress(ZERO_WORDS + " zoo")[1] is False
    note, ok = typing_progress("8YSF-GBDR")
    assert ok and "older recovery key: 8 of 32" in note
