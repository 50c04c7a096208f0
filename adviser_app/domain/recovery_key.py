"""The printed recovery key as text: made, shown, typed back and checked.

New case books get **12 words** from the BIP39 English word list: 2,048 common words, no two
sharing their first four letters, shipped by the pinned ``mnemonic`` package (Trezor's
reference implementation, MIT licence; the list is data inside that package). Twelve words
carry 128 random bits plus a 4-bit checksum, so most slips (a wrong word, two words swapped)
are caught as they are typed, before any unlocking is tried.

Case books made before words came in have a key of **32 letters and digits in 8 groups of
four** (about 157 bits). Those keys keep working: the key file records which kind its case
book has, and :func:`looks_like_character_key` tells the two apart by shape for messages.

Typing is forgiving: capitals, extra spaces, hyphens, commas and line breaks are ignored, and
British spellings of the few American words on the list (colour, harbour...) are accepted.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import secrets
import unicodedata

from mnemonic import Mnemonic

WORDS = "words"
CHARACTERS = "characters"
"""The two kinds of recovery key, as recorded in the key file."""

WORD_COUNT = 12
WORDS_PER_LINE = 4
ENTROPY_BYTES = 16  # 128 bits: 12 words of 11 bits hold these plus a 4-bit checksum

CHARACTER_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to read back
CHARACTER_COUNT = 32

# The list's American spellings, and the British spelling a person may type from habit.
BRITISH_SPELLINGS = {
    "armour": "armor", "catalogue": "catalog", "colour": "color", "defence": "defense",
    "favourite": "favorite", "fibre": "fiber", "flavour": "flavor", "harbour": "harbor",
    "humour": "humor", "labour": "labor", "licence": "license", "odour": "odor",
    "practise": "practice", "vapour": "vapor",
}


class RecoveryKeyProblem(ValueError):
    """What is wrong with a typed recovery key; str() is a plain-English message to show."""


@functools.cache
def _mnemonic() -> Mnemonic:
    return Mnemonic("english")


@functools.cache
def word_list() -> tuple[str, ...]:
    return tuple(_mnemonic().wordlist)


@functools.cache
def _positions() -> dict[str, int]:
    return {word: i for i, word in enumerate(word_list())}


# ----- words ------------------------------------------------------------------------------


def new_recovery_words(entropy: bytes | None = None) -> str:
    """Twelve words, lower case, separated by single spaces (128 random bits)."""
    entropy = secrets.token_bytes(ENTROPY_BYTES) if entropy is None else entropy
    if len(entropy) != ENTROPY_BYTES:
        raise ValueError("a recovery key holds exactly 16 random bytes")
    return str(_mnemonic().to_mnemonic(entropy))


def word_lines(key: str) -> list[list[str]]:
    """The words of a key in lines of four, the way they are shown and printed."""
    words = split_words(key)
    return [words[i:i + WORDS_PER_LINE] for i in range(0, len(words), WORDS_PER_LINE)]


def split_words(text: str) -> list[str]:
    """The typed words, lower case; anything that is not a letter or digit separates them."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [word for word in re.split(r"[\W_]+", folded) if word]


def _on_list(word: str) -> str | None:
    word = BRITISH_SPELLINGS.get(word, word)
    return word if word in _positions() else None


def _quoted(word: str) -> str:
    return f"\u201c{word}\u201d"


def _not_on_list(unknown: list[tuple[int, str]]) -> str:
    if len(unknown) == 1:
        place, word = unknown[0]
        message = (f"Word {place}, {_quoted(word)}, is not on the recovery word list. Check "
                   "its spelling against the printed sheet.")
        nearest = difflib.get_close_matches(word, word_list(), n=1, cutoff=0.75)
        if nearest:
            message += f" The nearest word on the list is {_quoted(nearest[0])}."
        return message
    named = [f"{place} ({_quoted(word)})" for place, word in unknown[:4]]
    listed = ", ".join(named[:-1]) + " and " + named[-1]
    more = " and others" if len(unknown) > 4 else ""
    return (f"Words {listed}{more} are not on the recovery word list. Check their spelling "
            "against the printed sheet.")


