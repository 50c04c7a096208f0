"""Read a SQLCipher case book's pages in plain text, free pages and WAL frames included, so a
test can prove that erased words are gone from the file and not merely from the tables.

SQLCipher 4 with a raw 32-byte key: page 1 starts with a 16-byte salt; every page ends with a
reserve of 80 bytes (a 16-byte IV, then a 64-byte HMAC-SHA512); the rest of the page is
AES-256-CBC under the raw key. The WAL holds a 32-byte header, then frames of a 24-byte frame
header and one page each.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16


def _decrypt(page: bytes, key: bytes, first: bool) -> bytes:
    start = SALT if first else 0
    body, iv = page[start:PAGE - RESERVE], page[PAGE - RESERVE:PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def plain_pages(db_path: Path, key: bytes) -> Iterator[bytes]:
    """Every page of the main file and of its WAL (if any), decrypted."""
    data = db_path.read_bytes()
    for n in range(len(data) // PAGE):
        yield _decrypt(data[n * PAGE:(n + 1) * PAGE], key, first=n == 0)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        raw = wal.read_bytes()
        offset = 32
        while offset + 24 + PAGE <= len(raw):
            page_no = int.from_bytes(raw[offset:offset + 4], "big")
            frame = raw[offset + 24:offset + 24 + PAGE]
            yield _decrypt(frame, key, first=page_no == 1)
            offset += 24 + PAGE


def file_contains(db_path: Path, key: bytes, text: str) -> bool:
    needle = text.encode("utf-8")
    return any(needle in page for page in plain_pages(db_path, key))
