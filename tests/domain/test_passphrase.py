"""Passphrase guidance and the delay after wrong tries."""

from __future__ import annotations

from adviser_app.domain.passphrase import (MIN_LENGTH, WORDS, passphrase_problems, suggest,
                                           unlock_delay)


def test_three_random_words_are_fine() -> None:
    assert passphrase_problems("otter lantern pumpkin") == []
    assert passphrase_problems("otter lantern pumpkin", "otter lantern pumpkin") == []


def test_length_not_complexity() -> None:
    assert "at least 12" in passphrase_problems("Tr0ub4dor&3")[0]
    assert passphrase_problems("x" * (MIN_LENGTH - 1))
    assert passphrase_problems("aaaaaaaaaaaaaaaa")  # long but one repeated letter
    assert passphrase_problems("Password123")  # too short
    assert "too easy" in passphrase_problems("password1234")[0]


def test_confirmation_must_match() -> None:
    assert passphrase_problems("otter lantern pumpkin", "otter lantern pumkin") == [
        "The two passphrases are not the same."]


def test_suggestion_is_three_listed_words() -> None:
    words = suggest().split(" ")
    assert len(words) == 3 and all(w in WORDS for w in words)
    assert len(WORDS) == len(set(WORDS)) >= 100


def test_unlock_delay_grows_and_is_capped() -> None:
    assert [unlock_delay(n) for n in range(0, 10)] == [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]
    assert unlock_delay(100) == 60