def words_to_entropy(text: str) -> bytes:
    """The 16 random bytes a typed 12-word key stands for; RecoveryKeyProblem says what is
    wrong (naming any word not on the list) if it can't be read."""
    typed = split_words(text)
    if not typed:
        raise RecoveryKeyProblem("Type the recovery key from the printed sheet.")
    unknown = [(i, word) for i, word in enumerate(typed, 1) if _on_list(word) is None]
    if unknown:
        raise RecoveryKeyProblem(_not_on_list(unknown))
    if len(typed) != WORD_COUNT:
        raise RecoveryKeyProblem(
            f"The recovery key is {WORD_COUNT} words long, but {len(typed)} "
            f"{'was' if len(typed) == 1 else 'were'} typed. Check that no word is missing or "
            "typed twice.")
    bits = 0
    for word in typed:
        bits = (bits << 11) | _positions()[BRITISH_SPELLINGS.get(word, word)]
    entropy = (bits >> 4).to_bytes(ENTROPY_BYTES, "big")
    if hashlib.sha256(entropy).digest()[0] >> 4 != bits & 0xF:
        raise RecoveryKeyProblem(
            "Every word is on the list, but together they are not a recovery key: a word may "
            "have been swapped for a different one, or two typed in the wrong order. Compare "
            "them with the printed sheet, line by line.")
    return entropy


# ----- the older kind: 32 letters and digits ----------------------------------------------


def new_character_key() -> str:
    """The older kind of key, 8 groups of 4 (only made for tests of old case books now)."""
    chars = "".join(secrets.choice(CHARACTER_ALPHABET) for _ in range(CHARACTER_COUNT))
    return "-".join(chars[i:i + 4] for i in range(0, CHARACTER_COUNT, 4))


def _compact(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def normalise_character_key(text: str) -> str:
    """The 32 characters of an older key, upper case with no separators."""
    cleaned = _compact(text).replace("0", "O").replace("1", "I")
    if len(cleaned) == CHARACTER_COUNT and all(ch in CHARACTER_ALPHABET for ch in cleaned):
        return cleaned
    if len(cleaned) != CHARACTER_COUNT:
        raise RecoveryKeyProblem(
            f"This recovery key is the older kind: {CHARACTER_COUNT} letters and digits in 8 "
            f"groups of four, but {len(cleaned)} were typed. Check each group against the "
            "printed sheet.")
    raise RecoveryKeyProblem(
        "This recovery key is the older kind: 32 letters and digits in 8 groups of four. It "
        "never uses the letters I, L, O or U, or the digits 0 and 1, so check any of those "
        "against the printed sheet.")


def looks_like_character_key(text: str) -> bool:
    """True if the typing is meant as the older kind of key: it is exactly 32 characters from
    that key's alphabet, or it has a digit (no word on the list does) and most of what was
    typed is not words from the list (so a stray digit in a word is named as a bad word)."""
    compact = _compact(text)
    if len(compact) == CHARACTER_COUNT and all(ch in CHARACTER_ALPHABET for ch in compact):
        return True
    if not any(ch.isdigit() for ch in compact):
        return False
    typed = split_words(text)
    return 2 * sum(1 for word in typed if _on_list(word) is not None) <= len(typed)


# ----- either kind ------------------------------------------------------------------------


def recovery_key_problem(text: str) -> str | None:
    """Checked as the key is typed, before anything is unlocked: None if it reads as a key of
    either kind, otherwise what is wrong."""
    try:
        if looks_like_character_key(text):
            normalise_character_key(text)
        else:
            words_to_entropy(text)
    except RecoveryKeyProblem as problem:
        return str(problem)
    return None


def typing_progress(text: str) -> tuple[str, bool]:
    """A short note for under the box while the key is typed, and False if it names a
    problem. A word still being typed (the last one, with no space after it) is only judged
    once no word on the list starts like it."""
    if not text.strip():
        return f"Type the {WORD_COUNT} words in order.", True
    if looks_like_character_key(text):
        problem = recovery_key_problem(text)
        count = len(_compact(text))
        if problem and count >= CHARACTER_COUNT:
            return problem, False
        return (f"An older recovery key: {count} of {CHARACTER_COUNT} letters and digits "
                "typed."), True
    typed = split_words(text)
    finished = typed if re.search(r"[\W_]$", text) else typed[:-1]
    unknown = [(i, word) for i, word in enumerate(finished, 1) if _on_list(word) is None]
    if len(finished) < len(typed) and _on_list(typed[-1]) is None and not any(
            w.startswith(typed[-1]) for w in (*word_list(), *BRITISH_SPELLINGS)):
        unknown.append((len(typed), typed[-1]))  # no word on the list starts like this
    if unknown:
        return _not_on_list(unknown), False
    if len(typed) > WORD_COUNT:
        return f"{len(typed)} words typed, but the recovery key has {WORD_COUNT}.", False
    if len(typed) == WORD_COUNT and _on_list(typed[-1]) is not None:
        problem = recovery_key_problem(text)
        return (problem, False) if problem else (f"All {WORD_COUNT} words typed.", True)
    return f"{len(typed)} of {WORD_COUNT} words typed.", True
