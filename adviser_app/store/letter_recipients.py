"""The To box of the last letter kept for each audience and local authority (letters the
family sends to the SEN team or the mediation adviser), offered again for that council's next
letter. Kept in the settings, keyed by audience and council.

Whose data is it? A council's address is not personal data, and it is not the family's: it
stays when a family is erased or anonymised, and it is not part of a family's subject access
disclosure. But it was typed on a family's letter, and an adviser may have put the family in it
("Re: Zoë ...", a reference with their name or postcode). So an address that mentions the
family (a name, address line, postcode, phone, email or case reference of theirs) goes with
the family's case when it is erased or anonymised, and is part of their disclosure while it
is kept. Forgetting one costs only typing it again for the next letter.
"""

from __future__ import annotations

import json
import re

from sqlite_utils import Database

from adviser_app.store.settings import get_setting, set_setting

SETTING = "letter_recipients"
AUDIENCES = {"local authority": "letters to the local authority",
             "mediation adviser": "letters to the mediation adviser"}


def key_for(audience: str, local_authority: str) -> str:
    return f"{audience}|{' '.join(local_authority.split()).casefold()}"


def remembered(db: Database) -> dict[str, str]:
    """Every remembered To box, by key_for(audience, council)."""
    try:
        stored = json.loads(get_setting(db, SETTING, "{}"))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}


def remember(db: Database, key: str, lines: str) -> None:
    kept = remembered(db)
    kept[key] = lines
    _store(db, kept)


def _store(db: Database, kept: dict[str, str]) -> None:
    set_setting(db, SETTING, json.dumps(kept, sort_keys=True))


def kept_for(key: str) -> str:
    """What a key means, in words: "letters to the local authority at leeds city council"."""
    audience, _, council = key.partition("|")
    what = AUDIENCES.get(audience, f"letters to {audience}")
    return f"{what} at {council}" if council else what


def mentioning(db: Database, family_id: str) -> dict[str, str]:
    """The remembered To boxes that mention the family (see the module's note)."""
    marks = _family_marks(db, family_id)
    return {k: v for k, v in remembered(db).items() if _mentions(v, marks)}


def forget_family(db: Database, family_id: str) -> int:
    """Remove the To boxes that mention the family (call before its rows go, in the same
    transaction as the erasure). Returns how many."""
    gone = mentioning(db, family_id)
    if gone:
        _store(db, {k: v for k, v in remembered(db).items() if k not in gone})
    return len(gone)


def _family_marks(db: Database, family_id: str) -> list[str]:
    """What would show that a text is about the family: its names (people and children),
    postcodes, phone numbers, emails, case references, and its addresses' first lines and
    lines with a number in them (not a town on its own line: the council is often in it)."""
    marks = [str(r["v"]) for r in db.query(
        "SELECT family_name AS v FROM family WHERE id = :f "
        "UNION ALL SELECT value FROM person, json_each(json_array(given_name, family_name, "
        "postcode, phone, email)) WHERE family_id = :f "
        "UNION ALL SELECT value FROM child, json_each(json_array(given_name, family_name)) "
        "WHERE family_id = :f "
        "UNION ALL SELECT reference FROM case_file WHERE family_id = :f", {"f": family_id})
        if r["v"]]
    for row in db.query("SELECT address FROM person WHERE family_id = ?", [family_id]):
        lines = [line for line in str(row["address"] or "").splitlines() if line.strip()]
        marks += [line for number, line in enumerate(lines)
                  if number == 0 or re.search(r"\d", line)]
    return marks


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _squeezed(text: str) -> str:
    """Letters and digits only: "LS27 8QX" and "ls278qx", "07700 900457" and "07700-900-457"
    are the same."""
    return re.sub(r"[\W_]+", "", _fold(text))


def _mentions(text: str, marks: list[str]) -> bool:
    folded, squeezed = _fold(text), _squeezed(text)
    for mark in marks:
        word = _fold(mark)
        if len(word) < 2:
            continue
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            return True
        letters = _squeezed(mark)
        if len(letters) >= 5 and letters in squeezed:  # postcodes, phones, typed differently
            return True
    return False
