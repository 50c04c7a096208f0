"""Passphrase guidance in the NCSC "three random words" style: length, not complexity."""

from __future__ import annotations

from collections.abc import Sequence

MIN_LENGTH = 12
MIN_GUESSES_LOG10 = 10.0
"""zxcvbn's estimate of the guesses needed, as a power of ten. Three random words from the
recovery key's list of 2,048 come out at 10.6 or more (300 tries); "Summer2024!!" at 8.4,
"adviser toolkit" at 9.6. With Argon2id at half a second a guess, 10^10 is centuries."""
_ESTIMATE_CHARS = 72  # zxcvbn refuses longer input; the start of a long phrase is enough
# Words anyone guessing an adviser's passphrase would try first.
_APP_WORDS = ("adviser", "advisor", "toolkit", "sendiass", "send", "sen", "casebook",
              "case", "book", "ehcp", "ehc", "council", "parent", "child", "school")


def suggest(count: int = 3) -> str:
    """Random words from the recovery key's list (BIP39 English: 2,048 common words), e.g.
    "ocean radio velvet", checked to pass passphrase_problems."""
    import secrets  # (here: the unlock screen needs this module, not secrets)

    from adviser_app.domain.recovery_key import word_list

    words = word_list()
    while True:
        candidate = " ".join(secrets.choice(words) for _ in range(count))
        if not passphrase_problems(candidate):
            return candidate


PUBLISHED_EXAMPLES = ("candle robin clover", "correct horse battery staple")
"""Examples people have seen in print: the first-run screenshot in the README, and the
cartoon that made "four random words" famous."""


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def strength_problem(passphrase: str) -> str | None:
    """Plain advice when zxcvbn (a maintained strength estimator that knows common
    passwords, names, keyboard patterns and dates) says *passphrase* is easy to guess."""
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:_ESTIMATE_CHARS], user_inputs=list(_APP_WORDS))
    if float(result["guesses_log10"]) >= MIN_GUESSES_LOG10:
        return None
    warning = str(result["feedback"].get("warning") or "").strip()
    why = f" ({warning.rstrip('.')})" if warning else ""
    return (f"That passphrase is too easy to guess{why}. Try three or four random words "
            "that mean nothing together.")


def passphrase_problems(passphrase: str, confirm: str | None = None, *,
                        shown: Sequence[str] = ()) -> list[str]:
    """What is wrong with a new passphrase, in plain English (empty when it is fine). An
    example *shown* on the screen is refused: anyone who saw the screen knows it."""
    problems = []
    if len(passphrase) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters: three random words are "
                        "easy to remember and hard to guess.")
    elif any(_same(passphrase, example) for example in (*shown, *PUBLISHED_EXAMPLES)):
        problems.append("That is the example shown on the screen, so anyone who has seen "
                        "the screen knows it. Choose your own words.")
    else:
        weak = strength_problem(passphrase)
        if weak:
            problems.append(weak)
    if confirm is not None and confirm != passphrase:
        problems.append("The two passphrases are not the same.")
    return problems


def unlock_delay(failures: int) -> int:
    """Seconds to wait before the next try after *failures* wrong passphrases in a row:
    none for the first two slips, then 2, 4, 8... up to 60."""
    if failures < 3:
        return 0
    return int(min(60, 2 ** (failures - 2)))
