"""Passphrase guidance in the NCSC "three random words" style: length, not complexity."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

MIN_LENGTH = 12

# Short, common, easy-to-spell words for suggestions (our own list).
WORDS = (
    "apple", "anchor", "badger", "basket", "beach", "bicycle", "biscuit", "blanket", "bottle",
    "bridge", "bucket", "button", "cabbage", "camera", "candle", "canoe", "carpet", "castle",
    "cherry", "chimney", "cloud", "clover", "cobweb", "comet", "copper", "cotton", "cricket",
    "crystal", "daisy", "desert", "dolphin", "donkey", "dragon", "drum", "eagle", "engine",
    "falcon", "feather", "fiddle", "forest", "fossil", "fountain", "garden", "giraffe",
    "glacier", "goblet", "granite", "guitar", "hammer", "harbour", "hazel", "hedgehog",
    "helmet", "honey", "island", "jacket", "jigsaw", "kettle", "kitten", "ladder", "lantern",
    "lemon", "lighthouse", "lizard", "magnet", "mango", "marble", "meadow", "mirror", "mitten",
    "monkey", "mountain", "muffin", "nutmeg", "oak", "ocean", "onion", "orange", "otter", "owl",
    "paddle", "pancake", "parrot", "pebble", "pepper", "piano", "pillow", "pirate", "planet",
    "pocket", "pumpkin", "puzzle", "rabbit", "radish", "rainbow", "river", "robin", "rocket",
    "saddle", "sailor", "salmon", "sandal", "scarf", "shell", "silver", "sparrow", "spider",
    "spoon", "squirrel", "statue", "stone", "strawberry", "sunset", "teapot", "thistle",
    "thunder", "tiger", "timber", "tomato", "tortoise", "tractor", "trumpet", "tulip", "tunnel",
    "turnip", "umbrella", "valley", "velvet", "violin", "volcano", "wagon", "walnut", "whistle",
    "willow", "window", "wizard", "yacht", "zebra",
)

_COMMON = {"password1234", "password12345", "qwertyuiop12", "letmein12345", "123456789012",
           "iloveyou1234", "adviser12345", "sendiass1234"}


def suggest(words: Sequence[str] = WORDS, count: int = 3) -> str:
    """Three random words, e.g. "otter lantern pumpkin" (the user may add their own)."""
    return " ".join(secrets.choice(words) for _ in range(count))


def passphrase_problems(passphrase: str, confirm: str | None = None) -> list[str]:
    """What is wrong with a new passphrase, in plain English (empty when it is fine)."""
    problems = []
    if len(passphrase) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters: three random words are "
                        "easy to remember and hard to guess.")
    elif len(set(passphrase.replace(" ", ""))) < 4 or passphrase.casefold() in _COMMON:
        problems.append("That passphrase is too easy to guess. Try three random words.")
    if confirm is not None and confirm != passphrase:
        problems.append("The two passphrases are not the same.")
    return problems


def unlock_delay(failures: int) -> int:
    """Seconds to wait before the next try after *failures* wrong passphrases in a row:
    none for the first two slips, then 2, 4, 8... up to 60."""
    if failures < 3:
        return 0
    return int(min(60, 2 ** (failures - 2)))
