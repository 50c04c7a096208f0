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
    lowered = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    stripped = "".join(ch for ch in lowered if not unicodedata.combining(ch))
    return stripped.translate(_EXTRA_FOLDS)


def search_tokens(text: str) -> list[str]:
    """Words of *text*, folded; "O'Brien" gives o, brien and obrien, so each finds it."""
    folded = fold(text)
    tokens = _TOKEN.findall(folded)
    joined = [t.replace("'", "") for t in re.findall(r"[^\W_]+(?:'[^\W_]+)*", folded)]
    extra = [t for t in joined if t not in tokens]
    return tokens + extra
