"""Families, their people and their children: rows <-> records."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from adviser_app.domain.duplicates import ExistingChild, ExistingPerson
from adviser_app.domain.records import Child, ChildDetails, Family, Person, PersonDetails
from adviser_app.domain.vocab import AreaOfNeed, ChildStatus, ContactMethod, Relationship
from adviser_app.store.rows import get_row, iso, new_id, stamps, to_date
from adviser_app.store.search import reindex_family


def _person_row(details: PersonDetails) -> dict[str, Any]:
    return {
        "given_name": details.given_name, "family_name": details.family_name,
        "relationship": details.relationship.value,
        "parental_responsibility": int(details.parental_responsibility),
        "address": details.address, "postcode": details.postcode, "phone": details.phone,
        "email": details.email,
        "preferred_contact": details.preferred_contact.value if details.preferred_contact
        else None,
        "access_needs": details.access_needs,
        "interpreter_language": details.interpreter_language,
        "consent_to_share": int(details.consent_to_share),
        "consent_date": iso(details.consent_date),
    }


def _person(row: dict[str, Any]) -> Person:
    return Person(row["id"], row["family_id"], PersonDetails(
        given_name=row["given_name"], family_name=row["family_name"],
        relationship=Relationship(row["relationship"]),
        parental_responsibility=bool(row["parental_responsibility"]),
        address=row["address"], postcode=row["postcode"], phone=row["phone"],
        email=row["email"],
        preferred_contact=ContactMethod(row["preferred_contact"]) if row["preferred_contact"]
        else None,
        access_needs=row["access_needs"], interpreter_language=row["interpreter_language"],
        consent_to_share=bool(row["consent_to_share"]),
        consent_date=to_date(row["consent_date"])),
        updated_at=row["updated_at"], updated_by=row["updated_by"])


def _child_row(details: ChildDetails) -> dict[str, Any]:
    return {
        "given_name": details.given_name, "family_name": details.family_name,
        "date_of_birth": details.date_of_birth.isoformat(), "school": details.school,
        "year_group": details.year_group, "local_authority": details.local_authority,
        "status": details.status.value, "ehc_plan_issued": iso(details.ehc_plan_issued),
        "ehc_plan_last_reviewed": iso(details.ehc_plan_last_reviewed),
        "notes": details.notes,
    }


def _child(db: Database, row: dict[str, Any]) -> Child:
    areas = frozenset(AreaOfNeed(r["area"]) for r in db.query(
        "SELECT area FROM child_need WHERE child_id = ?", [row["id"]]))
    dob = to_date(row["date_of_birth"])
    assert dob is not None
    return Child(row["id"], row["family_id"], ChildDetails(
        given_name=row["given_name"], family_name=row["family_name"], date_of_birth=dob,
        school=row["school"], year_group=row["year_group"],
        local_authority=row["local_authority"], areas_of_need=areas,
        status=ChildStatus(row["status"]), ehc_plan_issued=to_date(row["ehc_plan_issued"]),
        ehc_plan_last_reviewed=to_date(row["ehc_plan_last_reviewed"]), notes=row["notes"]),
        updated_at=row["updated_at"], updated_by=row["updated_by"])


def insert_family(db: Database, family_name: str, actor: str, notes: str = "") -> str:
    family_id = new_id()
    db.table("family").insert({"id": family_id, "family_name": family_name, "notes": notes,
                               **stamps(actor, created=True)})
    return family_id


def update_family(db: Database, family_id: str, family_name: str, notes: str,
                  actor: str) -> None:
    db.table("family").update(family_id, {"family_name": family_name, "notes": notes,
                                          **stamps(actor, created=False)})
    reindex_family(db, family_id)


def insert_person(db: Database, family_id: str, details: PersonDetails, actor: str) -> str:
    person_id = new_id()
    db.table("person").insert({"id": person_id, "family_id": family_id,
                               **_person_row(details), **stamps(actor, created=True)})
    reindex_family(db, family_id)
    return person_id


def update_person(db: Database, person_id: str, details: PersonDetails, actor: str) -> None:
    family_id = get_row(db, "person", person_id, "person", "family_id")["family_id"]
    db.table("person").update(person_id, {**_person_row(details),
                                          **stamps(actor, created=False)})
    reindex_family(db, family_id)


def _set_needs(db: Database, child_id: str, details: ChildDetails) -> None:
    db.execute("DELETE FROM child_need WHERE child_id = ?", [child_id])
    for area in sorted(details.areas_of_need):
        db.execute("INSERT INTO child_need (child_id, area) VALUES (?, ?)",
                   [child_id, area.value])


def insert_child(db: Database, family_id: str, details: ChildDetails, actor: str) -> str:
    child_id = new_id()
    db.table("child").insert({"id": child_id, "family_id": family_id,
                              **_child_row(details), **stamps(actor, created=True)})
    _set_needs(db, child_id, details)
    reindex_family(db, family_id)
    return child_id


def update_child(db: Database, child_id: str, details: ChildDetails, actor: str) -> None:
    family_id = get_row(db, "child", child_id, "child", "family_id")["family_id"]
    db.table("child").update(child_id, {**_child_row(details),
                                        **stamps(actor, created=False)})
    _set_needs(db, child_id, details)
    reindex_family(db, family_id)


def get_family(db: Database, family_id: str) -> Family:
    row = get_row(db, "family", family_id, "family")
    people = tuple(_person(r) for r in db.query(
        "SELECT * FROM person WHERE family_id = ? ORDER BY created_at, id", [family_id]))
    children = tuple(_child(db, r) for r in db.query(
        "SELECT * FROM child WHERE family_id = ? ORDER BY date_of_birth, id", [family_id]))
    return Family(row["id"], row["family_name"], row["notes"], people, children)


def get_child(db: Database, child_id: str) -> Child:
    return _child(db, get_row(db, "child", child_id, "child"))


def family_ids_of_children(db: Database, child_ids: list[str]) -> set[str]:
    marks = ",".join("?" * len(child_ids))
    return {r["family_id"] for r in db.query(
        f"SELECT DISTINCT family_id FROM child WHERE id IN ({marks})", child_ids)}


def existing_children(db: Database) -> list[ExistingChild]:
    """Every child, in the shape the duplicate check needs."""
    return [ExistingChild(r["family_id"], r["fname"], r["given_name"], r["family_name"],
                          to_date(r["date_of_birth"]) or _never())
            for r in db.query("SELECT c.family_id, f.family_name AS fname, c.given_name, "
                              "c.family_name, c.date_of_birth FROM child c "
                              "JOIN family f ON f.id = c.family_id")]


def existing_people(db: Database) -> list[ExistingPerson]:
    return [ExistingPerson(r["family_id"], r["fname"], r["family_name"], r["postcode"])
            for r in db.query("SELECT p.family_id, f.family_name AS fname, p.family_name, "
                              "p.postcode FROM person p JOIN family f ON f.id = p.family_id "
                              "WHERE p.postcode != ''")]


def _never() -> Any:
    raise ValueError("child row without a date of birth")
