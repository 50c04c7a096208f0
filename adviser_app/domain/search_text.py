"""Folding text for search: case, accents and letters like Ł and Đ that have no decomposition."""

from __future__ import annotations

import re
import unicodedata

# Letters Unicode does not decompose into a base letter plus an accent.
_EXTRA_FOLDS = str.maketrans({
    "ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss",
    "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'",
})
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case, accent-free form used both when indexing and when searching."""
    if text.isascii():  # the common case, and the same result: nothing to decompose
        return text.lower()
    lowered = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    stripped = "".join(ch for ch in lowered if not unicodedata.combining(ch))
    return stripped.translate(_EXTRA_FOLDS)


def search_tokens(text: str) -> list[str]:
    """Words of *text*, folded; "O'Brien" gives o, brien and obrien, so each finds it."""
    folded = fold(text)
    tokens = _TOKEN.findall(folded)
    if "'" not in folded:  # (nothing to join: the same words, without a second pass)
        return tokens
    joined = [t.replace("'", "") for t in re.findall(r"[^\W_]+(?:'[^\W_]+)*", folded)]
    extra = [t for t in joined if t not in tokens]
    return tokens + extra


# Other ways people type these letters: "Đorđe" is often written Djordje, "Müller" Mueller,
# "Søren" Soeren. The index holds both spellings; what is typed is folded as above.
_OTHER_SPELLINGS = str.maketrans({"đ": "dj", "ø": "oe", "ä": "ae", "ö": "oe", "ü": "ue"})
_PHONE = re.compile(r"\+?\d[\d \-()]{5,}\d")
MIN_PHONE_DIGITS = 7


def index_tokens(text: str) -> list[str]:
    """The words to index for *text*: its search tokens, the other usual spelling of names
    with letters such as Đ or ü, and each phone number as digits only (so "07700900123" finds
    "07700 900123", and a number written +44 7700 900123 is found by 07700...)."""
    if text.isascii() and "'" not in text and _PHONE.search(text) is None:
        # (most notes: the same words as below, in fewer steps; a new laptop folds 500,000)
        return list(dict.fromkeys(_TOKEN.findall(text.lower())))
    tokens = search_tokens(text)
    # (plain ASCII has no letter with another spelling: the same tokens again, not worked out)
    extra = [] if text.isascii() else search_tokens(text.casefold().translate(_OTHER_SPELLINGS))
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) >= MIN_PHONE_DIGITS:
            extra.append(digits)
            if match.group().startswith("+44") and len(digits) > 2:
                extra.append("0" + digits[2:])
    return list(dict.fromkeys(tokens + extra))  # each word once, in order


# A phone number typed in groups: "07700 900 1", "020 7946", "+44 7700 9".
_TYPED_PHONE = re.compile(r"(?<![\w+])(?:\+44|0\d{2,})(?:[ \-]+\d+)+(?![\w])")


def typed_tokens(text: str) -> list[str]:
    """The words to look for when *text* is typed: its search tokens, but a phone number
    typed in groups as its digits run together ("07700 900 1" as 077009001), since every
    phone number is indexed by its digits alone too (index_tokens) while its groups may have
    been written otherwise ("07700 900123")."""
    joined = _TYPED_PHONE.sub(lambda m: re.sub(r"\D", "", m.group()), text)
    return search_tokens(joined)
