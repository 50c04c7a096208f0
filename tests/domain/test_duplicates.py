"""Spotting a family already in the case book: same child and DOB, or same surname and postcode."""

from __future__ import annotations

from datetime import date

from adviser_app.domain.duplicates import ExistingChild, ExistingPerson, possible_duplicates

CHILDREN = [
    ExistingChild("f1", "Okafor", "Zoë", "Okafor", date(2015, 3, 14)),
    ExistingChild("f2", "Nowak", "Łucja", "Nowak", date(2012, 7, 1)),
    ExistingChild("f3", "Smith", "Sam", "Smith", date(2016, 1, 1)),
]
PEOPLE = [
    ExistingPerson("f1", "Okafor", "Okafor", "LS1 1AA"),
    ExistingPerson("f4", "O'Brien", "O'Brien", "SW1A 1AA"),
]


def check(**kw: object) -> list[str]:
    args: dict[str, object] = dict(child_given="", child_family="", child_dob=None, surname="",
                                   postcode="", children=CHILDREN, people=PEOPLE)
    args.update(kw)
    return [d.family_id for d in possible_duplicates(**args)]  # type: ignore[arg-type]


def test_same_child_name_and_dob_matches() -> None:
    assert check(child_given="Zoë", child_family="Okafor", child_dob=date(2015, 3, 14)) == ["f1"]


def test_child_match_is_case_and_accent_insensitive() -> None:
    assert check(child_given=" zoe ", child_family="OKAFOR",
                 child_dob=date(2015, 3, 14)) == ["f1"]
    assert check(child_given="Zoe\u0308", child_family="okafor",
                 child_dob=date(2015, 3, 14)) == ["f1"]
    assert check(child_given="LUCJA", child_family="nowak", child_dob=date(2012, 7, 1)) == ["f2"]


def test_child_with_different_dob_or_name_does_not_match() -> None:
    assert check(child_given="Zoë", child_family="Okafor", child_dob=date(2015, 3, 15)) == []
    assert check(child_given="Zara", child_family="Okafor", child_dob=date(2015, 3, 14)) == []
    assert check(child_given="Zoë", child_family="Okafo", child_dob=date(2015, 3, 14)) == []
    assert check(child_given="Zoë", child_family="Okafor", child_dob=None) == []
    assert check(child_given="  ", child_family="Okafor", child_dob=date(2015, 3, 14)) == []


def test_surname_and_postcode_match_ignores_spacing_and_case() -> None:
    assert check(surname="okafor", postcode="ls11aa") == ["f1"]
    assert check(surname="OKAFOR", postcode=" LS1 1AA") == ["f1"]
    assert check(surname="O\u2019Brien", postcode="sw1a 1aa") == ["f4"]


def test_surname_or_postcode_alone_does_not_match() -> None:
    assert check(surname="Okafor", postcode="") == []
    assert check(surname="", postcode="LS1 1AA") == []
    assert check(surname="Okafor", postcode="LS1 1AB") == []
    assert check(surname="Okaforr", postcode="LS1 1AA") == []


def test_family_found_both_ways_is_listed_once_with_the_child_reason() -> None:
    found = possible_duplicates(child_given="Zoë", child_family="Okafor",
                                child_dob=date(2015, 3, 14), surname="Okafor",
                                postcode="LS1 1AA", children=CHILDREN, people=PEOPLE)
    assert [d.family_id for d in found] == ["f1"]
    assert "Zoë Okafor" in found[0].reason
    assert "14/03/2015" in found[0].reason
    assert found[0].family_name == "Okafor"


def test_two_families_can_both_be_found() -> None:
    found = check(child_given="Sam", child_family="Smith", child_dob=date(2016, 1, 1),
                  surname="O'Brien", postcode="SW1A1AA")
    assert sorted(found) == ["f3", "f4"]


def test_postcode_reason_names_the_postcode() -> None:
    found = possible_duplicates(child_given="", child_family="", child_dob=None,
                                surname="okafor", postcode="ls11aa", children=CHILDREN,
                                people=PEOPLE)
    assert found[0].reason == "someone with the surname Okafor at LS1 1AA"


def test_nothing_to_compare_against() -> None:
    assert possible_duplicates(child_given="Zoë", child_family="Okafor",
                               child_dob=date(2015, 3, 14), surname="Okafor",
                               postcode="LS1 1AA", children=[], people=[]) == []
