"""Passphrase guidance and the delay after wrong tries."""

from __future__ import annotations

import pytest

from adviser_app.domain.passphrase import (MIN_LENGTH, passphrase_problems, suggest,
                                           unlock_delay)
from adviser_app.domain.recovery_key import word_list


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


def test_suggestion_is_three_words_from_the_recovery_key_list_and_passes() -> None:
    for _ in range(20):
        suggestion = suggest()
        words = suggestion.split(" ")
        assert len(words) == 3 and all(w in word_list() for w in words)
        assert passphrase_problems(suggestion) == []
    assert len(word_list()) == 2048


# Issue 14 item 10: 14 of 26 common weak phrases were accepted by the length rule.
@pytest.mark.parametrize("weak", [
    "password1234", "Password123!", "qwertyuiop123", "iloveyou2024", "letmeinplease",
    "welcome12345", "Summer2024!!", "P@ssw0rd2024", "trustno1trustno1", "abcdefghijkl",
    "123456789012", "monkey monkey monkey", "Liverpool1234", "adviser toolkit",
    "sendiass2024", "football1234", "qwerty123456", "iloveyouforever", "princess1234",
    "aaaaaaaaaaaaaaaa", "1q2w3e4r5t6y", "manchester united", "letmein123456",
    "dragon dragon", "sunshine2024", "passwordpassword",
])
def test_common_weak_passphrases_are_refused_with_advice(weak: str) -> None:
    problems = passphrase_problems(weak)
    assert problems and ("too easy" in problems[0] or "at least 12" in problems[0]), weak
    assert "random words" in problems[0]


@pytest.mark.parametrize("strong", ["otter lantern pumpkin", "marble kettle orchard sky",
                                    "kettle thistle yacht", "ocean radio velvet harbour"])
def test_random_words_pass(strong: str) -> None:
    assert passphrase_problems(strong) == []


def test_the_example_on_the_screen_is_refused() -> None:
    """Issue 21: the example printed on the first-run page was accepted as a real one."""
    for typed in ("candle robin clover", "Candle  Robin clover"):
        assert "example" in passphrase_problems(typed)[0]
    assert "example" in passphrase_problems("ocean radio velvet",
                                            shown=["ocean radio velvet"])[0]


def test_unlock_delay_grows_and_is_capped() -> None:
    assert [unlock_delay(n) for n in range(0, 10)] == [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]
    assert unlock_delay(100) == 60
