"""Folding for search: case, accents, letters without decompositions, apostrophes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adviser_app.domain import search_text
from adviser_app.domain.search_text import fold, index_tokens, search_tokens


@pytest.mark.parametrize(("text", "expected"), [
    ("Zoë", "zoe"),
    ("Zoe\u0308", "zoe"),
    ("ZOË", "zoe"),
    ("Łucja", "lucja"),
    ("ŁUCJA", "lucja"),
    ("Đorđe", "dorde"),
    ("Søren", "soren"),
    ("Straße", "strasse"),
    ("Æsa", "aesa"),
    ("Nguyễn", "nguyen"),
    ("Okafor", "okafor"),
    ("Þór", "thor"),
])
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_curly_apostrophes_fold_to_straight() -> None:
    assert fold("O\u2019Brien") == fold("O'Brien") == "o'brien"
    assert fold("O\u2018Brien") == "o'brien"
    assert fold("O\u02bcBrien") == "o'brien"


def test_obrien_tokens() -> None:
    tokens = search_tokens("O'Brien")
    assert "obrien" in tokens
    assert "brien" in tokens
    assert "o" in tokens
    assert len(tokens) == len(set(tokens))


def test_curly_apostrophe_gives_the_same_tokens() -> None:
    assert search_tokens("Siobhán O\u2019Brien") == search_tokens("Siobhan O'Brien")


def test_tokens_split_on_spaces_hyphens_and_punctuation() -> None:
    assert search_tokens("Anne-Marie  Smith, SA-2026-0001") == [
        "anne", "marie", "smith", "sa", "2026", "0001"]
    assert search_tokens("") == []
    assert search_tokens("  -- ,, ") == []


def test_underscore_is_a_separator() -> None:
    assert search_tokens("snake_case") == ["snake", "case"]


@given(st.text())
def test_tokens_are_folded_words_only(text: str) -> None:
    for token in search_tokens(text):
        assert token
        assert re.fullmatch(r"[^\W_]+", token), token
        assert '"' not in token and "'" not in token


@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Lt", "Lo", "Nd", "Mn", "Zs"],
                                      exclude_characters="\u0130")))
def test_decomposed_and_precomposed_fold_alike(text: str) -> None:
    import unicodedata
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


def test_fold_output_is_lower_case_for_compatibility_letters() -> None:
    assert fold("\U0001d419\U0001d428\U0001d41e") == "zoe"


def test_index_tokens_hold_other_spellings_and_phone_digits() -> None:
    from adviser_app.domain.search_text import index_tokens

    assert {"dorde", "djordje"} <= set(index_tokens("Đorđe"))
    assert {"muller", "mueller"} <= set(index_tokens("Müller"))
    assert {"soren", "soeren"} <= set(index_tokens("Søren"))
    assert "strasse" in index_tokens("Straße") and "aesa" in index_tokens("Æsa")
    assert "07700900123" in index_tokens("07700 900123")
    assert "07700900123" in index_tokens("+44 7700 900123")
    assert index_tokens("Room 0113") == ["room", "0113"]  # not a phone number
    assert index_tokens("Okafor") == ["okafor"]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_short_cut_folds_as_the_full_rule_does(text: str) -> None:
    """fold() skips the Unicode work for plain ASCII (a pulled register is mostly that)."""
    import unicodedata

    full = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    full = "".join(ch for ch in full if not unicodedata.combining(ch))
    assert fold(text) == full.translate(search_text._EXTRA_FOLDS)
    # the other spellings of plain ASCII are itself: only phone numbers' digits are added
    extra = [t for t in index_tokens(text) if t not in search_tokens(text)]
    assert all(t.isdigit() for t in extra)


def test_a_phone_number_typed_in_groups_is_looked_for_as_its_digits() -> None:
    from adviser_app.domain.search_text import typed_tokens

    assert typed_tokens("07700 900 1") == ["077009001"]
    assert typed_tokens("+44 7700 900") == ["447700900"]
    assert typed_tokens("020-7946 0000") == ["02079460000"]
    assert typed_tokens("okafor 07700 900123") == ["okafor", "07700900123"]
    # not a phone number: a reference, a house number and street, one group alone
    assert typed_tokens("sa-2026-0301") == ["sa", "2026", "0301"]
    assert typed_tokens("12 3 high street") == ["12", "3", "high", "street"]
    assert typed_tokens("0770") == ["0770"]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_plain_words_are_indexed_as_their_search_tokens_each_once(text: str) -> None:
    """index_tokens' short cut for plain ASCII without an apostrophe or a phone number (a new
    laptop folds half a million notes) gives the words the full rule gives."""
    from hypothesis import assume

    assume("'" not in text and search_text._PHONE.search(text) is None)
    assert index_tokens(text) == list(dict.fromkeys(search_tokens(text)))
    assert index_tokens(text.upper() + " Note NOTE note") == list(
        dict.fromkeys(search_tokens(text) + ["note"]))
