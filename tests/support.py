"""Helpers shared by tests: a real case book with a test passphrase and cheap key stretching
(the production Argon2id settings are tested on their own in the key-file tests)."""

from __future__ import annotations

from pathlib import Path

from adviser_app.services import case_books
from adviser_app.store.db import Database
from adviser_app.store.keyfile import KdfParams, unlock_with_passphrase

PASSPHRASE = "otter lantern pumpkin"
CHEAP = KdfParams(time_cost=1, memory_kib=8, parallelism=1)


def create_book(data_dir: Path) -> Database:
    return case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP).db


def open_book(place: case_books.CaseBookPlace) -> Database:
    return case_books.open_existing(place, PASSPHRASE, kdf=CHEAP)


def key_of(key_path: Path) -> bytes:
    return unlock_with_passphrase(key_path, PASSPHRASE)
